// Raw unit → canonical unit conversion. A profile states the unit of raw × multiplier + offset
// (what the meter reports); decode multiplies by the factor below to reach the quantity's
// canonical unit. The table is closed on purpose: an unknown pair is a profile error, never a guess.
import type { CanonicalUnit } from "../model.js";

/** Factor from each raw unit to its canonical unit (value_canonical = value_raw × factor). */
const RAW_UNITS: Readonly<Record<string, { canonical: CanonicalUnit; factor: number }>> = {
  kV: { canonical: "V", factor: 1000 },
  V: { canonical: "V", factor: 1 },
  mV: { canonical: "V", factor: 0.001 },
  kA: { canonical: "A", factor: 1000 },
  A: { canonical: "A", factor: 1 },
  mA: { canonical: "A", factor: 0.001 },
  MW: { canonical: "W", factor: 1_000_000 },
  kW: { canonical: "W", factor: 1000 },
  W: { canonical: "W", factor: 1 },
  Mvar: { canonical: "var", factor: 1_000_000 },
  kvar: { canonical: "var", factor: 1000 },
  var: { canonical: "var", factor: 1 },
  MVA: { canonical: "VA", factor: 1_000_000 },
  kVA: { canonical: "VA", factor: 1000 },
  VA: { canonical: "VA", factor: 1 },
  MWh: { canonical: "kWh", factor: 1000 },
  kWh: { canonical: "kWh", factor: 1 },
  Wh: { canonical: "kWh", factor: 0.001 },
  Mvarh: { canonical: "kvarh", factor: 1000 },
  kvarh: { canonical: "kvarh", factor: 1 },
  varh: { canonical: "kvarh", factor: 0.001 },
  MVAh: { canonical: "kVAh", factor: 1000 },
  kVAh: { canonical: "kVAh", factor: 1 },
  VAh: { canonical: "kVAh", factor: 0.001 },
  Hz: { canonical: "Hz", factor: 1 },
  "%": { canonical: "%", factor: 1 },
  "": { canonical: "", factor: 1 },
};

/** Every raw unit the table knows (the profile schema's RawUnit enum lists the same set). */
export const rawUnits: readonly string[] = Object.freeze(Object.keys(RAW_UNITS));

// A Map for the lookups: decode asks once per register read.
const BY_RAW = new Map(Object.entries(RAW_UNITS));

/**
 * The factor that converts a value in `raw` to `canonical`, or undefined when the raw unit is
 * unknown or measures something else (e.g. kWh for a quantity in W).
 */
export function unitFactor(raw: string, canonical: string): number | undefined {
  const entry = BY_RAW.get(raw);
  return entry !== undefined && entry.canonical === canonical ? entry.factor : undefined;
}

/** The canonical unit a raw unit converts to, or undefined when the raw unit is unknown. */
export function canonicalUnitOf(raw: string): CanonicalUnit | undefined {
  return BY_RAW.get(raw)?.canonical;
}
