// The handlebars helpers payload templates may use. Every helper emits one complete JSON value, so a template's
// own text is only structure (braces, keys, commas) and the firmware codegen can compile it into literal chunks
// plus typed value slots. Keep this set small: the firmware implements each helper too.
import Handlebars from "handlebars";
import type { HelperOptions } from "handlebars";

/** Epoch ms → "2026-12-04T10:15:00Z" (milliseconds only when not zero), as a JSON string. */
export function isoTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

const hashOf = (args: unknown[]): Record<string, unknown> =>
  (args.at(-1) as HelperOptions | undefined)?.hash ?? {};

/** JSON.stringify of a finite number, or null for anything else (missing, NaN, Infinity, not a number). */
export function jsonNumber(value: unknown, divide?: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "null";
  const divisor = typeof divide === "number" && divide !== 0 ? divide : 1;
  const scaled = divisor === 1 ? value : value / divisor;
  return Number.isFinite(scaled) ? JSON.stringify(scaled) : "null";
}

/** JSON literal of a string, boolean or number; null (or the `default` hash value) when missing or not finite. */
export function jsonValue(value: unknown, fallback?: unknown): string {
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return JSON.stringify(value);
  return fallback === undefined ? "null" : JSON.stringify(fallback);
}

/** The helpers, by name. Documented in docs/payload.md ("Template helpers"). */
export const payloadHelpers = {
  /** {{json x}} → "text" / 12.5 / true / null; {{json x default=""}} uses the default when x is missing. */
  json: (...args: unknown[]): string =>
    jsonValue(args.length > 1 ? args[0] : undefined, hashOf(args).default),
  /** {{str x}} → x as a JSON string ("" when missing, or the `default` hash value). */
  str: (...args: unknown[]): string => {
    const value = args.length > 1 ? args[0] : undefined;
    if (value === undefined || value === null) return JSON.stringify(String(hashOf(args).default ?? ""));
    return JSON.stringify(String(value));
  },
  /** {{num x}} → JSON number or null; {{num x divide=1000}} scales (W → kW) with one correctly rounded division. */
  num: (...args: unknown[]): string => jsonNumber(args.length > 1 ? args[0] : undefined, hashOf(args).divide),
  /** {{iso ms}} → "2026-12-04T10:15:00Z" (UTC), or null when ms is not a number. */
  iso: (...args: unknown[]): string => {
    const value = args.length > 1 ? args[0] : undefined;
    return typeof value === "number" && Number.isFinite(value) ? JSON.stringify(isoTimestamp(value)) : "null";
  },
} as const;

/** A handlebars environment with only the payload helpers (plus the built-in block helpers). */
export function payloadHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(payloadHelpers)) hb.registerHelper(name, helper);
  return hb;
}

/** Compile options: no HTML escaping (helpers emit JSON), and unknown helpers are compile errors. */
export const payloadCompileOptions = {
  noEscape: true,
  knownHelpers: { json: true, str: true, num: true, iso: true },
  knownHelpersOnly: true,
} as const;
