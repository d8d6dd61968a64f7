// The data templates/firmware/site_config.h.hbs lays out: every value already a C++ token (literal,
// enumerator, nullptr), so the template holds only the C++ structure and the field names.
import { cppBool, cppComment, cppDouble, cppString } from "./cpp.js";
import { cppEnum } from "./enums.js";
import type { CppEnumTable } from "./enums.js";
import type { PayloadProgram, PayloadSlot } from "./payload/slot.js";
import type { FirmwareSite, SecretRef } from "./site-data.js";

function e<T extends keyof CppEnumTable>(table: T, value: string): string {
  const out = cppEnum(table, value);
  // buildFirmwareSite has reported every value without a row; reaching here is a generator bug.
  if (out === undefined) throw new Error(`no C++ enumerator for ${table} "${value}"`);
  return out;
}

function secret(ref: SecretRef): Record<string, string> {
  return {
    source: e("secretSource", ref.source),
    name: cppString(ref.name),
    literal: cppString(ref.literal),
  };
}

function slotRow(slot: PayloadSlot) {
  const v = slot.value;
  const op = slot.ops[0];
  const quantity = v.source === "aggregate" || v.source === "identity" ? v.quantity : 0;
  const what =
    v.source === "aggregate"
      ? `${v.meterId} ${v.quantityName} ${v.field}`
      : v.source === "identity"
        ? `${v.meterId} ${v.quantityName} (read from the meter)`
        : `${v.source} ${v.time}`;
  return {
    source: e("slotSource", v.source),
    quantity,
    field: e("aggregateField", v.source === "aggregate" ? v.field : "avg"),
    time: e("timeRepr", v.source === "intervalStart" || v.source === "intervalEnd" ? v.time : "none"),
    op: e("slotOp", op?.op ?? "none"),
    operand: cppDouble(op?.operand ?? 0),
    format: e("slotFormat", slot.format),
    comment: cppComment(`${what}${op === undefined ? "" : ` ${op.op} ${op.operand}`}, ${slot.format}`),
  };
}

export interface SiteConfigMeta {
  /** The site file as named in the header comment (a stable, relative name). */
  siteFile: string;
}

