// A 32-meter site_config.h in the shape engine/codegen generates (firmware/include/ampx_site_types.h),
// for the firmware size benchmark and its link test: each meter like a Meatrol ME631 (12 float
// quantities read every 2 s, 4 energy counters every 60 s, a serial number hourly), uploaded in
// meter mode: one payload per meter with avg/min/max of every instantaneous quantity,
// first/last/delta of every counter and the serial number.

interface Quantity {
  name: string;
  unit: string;
  kind: "instantaneous" | "counter" | "identity";
  type: "f32" | "u64" | "string";
  count: number;
  unitFactor: number;
}

const LIVE: Quantity[] = [
  "voltage_l1:V",
  "voltage_l2:V",
  "voltage_l3:V",
  "current_l1:A",
  "current_l2:A",
  "current_l3:A",
  "active_power_l1:W",
  "active_power_l2:W",
  "active_power_l3:W",
  "active_power_total:W",
  "frequency:Hz",
  "power_factor_total:",
].map((row) => {
  const [name, unit] = row.split(":") as [string, string];
  return { name, unit, kind: "instantaneous", type: "f32", count: 2, unitFactor: 1 };
});
const ENERGY: Quantity[] = ["active_energy_import", "active_energy_export", "reactive_energy_import", "reactive_energy_export"].map(
  (name) => ({
    name,
    unit: name.startsWith("active") ? "kWh" : "kvarh",
    kind: "counter",
    type: "u64",
    count: 4,
    unitFactor: 0.001,
  }),
);
const IDENTITY: Quantity[] = [
  { name: "serial_number", unit: "", kind: "identity", type: "string", count: 8, unitFactor: 1 },
];

function cString(text: string): string {
  return JSON.stringify(text);
}

