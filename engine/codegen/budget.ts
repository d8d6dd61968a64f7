// Flash and RAM estimate of a generated site: the tables of site_config.h (flash) and the core's
// run-time state for this site (RAM). Estimates, printed by `ampx firmware` and checked against a
// budget that leaves the rest of the ESP32 (Wi-Fi, TLS, web server) its share.
import type { CoreLimits } from "./core-limits.js";
import type { PayloadProgram } from "./payload/slot.js";
import type { FirmwareSite } from "./site-data.js";

/** sizeof() of the generated structs on a 32-bit target; test/codegen checks them with arm-none-eabi-g++. */
export const ROW_BYTES = {
  pollClass: 8,
  meter: 36,
  block: 12,
  quantity: 96,
  header: 16,
  chunk: 8,
  slot: 24,
  program: 12,
  site: 180,
  sentinel: 8,
} as const;

/** Run-time state per item, as the core keeps it (ampx_aggregate.h: a 32-byte accumulator per series). */
const STATE_BYTES = { accumulator: 32, latestValue: 16, meterHealth: 64, blockSchedule: 8 } as const;

/** What the core may use of the ESP32's ~320 KB of data RAM and of the 1.2 MB application partition. */
export const BUDGET = { ramBytes: 160 * 1024, flashBytes: 512 * 1024 } as const;

export interface BudgetEstimate {
  flash: { tables: number; strings: number; payloadText: number; total: number };
  ram: {
    accumulators: number;
    latestValues: number;
    identityText: number;
    meters: number;
    frames: number;
    payloadBuffer: number;
    total: number;
  };
  payloadBufferSize: number;
}

/** The payload buffer a site needs (AMPX_PAYLOAD_BUFFER_SIZE): its largest payload's bound, rounded up to 1 KiB. */
export function payloadBufferSize(programs: readonly PayloadProgram[]): number {
  const largest = Math.max(0, ...programs.map((p) => p.maxLength));
  return Math.max(1024, Math.ceil(largest / 1024) * 1024);
}

export function estimateBudget(
  data: FirmwareSite,
  programs: readonly PayloadProgram[],
  limits: CoreLimits,
): BudgetEstimate {
  const strings = new Set<string>();
  for (const m of data.meters) {
    for (const s of [m.meter.id, m.meter.name, m.meter.profile.id, m.meter.host, m.meter.serialNumber]) {
      if (s !== undefined) strings.add(s);
    }
  }
  for (const q of data.quantities) strings.add(q.register.quantity).add(q.register.canonicalUnit);
  for (const p of data.pollClasses) strings.add(p.name);
  strings
    .add(data.site.id)
    .add(data.site.name)
    .add(data.upload?.url ?? "");
  const stringBytes = [...strings].reduce((n, s) => n + Buffer.byteLength(s, "utf8") + 1, 0);
  const slots = programs.reduce((n, p) => n + p.slots.length, 0);
  const chunks = programs.reduce((n, p) => n + p.chunks.length, 0);
  const payloadText = programs.reduce(
    (n, p) => n + p.chunks.reduce((m, c) => m + Buffer.byteLength(c, "utf8") + 1, 0),
    0,
  );
  const tables =
    ROW_BYTES.site +
    data.pollClasses.length * ROW_BYTES.pollClass +
    data.meters.length * ROW_BYTES.meter +
    data.blocks.length * ROW_BYTES.block +
    data.quantities.length * ROW_BYTES.quantity +
    data.sentinels.length * ROW_BYTES.sentinel +
    (data.upload?.headers.length ?? 0) * ROW_BYTES.header +
    chunks * ROW_BYTES.chunk +
    slots * ROW_BYTES.slot +
    programs.length * ROW_BYTES.program;
  const identityText = data.quantities
    .filter((q) => q.register.kind === "identity")
    .reduce((n, q) => n + q.register.count * 4 + 1, 0);
  const buffer = payloadBufferSize(programs);
  const ram = {
    accumulators: data.seriesCount * STATE_BYTES.accumulator,
    latestValues: data.quantities.length * STATE_BYTES.latestValue,
    identityText,
    meters: data.meters.length * STATE_BYTES.meterHealth + data.blocks.length * STATE_BYTES.blockSchedule,
    frames: 2 * (limits.maxReadRegisters * 2 + 16),
    payloadBuffer: buffer,
    total: 0,
  };
  ram.total =
    ram.accumulators + ram.latestValues + ram.identityText + ram.meters + ram.frames + ram.payloadBuffer;
  return {
    flash: { tables, strings: stringBytes, payloadText, total: tables + stringBytes + payloadText },
    ram,
    payloadBufferSize: buffer,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The estimate as the CLI prints it. */
export function formatBudget(data: FirmwareSite, estimate: BudgetEstimate): string[] {
  const f = estimate.flash;
  const r = estimate.ram;
  return [
    `flash (tables in site_config.h): ${kb(f.total)} of ${kb(BUDGET.flashBytes)} — tables ${kb(f.tables)} (${data.meters.length} meters, ${data.blocks.length} blocks, ${data.quantities.length} quantities), strings ${kb(f.strings)}, payload text ${kb(f.payloadText)}`,
    `RAM (core state for this site): ${kb(r.total)} of ${kb(BUDGET.ramBytes)} — accumulators ${kb(r.accumulators)} (${data.seriesCount} series), latest values ${kb(r.latestValues)}, identity text ${kb(r.identityText)}, meters and blocks ${kb(r.meters)}, frames ${kb(r.frames)}, payload buffer ${kb(r.payloadBuffer)}`,
  ];
}
