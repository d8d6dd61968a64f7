// How well a profile explains what a unit answers: decoded fingerprint values weighed by how telling a
// plausible value of that quantity is (a voltage of 230 V says more than a power of 12 kW).
import { familyOf, isPlausible } from "../probe/index.js";
import type { QuantityName, ResolvedProfile } from "../model.js";

/** Quantities read to recognise a meter model, and how much a plausible value of each counts. */
export const FINGERPRINT: ReadonlyArray<{ quantity: QuantityName; weight: number }> = [
  { quantity: "voltage_l1", weight: 2 },
  { quantity: "voltage_l2", weight: 2 },
  { quantity: "voltage_l3", weight: 2 },
  { quantity: "voltage_ln_avg", weight: 2 },
  { quantity: "voltage_l1_l2", weight: 2 },
  { quantity: "frequency", weight: 2 },
  { quantity: "frequency_l1", weight: 2 },
  { quantity: "power_factor_total", weight: 1 },
  { quantity: "power_factor_l1", weight: 1 },
  { quantity: "current_l1", weight: 0.5 },
  { quantity: "active_power_total", weight: 0.5 },
];

export interface Evidence {
  quantity: string;
  /** Decoded value (canonical unit), or null when the read failed or the value is invalid. */
  value: number | string | null;
  unit: string;
  /** Points this reading adds (negative: it speaks against the profile). */
  points: number;
  /** Why, when it is not a plain plausible or zero reading. */
  note?: string;
}

export interface ProfileScore {
  profileId: string;
  /** Sum of the evidence points. */
  score: number;
  /** The most the profile could score with what it defines. */
  maxScore: number;
  evidence: Evidence[];
  /** Identification values read (e.g. serial_number), by quantity. */
  identification: Record<string, number | string>;
}

/**
 * The fingerprint quantities a profile defines, with their weights. A profile with fewer than two of
 * them (a map of a few power registers) is judged on up to four of its instantaneous quantities instead,
 * at low weight: weak evidence is better than none.
 */
export function fingerprintOf(
  profile: Pick<ResolvedProfile, "registers">,
): { quantity: QuantityName; weight: number }[] {
  const known = FINGERPRINT.filter((f) => profile.registers.some((r) => r.quantity === f.quantity));
  if (known.length >= 2) return known;
  const others = profile.registers
    .filter((r) => r.kind === "instantaneous" && !known.some((k) => k.quantity === r.quantity))
    .slice(0, 4 - known.length)
    .map((r) => ({ quantity: r.quantity, weight: 0.5 }));
  return [...known, ...others];
}

/**
 * Points for one decoded reading: the full weight when plausible, nothing for zero (a meter without
 * load or voltage reads 0 whatever its model), minus the weight when implausible or invalid.
 */
export function pointsFor(
  quantity: string,
  value: number | string | null,
  quality: string,
  weight: number,
): Evidence["points"] {
  if (typeof value !== "number" || quality === "invalid") return -weight;
  if (value === 0) return 0;
  return isPlausible(value, familyOf(quantity)) ? weight : -weight;
}

/** Best first; a profile needs at least half its possible score to be named a match. */
export function rank(scores: ProfileScore[]): ProfileScore[] {
  return [...scores].sort(
    (a, b) => ratio(b) - ratio(a) || b.score - a.score || a.profileId.localeCompare(b.profileId),
  );
}

export function ratio(score: ProfileScore): number {
  return score.maxScore > 0 ? score.score / score.maxScore : 0;
}

export function isMatch(score: ProfileScore): boolean {
  return score.maxScore > 0 && ratio(score) >= 0.5;
}