/** The C++ text of site_config.h for `meters` meters (namespace ampx_site, constexpr kSite). */
export function sizeSiteHeader(meters = 32): string {
  const blocks: string[] = [];
  const quantities: string[] = [];
  const meterRows: string[] = [];
  const chunks: string[] = [];
  const slots: string[] = [];
  const programs: string[] = [];
  let series = 0;
  let text = "";
  const slot = (source: string, quantity: number, field: string, time: string): void => {
    chunks.push(text);
    text = "";
    slots.push(
      `{.source = ampx::SlotSource::${source}, .quantity = ${quantity}, .field = ampx::AggregateField::${field}, ` +
        `.time = ampx::TimeRepr::${time}, .op = ampx::SlotOp::none, .operand = 0, .format = ampx::SlotFormat::json}`,
    );
  };
  for (let m = 0; m < meters; m++) {
    const groups: [Quantity[], number, number][] = [
      [LIVE, 0, 0],
      [ENERGY, 1, 100],
      [IDENTITY, 2, 200],
    ];
    const firstBlock = blocks.length;
    const firstQuantity = quantities.length;
    const firstChunk = chunks.length;
    const firstSlot = slots.length;
    text = `{"site":"bench","meter":"m${m}","start":`;
    slot("interval_start", 0, "avg", "iso_seconds");
    text += `,"values":{`;
    let firstField = true;
    for (const [group, pollClass, start] of groups) {
      const blockIndex = blocks.length;
      const firstInBlock = quantities.length;
      let offset = 0;
      for (const q of group) {
        const index = quantities.length;
        const s = q.kind === "identity" ? -1 : series++;
        quantities.push(
          `{.name = ${cString(q.name)}, .unit = ${cString(q.unit)}, .kind = ampx::QuantityKind::${q.kind}, ` +
            `.meter = ${m}, .block = ${blockIndex}, .word_offset = ${offset}, .poll_class = ${pollClass}, .series = ${s}, ` +
            `.decode = {.type = ampx::RegisterType::${q.type}, .word_order = ampx::WordOrder::ABCD, .count = ${q.count}, ` +
            `.multiplier = 1, .offset = 0, .unit_factor = ${q.unitFactor}, .has_min = false, .min = 0, .has_max = false, ` +
            `.max = 0, .sentinels = nullptr, .sentinel_count = 0}}`,
        );
        offset += q.count;
        const fields =
          q.kind === "instantaneous" ? ["avg", "min", "max"] : q.kind === "counter" ? ["first", "last", "delta"] : [""];
        for (const field of fields) {
          text += `${firstField ? "" : ","}"${q.name}${field === "" ? "" : `_${field}`}":`;
          firstField = false;
          if (field === "") slot("identity", index, "avg", "none");
          else slot("aggregate", index, field, "none");
        }
      }
      blocks.push(
        `{.meter = ${m}, .function = ampx::RegisterFunction::holding, .start = ${start}, .count = ${offset}, ` +
          `.poll_class = ${pollClass}, .first_quantity = ${firstInBlock}, .quantity_count = ${group.length}}`,
      );
    }
    text += "}}";
    chunks.push(text);
    const slotCount = slots.length - firstSlot;
    const bytes = chunks.slice(firstChunk).reduce((n, c) => n + Buffer.byteLength(c), 0) + slotCount * 40;
    programs.push(
      `{.meter = ${m}, .first_chunk = ${firstChunk}, .first_slot = ${firstSlot}, .slot_count = ${slotCount}, ` +
        `.max_length = ${bytes}}`,
    );
    meterRows.push(
      `{.id = "m${m}", .name = "Meter ${m}", .profile = "meatrol/me631", .unit_id = ${m + 1}, .host = nullptr, ` +
        `.port = 0, .priority = 5, .enabled = true, .serial_number = nullptr, .first_block = ${firstBlock}, ` +
        `.block_count = ${blocks.length - firstBlock}, .first_quantity = ${firstQuantity}, ` +
        `.quantity_count = ${quantities.length - firstQuantity}}`,
    );
  }
  const list = (rows: string[]): string => rows.map((r) => `    ${r},`).join("\n");
  return `// Generated by test/firmware/size-site.ts for the firmware size benchmark: ${meters} meters.
#pragma once
#include "ampx_site_types.h"

namespace ampx_site {

constexpr ampx::PollClassConfig kPollClasses[] = {
    {.name = "live", .interval_ms = 2000},
    {.name = "energy", .interval_ms = 60000},
    {.name = "identity", .interval_ms = 3600000},
};
constexpr ampx::MeterConfig kMeters[] = {
${list(meterRows)}
};
constexpr ampx::BlockConfig kBlocks[] = {
${list(blocks)}
};
constexpr ampx::QuantityConfig kQuantities[] = {
${list(quantities)}
};
constexpr ampx::PayloadChunk kChunks[] = {
${list(chunks.map((c) => `{.text = ${cString(c)}, .length = ${Buffer.byteLength(c)}}`))}
};
constexpr ampx::PayloadSlot kSlots[] = {
${list(slots)}
};
constexpr ampx::PayloadProgram kPrograms[] = {
${list(programs)}
};
constexpr ampx::SiteConfig kSite = {
    .id = "bench", .name = "Size benchmark", .interval_ms = 900000, .transport = ampx::TransportKind::rtu,
    .rtu = {.baud_rate = 9600, .parity = ampx::Parity::none, .data_bits = 8, .stop_bits = 1, .response_timeout_ms = 500,
            .turnaround_delay_ms = 5, .inter_frame_delay_us = 4010, .retries = 1},
    .tcp = {.connect_timeout_ms = 3000, .response_timeout_ms = 1000, .reconnect_delay_ms = 1000,
            .reconnect_delay_max_ms = 60000, .retries = 1},
    .poll_classes = kPollClasses, .poll_class_count = 3,
    .meters = kMeters, .meter_count = ${meters},
    .blocks = kBlocks, .block_count = ${blocks.length},
    .quantities = kQuantities, .quantity_count = ${quantities.length},
    .series_count = ${series},
    .upload = {.enabled = true, .url = "https://portal.example/api/intervals", .mode = ampx::UploadMode::meter,
               .timeout_ms = 30000, .retry_delay_ms = 5000, .retry_delay_max_ms = 900000, .batch_size = 20,
               .auth_kind = ampx::AuthKind::none, .auth_header = nullptr, .auth_username = nullptr,
               .auth_secret = {.source = ampx::SecretSource::none, .name = nullptr, .literal = nullptr},
               .success_status = nullptr, .success_status_count = 0, .headers = nullptr, .header_count = 0},
    .chunks = kChunks, .chunk_count = ${chunks.length},
    .slots = kSlots, .slot_count = ${slots.length},
    .programs = kPrograms, .program_count = ${programs.length},
};

}  // namespace ampx_site
`;
}

/** The largest payload program's bound in bytes. */
export function sizeSitePayloadBound(meters = 32): number {
  const bounds = [...sizeSiteHeader(meters).matchAll(/\.max_length = (\d+)/g)].map((m) => Number(m[1]));
  return Math.max(...bounds);
}
