// Shared by the decode tests: the vector file's shape and the tolerance every consumer uses.
import { expect } from "vitest";
import type { CanonicalUnit, RegisterType, WordOrder } from "../../engine/model.js";
import type { DecodeSpec } from "../../engine/decode/index.js";

export interface Vector {
  name: string;
  words: number[];
  type: RegisterType;
  wordOrder: WordOrder;
  multiplier: number;
  offset: number;
  unit: string;
  canonicalUnit: string;
  range?: { min?: number; max?: number };
  sentinels: number[];
  length?: number;
  expected: { value: number | string | null; quality: string };
}

const WIDTH: Record<string, number> = { u16: 1, s16: 1, u32: 2, s32: 2, f32: 2, u64: 4, s64: 4, f64: 4 };

export function specOf(v: Vector): DecodeSpec {
  return {
    quantity: v.name,
    type: v.type,
    count: v.type === "string" ? (v.length as number) : (WIDTH[v.type] as number),
    wordOrder: v.wordOrder,
    multiplier: v.multiplier,
    offset: v.offset,
    unit: v.unit,
    canonicalUnit: v.canonicalUnit as CanonicalUnit,
    ...(v.range === undefined ? {} : { range: v.range }),
    sentinels: v.sentinels,
  };
}

/** Relative tolerance 1e-9, absolute 1e-12 near zero (the contract in TEAM.md). */
export function expectClose(actual: unknown, expected: number, label = ""): void {
  expect(typeof actual, label).toBe("number");
  const a = actual as number;
  const tolerance = Math.max(1e-12, Math.abs(expected) * 1e-9);
  expect(Math.abs(a - expected), `${label}: ${a} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
