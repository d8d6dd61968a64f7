// test/vectors/json-numbers.json: doubles (as IEEE-754 bits) and the text JSON.stringify writes for
// them. The firmware's payload writer must produce the same text (firmware/test/test_json.cpp);
// any other JSON writer of the project can check itself against the same file.
import { seededRandom } from "./random.js";

export interface JsonNumberCase {
  /** The double's 64 bits, big-endian hex (16 digits), so that -0, NaN and ±Infinity can be written. */
  bits: string;
  /** JSON.stringify(value): "null" for NaN and ±Infinity. */
  expected: string;
}

export interface JsonNumberVectors {
  description: string;
  cases: JsonNumberCase[];
}

function bitsOf(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

function fromBits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt.asUintN(64, bits));
  return view.getFloat64(0);
}

/** The doubles next to x (one unit in the last place either side). */
function neighbours(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  return [fromBits(bits - 1n), fromBits(bits + 1n)];
}

export function buildJsonNumberVectors(): JsonNumberVectors {
  const values: number[] = [
    0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 230.12, -230.12, 1e21, 1e-7, 1e-6, 1.5e-6, 1e20, 1e22,
    123456789012345680000, 999999999999999900000, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE,
    -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 2 ** 63, -(2 ** 63), 4294967295,
    65535, -32768, 100, 1000000, 0.5, 0.25, 0.001, 0.000123, 12.5, 1e100, 1e-100, 1.7976931348623157e308,
    4.35, 0.07, 1.005, 9.995, 123.456, 5e-7, 5e-6, 9.999999999999999e20, NaN, Infinity, -Infinity,
  ];
  for (let e = -30; e <= 30; e++) {
    const p = Number(`1e${e}`);
    values.push(p, -p, ...neighbours(p));
  }
  values.push(...neighbours(1e21), ...neighbours(1e-6), ...neighbours(1e-7));
  const random = seededRandom(20261204);
  const u32 = () => Math.floor(random() * 4294967296);
  // Any finite double, from random bits.
  for (let i = 0; i < 400; i++) {
    const x = fromBits((BigInt(u32()) << 32n) | BigInt(u32()));
    if (Number.isFinite(x)) values.push(x);
  }
  // Decimal-looking readings at many scales.
  for (let i = 0; i < 300; i++) {
    const sign = random() < 0.2 ? -1 : 1;
    values.push((sign * Math.round(random() * 1e6)) / 10 ** Math.floor(random() * 10));
  }
  // What decode produces: integer raw × multiplier + offset, × unit factor, and means of them.
  const multipliers = [0.1, 0.01, 0.001, 0.0001, 1 / 1000, 0.5, 10];
  const factors = [1, 1000, 0.001];
  for (let i = 0; i < 300; i++) {
    const raw = u32() % (random() < 0.5 ? 65536 : 4294967296);
    const m = multipliers[i % multipliers.length] as number;
    const f = factors[i % factors.length] as number;
    const value = (raw * m + 0) * f;
    values.push(value, value / 7, (value + raw * m) / 2);
  }
  // Float32 readings widened to double (the f32 registers of most meters).
  for (let i = 0; i < 200; i++) values.push(Math.fround(random() * 10 ** (Math.floor(random() * 12) - 4)));

  const seen = new Set<string>();
  const cases: JsonNumberCase[] = [];
  for (const value of values) {
    const bits = bitsOf(value);
    if (seen.has(bits)) continue;
    seen.add(bits);
    cases.push({ bits, expected: JSON.stringify(value) });
  }
  return {
    description:
      "Doubles (IEEE-754 bits, big-endian hex) and JSON.stringify of each, written by " +
      "test/firmware/vectors/json-numbers.ts. Regenerate with: npx tsx test/firmware/vectors/write.ts",
    cases,
  };
}
