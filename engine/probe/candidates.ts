// Every way a register area can be read as one value near an address — address ±1 × type × word order ×
// scale — judged for a quantity and ranked, most plausible first. Pure: the words come from probe.ts.
import { decodeRegister } from "../decode/index.js";
import type { RegisterType, WordOrder } from "../model.js";
import { closeness, familyOf, isPlausible } from "./plausibility.js";
import type { QuantityFamily } from "./plausibility.js";

/** Registers read, from `start`; undefined where the meter refused the address. */
export interface RegisterArea {
  start: number;
  words: (number | undefined)[];
}

export interface Candidate {
  /** Wire address of the value's first register. */
  address: number;
  /** Registers the value occupies. */
  width: number;
  /** Types that read these words as the same value (u32 and s32 agree on a positive number). */
  types: RegisterType[];
  /** Word orders that read them as the same value (ABCD and CDAB are one for a single register). */
  wordOrders: WordOrder[];
  /** value = raw × scale, in the quantity's canonical unit. */
  scale: number;
  value: number;
  plausible: boolean;
  /** The next value of the same shape (address + width), as a phase L2 follows L1. */
  next?: { value: number; plausible: boolean };
  /** Higher is likelier; only the order means anything. */
  score: number;
  /** The words of the value, as read (wire order). */
  words: number[];
}

export const PROBE_TYPES: readonly RegisterType[] = ["f32", "u32", "s32", "u16", "s16", "f64", "u64", "s64"];
const ORDERS: readonly WordOrder[] = ["ABCD", "CDAB", "BADC", "DCBA"];
const WIDTH: Partial<Record<RegisterType, number>> = {
  u16: 1,
  s16: 1,
  f32: 2,
  u32: 2,
  s32: 2,
  f64: 4,
  u64: 4,
  s64: 4,
};

function wordsAt(area: RegisterArea, address: number, width: number): number[] | undefined {
  const words: number[] = [];
  for (let a = address; a < address + width; a++) {
    const w = area.words[a - area.start];
    if (w === undefined) return undefined;
    words.push(w);
  }
  return words;
}

function raw(type: RegisterType, order: WordOrder, words: number[]): number {
  const decoded = decodeRegister(
    {
      type,
      count: words.length,
      wordOrder: order,
      multiplier: 1,
      offset: 0,
      unit: "",
      canonicalUnit: "",
      sentinels: [],
    },
    words,
  );
  return typeof decoded.value === "number" ? decoded.value : NaN;
}

/** Rounds away binary noise (230.1 rather than 230.10000000000002) so equal readings group together. */
const tidy = (value: number): number => (Number.isFinite(value) ? Number(value.toPrecision(12)) : value);

function score(c: Omit<Candidate, "score">, family: QuantityFamily, address: number): number {
  if (!c.plausible) return 0;
  let s = 100 + 20 * closeness(c.value, family);
  // A zero proves nothing: any empty register reads as zero in every type and order.
  if (c.value === 0) s -= 40;
  // Phases come in threes: a neighbour of the same shape and a similar size makes the reading likelier.
  // A neighbour outside the area read is no evidence either way, and counts like an implausible one, so
  // that a wide type whose neighbour was not read gains nothing over a narrow one whose neighbour fails.
  if (!family.phased) {
    // A lone quantity (frequency): its neighbours are other quantities and say nothing.
  } else if (c.next?.plausible === true && c.next.value !== 0 && c.value !== 0) {
    const ratio =
      Math.min(Math.abs(c.value), Math.abs(c.next.value)) /
      Math.max(Math.abs(c.value), Math.abs(c.next.value));
    s += ratio >= 0.5 ? 30 : 10;
  } else if (c.next?.plausible !== true) s -= 10;
  // Prefer the simplest explanation: no scaling, the address asked for, the narrowest type (zeros in the
  // extra words of a wider type read the same), and floats, the common meter encoding.
  s -= 5 * Math.abs(Math.log10(c.scale));
  if (c.address !== address) s -= 2;
  s -= Math.log2(c.width);
  if (c.types.includes("f32") || c.types.includes("f64")) s += 1.5;
  return s;
}

/**
 * Every reading of the area as a value at `address` − 1, `address` or `address` + 1, grouped where types
 * and word orders agree, ranked by plausibility for `quantity`.
 */
export function rankCandidates(area: RegisterArea, address: number, quantity: string): Candidate[] {
  const family = familyOf(quantity);
  const groups = new Map<string, Omit<Candidate, "score">>();
  for (const at of [address - 1, address, address + 1]) {
    if (at < 0) continue;
    for (const type of PROBE_TYPES) {
      const width = WIDTH[type]!;
      const words = wordsAt(area, at, width);
      if (words === undefined) continue;
      const nextWords = wordsAt(area, at + width, width);
      for (const order of ORDERS) {
        const rawValue = raw(type, order, words);
        const nextRaw = nextWords === undefined ? undefined : raw(type, order, nextWords);
        for (const scale of family.scales) {
          const value = tidy(rawValue * scale);
          const next = nextRaw === undefined ? undefined : tidy(nextRaw * scale);
          const key = `${at}/${width}/${scale}/${value}/${next}`;
          const group = groups.get(key);
          if (group !== undefined) {
            if (!group.types.includes(type)) group.types.push(type);
            if (!group.wordOrders.includes(order)) group.wordOrders.push(order);
            continue;
          }
          const candidate: Omit<Candidate, "score"> = {
            address: at,
            width,
            types: [type],
            wordOrders: [order],
            scale,
            value,
            plausible: isPlausible(value, family),
            words,
          };
          if (next !== undefined) {
            candidate.next = { value: next, plausible: isPlausible(next, family) };
          }
          groups.set(key, candidate);
        }
      }
    }
  }
  const ranked = [...groups.values()].map((c) => ({ ...c, score: score(c, family, address) }));
  // Array.sort is stable: equal scores keep the order above (lower address, type and order as listed).
  return ranked.sort((a, b) => b.score - a.score);
}