/** The template view of a site's tables and payload programs. */
export function siteConfigView(
  data: FirmwareSite,
  programs: readonly PayloadProgram[],
  meta: SiteConfigMeta,
) {
  const site = data.site;
  const transport = site.transport;
  const rtu =
    transport.type === "rtu"
      ? {
          baudRate: transport.baudRate,
          parity: e("parity", transport.parity),
          dataBits: transport.dataBits,
          stopBits: transport.stopBits,
          responseTimeoutMs: transport.responseTimeoutMs,
          turnaroundDelayMs: transport.turnaroundDelayMs,
          interFrameDelayUs: Math.round(transport.interFrameDelayMs * 1000),
          retries: transport.retries,
        }
      : {
          baudRate: 0,
          parity: e("parity", "none"),
          dataBits: 0,
          stopBits: 0,
          responseTimeoutMs: 0,
          turnaroundDelayMs: 0,
          interFrameDelayUs: 0,
          retries: 0,
        };
  const tcp =
    transport.type === "tcp"
      ? {
          connectTimeoutMs: transport.connectTimeoutMs,
          responseTimeoutMs: transport.responseTimeoutMs,
          reconnectDelayMs: transport.reconnectDelayMs,
          reconnectDelayMaxMs: transport.reconnectDelayMaxMs,
          retries: transport.retries,
        }
      : {
          connectTimeoutMs: 0,
          responseTimeoutMs: 0,
          reconnectDelayMs: 0,
          reconnectDelayMaxMs: 0,
          retries: 0,
        };

  const chunks: { text: string; length: number }[] = [];
  const slots: ReturnType<typeof slotRow>[] = [];
  const programRows = programs.map((p) => {
    const row = {
      meter: p.meter === null ? "ampx::kNoMeter" : String(p.meter),
      firstChunk: chunks.length,
      firstSlot: slots.length,
      slotCount: p.slots.length,
      maxLength: p.maxLength,
      comment: cppComment(p.meterId === null ? "the site" : `meter ${p.meterId}`),
    };
    for (const c of p.chunks) chunks.push({ text: cppString(c), length: Buffer.byteLength(c, "utf8") });
    for (const s of p.slots) slots.push(slotRow(s));
    return row;
  });

  const upload = data.upload;
  const literalSecrets = upload
    ? [upload.authSecret, ...upload.headers.map((h) => h.value)].some((s) => s.source === "literal")
    : false;

  return {
    siteFile: cppComment(meta.siteFile),
    siteId: cppComment(site.id),
    transportMacro: transport.type === "rtu" ? "RTU" : "TCP",
    site: {
      id: cppString(site.id),
      name: cppString(site.name),
      intervalMs: data.intervalMs,
      transport: e("transport", transport.type),
    },
    rtu,
    tcp,
    pollClasses: data.pollClasses.map((p) => ({ name: cppString(p.name), intervalMs: p.intervalMs })),
    meters: data.meters.map((m) => ({
      id: cppString(m.meter.id),
      name: cppString(m.meter.name),
      profile: cppString(m.meter.profile.id),
      unitId: m.meter.unitId,
      host: cppString(m.meter.host),
      port: m.meter.port ?? 0,
      priority: m.meter.priority,
      enabled: cppBool(m.meter.enabled),
      serialNumber: cppString(m.meter.serialNumber),
      firstBlock: m.firstBlock,
      blockCount: m.blockCount,
      firstQuantity: m.firstQuantity,
      quantityCount: m.quantityCount,
      comment: cppComment(`[${m.index}] ${m.meter.id}`),
    })),
    blocks: data.blocks.map((b) => ({
      meter: b.meterIndex,
      function: e("registerFunction", b.function),
      start: b.start,
      count: b.count,
      pollClass: b.pollClassIndex,
      firstQuantity: b.firstQuantity,
      quantityCount: b.quantityCount,
      comment: cppComment(
        `[${b.index}] ${data.meters[b.meterIndex]?.meter.id ?? "?"} ${data.pollClasses[b.pollClassIndex]?.name ?? "?"}`,
      ),
    })),
    hasSentinels: data.sentinels.length > 0,
    sentinels: data.sentinels.map(cppDouble),
    quantities: data.quantities.map((q) => {
      const r = q.register;
      return {
        name: cppString(r.quantity),
        unit: cppString(r.canonicalUnit),
        kind: e("quantityKind", r.kind),
        meter: q.meterIndex,
        block: q.blockIndex,
        wordOffset: q.wordOffset,
        pollClass: q.pollClassIndex,
        series: q.series,
        type: e("registerType", r.type),
        wordOrder: e("wordOrder", r.wordOrder),
        count: r.count,
        multiplier: cppDouble(r.multiplier),
        offset: cppDouble(r.offset),
        unitFactor: cppDouble(q.unitFactor),
        hasMin: cppBool(r.range?.min !== undefined),
        min: cppDouble(r.range?.min ?? 0),
        hasMax: cppBool(r.range?.max !== undefined),
        max: cppDouble(r.range?.max ?? 0),
        sentinels: r.sentinels.length === 0 ? "nullptr" : `&kSentinels[${q.firstSentinel}]`,
        sentinelCount: r.sentinels.length,
        comment: cppComment(
          `[${q.index}] ${q.meterId} ${r.quantity} @${r.address} ${r.type} ${r.unit || "-"}`,
        ),
      };
    }),
    seriesCount: data.seriesCount,
    hasUpload: upload !== undefined,
    upload: upload && {
      enabled: cppBool(upload.enabled),
      url: cppString(upload.url),
      mode: e("uploadMode", upload.mode),
      timeoutMs: upload.timeoutMs,
      retryDelayMs: upload.retryDelayMs,
      retryDelayMaxMs: upload.retryDelayMaxMs,
      batchSize: upload.batchSize,
      authKind: e("authKind", upload.authKind),
      authHeader: cppString(upload.authHeader),
      authUsername: cppString(upload.authUsername),
      authSecret: secret(upload.authSecret),
      hasSuccessStatus: upload.successStatus.length > 0,
      successStatus: upload.successStatus,
      hasHeaders: upload.headers.length > 0,
      headers: upload.headers.map((h) => ({ name: cppString(h.name), value: secret(h.value) })),
    },
    literalSecrets,
    hasPayload: programRows.length > 0,
    chunks,
    slots,
    programs: programRows,
    maxPayloadLength: Math.max(0, ...programs.map((p) => p.maxLength)),
  };
}

export type SiteConfigView = ReturnType<typeof siteConfigView>;
