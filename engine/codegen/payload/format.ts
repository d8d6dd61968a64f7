// Slot values → text, exactly as rendering the handlebars template in the engine writes them. This
// is the reference the C++ payload writer follows (firmware/include/ampx_site_types.h SlotFormat).
import type { SlotFormat } from "../enums.js";
import type { IntervalValues, PayloadSlot, SlotValueSpec } from "./slot.js";

export type SlotScalar = number | string | boolean | undefined;

/** handlebars' escapeExpression table. */
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
  "`": "&#x60;",
  "=": "&#x3D;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** JSON.stringify, with missing and non-finite numbers as null. */
export function jsonText(value: SlotScalar): string {
  if (value === undefined) return "null";
  return JSON.stringify(value);
}

/** How handlebars prints a value: String(value), missing as "". */
export function plainText(value: SlotScalar): string {
  return value === undefined ? "" : String(value);
}

export function formatSlotValue(value: SlotScalar, format: SlotFormat): string {
  switch (format) {
    case "json":
      return jsonText(value);
    case "jsonInner":
      return JSON.stringify(plainText(value)).slice(1, -1);
    case "text":
      return plainText(value);
    case "textEscaped":
      return escapeHtml(plainText(value));
  }
}

/** 2026-12-04T10:15:00.000Z → 2026-12-04T10:15:00Z */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function timeValue(epochMs: number, repr: Extract<SlotValueSpec, { time: unknown }>["time"]): SlotScalar {
  switch (repr) {
    case "isoMillis":
      return new Date(epochMs).toISOString();
    case "isoSeconds":
      return isoSeconds(epochMs);
    case "epochMillis":
      return epochMs;
    case "epochSeconds":
      return Math.floor(epochMs / 1000);
  }
}

/** The raw value of a slot for one interval, before its ops and format. */
export function slotSourceValue(spec: SlotValueSpec, interval: IntervalValues): SlotScalar {
  if (spec.source === "identity") {
    const value = interval.identity(spec.meterId, spec.quantityName);
    return value === undefined ? undefined : String(value);
  }
  if (spec.source !== "aggregate") {
    return timeValue(spec.source === "intervalStart" ? interval.start : interval.end, spec.time);
  }
  const aggregate = interval.aggregate(spec.meterId, spec.quantityName);
  if (aggregate === undefined) return undefined;
  const value = (aggregate as unknown as Record<string, unknown>)[spec.field];
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean"
    ? value
    : undefined;
}

/** A slot's text for one interval: its source value, its ops (numbers only; missing stays missing), its format. */
export function slotText(slot: PayloadSlot, interval: IntervalValues): string {
  let value = slotSourceValue(slot.value, interval);
  for (const { op, operand } of slot.ops) {
    if (typeof value !== "number") continue;
    value = op === "multiply" ? value * operand : value / operand;
  }
  return formatSlotValue(value, slot.format);
}

/** The widest text a slot can produce, in bytes (for buffer sizes; never an underestimate). */
export function slotMaxLength(slot: PayloadSlot): number {
  const numeric = 25; // "-0.0000012345678901234567" (ampx_json.h kMaxJsonNumberChars), longer than -Infinity
  if (slot.value.source === "identity") return 2 + 6 * 128; // a 64-register string, every byte \u-escaped, quoted
  if (slot.value.source !== "aggregate") return slot.value.time === "isoMillis" ? 26 : numeric;
  switch (slot.value.field) {
    case "quality":
      return 9; // "partial" quoted
    case "reset":
      return 5;
    default:
      return numeric;
  }
}
