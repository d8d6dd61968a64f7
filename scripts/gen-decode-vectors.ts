// Writes test/vectors/decode.json, the decode cases the TypeScript engine and the C++ firmware core
// both run. Every expected value below is stated literally; the words are laid out here with
// DataView and an explicit byte table, never with engine/decode, so the vectors check the decoder
// instead of echoing it. Run: npx tsx scripts/gen-decode-vectors.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";

type NumericType = "u16" | "s16" | "u32" | "s32" | "u64" | "s64" | "f32" | "f64";
type Order = "ABCD" | "CDAB" | "BADC" | "DCBA";
const ORDERS: readonly Order[] = ["ABCD", "CDAB", "BADC", "DCBA"];

export interface DecodeVector {
  name: string;
  words: number[];
  type: NumericType | "string";
  wordOrder: Order;
  multiplier: number;
  offset: number;
  unit: string;
  canonicalUnit: string;
  range?: { min?: number; max?: number };
  sentinels: number[];
  length?: number;
  expected: { value: number | string | null; quality: "good" | "invalid" | "out_of_range" };
}

/**
 * Wire byte i is value byte PERMUTATION[width][order][i], value bytes big-endian (0 = most
 * significant). Written out by hand from the definition in engine/decode/words.ts.
 */
const PERMUTATION: Record<number, Record<Order, number[]>> = {
  2: { ABCD: [0, 1], CDAB: [0, 1], BADC: [1, 0], DCBA: [1, 0] },
  4: { ABCD: [0, 1, 2, 3], CDAB: [2, 3, 0, 1], BADC: [1, 0, 3, 2], DCBA: [3, 2, 1, 0] },
  8: {
    ABCD: [0, 1, 2, 3, 4, 5, 6, 7],
    CDAB: [6, 7, 4, 5, 2, 3, 0, 1],
    BADC: [1, 0, 3, 2, 5, 4, 7, 6],
    DCBA: [7, 6, 5, 4, 3, 2, 1, 0],
  },
};

const BYTES: Record<NumericType, number> = { u16: 2, s16: 2, u32: 4, s32: 4, f32: 4, u64: 8, s64: 8, f64: 8 };

/** The big-endian bytes of a raw value of a type (`bits` gives the unsigned bit pattern instead). */
function bigEndian(type: NumericType, raw: number | bigint, bits = false): Uint8Array {
  const bytes = new Uint8Array(BYTES[type]);
  const v = new DataView(bytes.buffer);
  if (bits) {
    const b = BigInt(raw);
    if (bytes.length === 2) v.setUint16(0, Number(b));
    else if (bytes.length === 4) v.setUint32(0, Number(b));
    else v.setBigUint64(0, b);
    return bytes;
  }
  switch (type) {
    case "u16":
      v.setUint16(0, Number(raw));
      break;
    case "s16":
      v.setInt16(0, Number(raw));
      break;
    case "u32":
      v.setUint32(0, Number(raw));
      break;
    case "s32":
      v.setInt32(0, Number(raw));
      break;
    case "f32":
      v.setFloat32(0, Number(raw));
      break;
    case "u64":
      v.setBigUint64(0, BigInt(raw));
      break;
    case "s64":
      v.setBigInt64(0, BigInt(raw));
      break;
    case "f64":
      v.setFloat64(0, Number(raw));
      break;
  }
  return bytes;
}

function toWire(bytes: Uint8Array, order: Order): number[] {
  const perm = PERMUTATION[bytes.length]?.[order];
  if (perm === undefined) throw new Error(`no permutation for ${bytes.length} bytes`);
  const wire = perm.map((i) => bytes[i] as number);
  const words: number[] = [];
  for (let i = 0; i < wire.length; i += 2) words.push(((wire[i] as number) << 8) | (wire[i + 1] as number));
  return words;
}

interface NumericCase {
  name: string;
  type: NumericType;
  order?: Order;
  /** The raw value the words hold, or with `bits`, the raw bit pattern. */
  raw: number | bigint;
  bits?: boolean;
  multiplier?: number;
  offset?: number;
  unit?: string;
  canonicalUnit?: string;
  range?: { min?: number; max?: number };
  sentinels?: number[];
  value: number | null;
  quality?: "good" | "invalid" | "out_of_range";
}

function numeric(c: NumericCase): DecodeVector {
  const order = c.order ?? "ABCD";
  const vector: DecodeVector = {
    name: c.name,
    words: toWire(bigEndian(c.type, c.raw, c.bits), order),
    type: c.type,
    wordOrder: order,
    multiplier: c.multiplier ?? 1,
    offset: c.offset ?? 0,
    unit: c.unit ?? "",
    canonicalUnit: c.canonicalUnit ?? c.unit ?? "",
    sentinels: c.sentinels ?? [],
    expected: { value: c.value, quality: c.quality ?? (c.value === null ? "invalid" : "good") },
  };
  if (c.range !== undefined) vector.range = c.range;
  return vector;
}

function text(
  name: string,
  chars: string,
  length: number,
  order: Order,
  value: string,
  range?: DecodeVector["range"],
): DecodeVector {
  const words: number[] = [];
  for (let i = 0; i < length; i++)
    words.push(((chars.charCodeAt(2 * i) || 0) << 8) | (chars.charCodeAt(2 * i + 1) || 0));
  const vector: DecodeVector = {
    name,
    words,
    type: "string",
    wordOrder: order,
    multiplier: 1,
    offset: 0,
    unit: "",
    canonicalUnit: "",
    sentinels: [],
    length,
    expected: { value, quality: "good" },
  };
  if (range !== undefined) vector.range = range;
  return vector;
}

/** One value per type whose bytes all differ, so any byte or word mix-up shows. */
const PER_TYPE: { type: NumericType; raw: number | bigint; value: number; note: string }[] = [
  { type: "u16", raw: 0x1234, value: 4660, note: "0x1234" },
  { type: "s16", raw: -12345, value: -12345, note: "negative, 0xCFC7" },
  { type: "u32", raw: 0x12345678, value: 305419896, note: "0x12345678" },
  { type: "s32", raw: -123456789, value: -123456789, note: "negative, 0xF8A432EB" },
  {
    type: "u64",
    raw: 0x0123456789abcdefn,
    value: Number(81985529216486895n),
    note: "0x0123456789ABCDEF, beyond 2^53",
  },
  { type: "s64", raw: -123456789012345n, value: -123456789012345, note: "negative" },
  { type: "f32", raw: 1234.5678, value: 1234.5677490234375, note: "1234.5678 rounded to float32" },
  { type: "f64", raw: -1234.5678, value: -1234.5678, note: "negative" },
];

export function buildVectors(): { cases: DecodeVector[] } {
  const cases: DecodeVector[] = [];

  // Every type × every word order.
  for (const t of PER_TYPE) {
    for (const order of ORDERS) {
      cases.push(
        numeric({ name: `${t.type} ${order} ${t.note}`, type: t.type, order, raw: t.raw, value: t.value }),
      );
    }
  }
  // More negative values for the signed types, in a swapped order too.
  cases.push(
    numeric({ name: "s16 -1 (0xFFFF) without sentinel", type: "s16", raw: -1, value: -1 }),
    numeric({ name: "s16 minimum -32768", type: "s16", order: "BADC", raw: -32768, value: -32768 }),
    numeric({ name: "s32 -1 CDAB", type: "s32", order: "CDAB", raw: -1, value: -1 }),
    numeric({ name: "s32 minimum DCBA", type: "s32", order: "DCBA", raw: -2147483648, value: -2147483648 }),
    numeric({ name: "s64 -1 CDAB", type: "s64", order: "CDAB", raw: -1n, value: -1 }),
    numeric({
      name: "s64 minimum -2^63",
      type: "s64",
      raw: -0x8000000000000000n,
      value: -9223372036854775808,
    }),
    numeric({ name: "f32 negative CDAB", type: "f32", order: "CDAB", raw: -0.15625, value: -0.15625 }),
  );
  // u64 beyond 2^53.
  cases.push(
    numeric({
      name: "u64 2^53 + 1 (not exact as a double)",
      type: "u64",
      raw: 9007199254740993n,
      value: 9007199254740992,
    }),
    numeric({
      name: "u64 0xFFFFFFFFFFFFFFFE without sentinel",
      type: "u64",
      order: "DCBA",
      raw: 0xfffffffffffffffen,
      value: Number(18446744073709551614n),
    }),
    numeric({
      name: "u64 Wh beyond 2^53 to kWh",
      type: "u64",
      order: "CDAB",
      raw: 12345678901234567890n,
      unit: "Wh",
      canonicalUnit: "kWh",
      value: Number("12345678901234567.89"),
    }),
  );
  // Multiplier and offset.
  cases.push(
    numeric({ name: "u16 ×0.1 V", type: "u16", raw: 2305, multiplier: 0.1, unit: "V", value: 230.5 }),
    numeric({ name: "s16 ×0.01 negative", type: "s16", raw: -500, multiplier: 0.01, unit: "A", value: -5 }),
    numeric({
      name: "s16 ×0.001 power factor",
      type: "s16",
      order: "BADC",
      raw: -987,
      multiplier: 0.001,
      value: -0.987,
    }),
    numeric({
      name: "u16 ×0.1 + offset -40",
      type: "u16",
      raw: 1000,
      multiplier: 0.1,
      offset: -40,
      unit: "%",
      value: 60,
    }),
    numeric({ name: "u16 ×0.01 Hz", type: "u16", raw: 5002, multiplier: 0.01, unit: "Hz", value: 50.02 }),
    numeric({
      name: "s32 ×-1 reversed direction",
      type: "s32",
      raw: 1000,
      multiplier: -1,
      unit: "W",
      value: -1000,
    }),
    numeric({
      name: "s32 CDAB ÷10 V",
      type: "s32",
      order: "CDAB",
      raw: 2301,
      multiplier: 0.1,
      unit: "V",
      value: 230.1,
    }),
    numeric({
      name: "f32 ×0.1 V (scaled float)",
      type: "f32",
      raw: 2301,
      multiplier: 0.1,
      unit: "V",
      value: 230.1,
    }),
    numeric({
      name: "f32 ×0.001 A (scaled float)",
      type: "f32",
      raw: 4250,
      multiplier: 0.001,
      unit: "A",
      value: 4.25,
    }),
    numeric({ name: "f64 offset only", type: "f64", raw: 10.5, offset: 2.25, unit: "V", value: 12.75 }),
  );
  // Unit conversions.
  cases.push(
    numeric({ name: "f32 kW → W", type: "f32", raw: 1.5, unit: "kW", canonicalUnit: "W", value: 1500 }),
    numeric({
      name: "f32 negative kW → W",
      type: "f32",
      raw: -0.625,
      unit: "kW",
      canonicalUnit: "W",
      value: -625,
    }),
    numeric({ name: "f32 MW → W", type: "f32", raw: 0.25, unit: "MW", canonicalUnit: "W", value: 250000 }),
    numeric({
      name: "f32 kvar → var",
      type: "f32",
      raw: -2.5,
      unit: "kvar",
      canonicalUnit: "var",
      value: -2500,
    }),
    numeric({ name: "f32 kVA → VA", type: "f32", raw: 3.75, unit: "kVA", canonicalUnit: "VA", value: 3750 }),
    numeric({
      name: "u32 kV ×0.001 → V",
      type: "u32",
      raw: 400,
      multiplier: 0.001,
      unit: "kV",
      canonicalUnit: "V",
      value: 400,
    }),
    numeric({ name: "u16 mA → A", type: "u16", raw: 1500, unit: "mA", canonicalUnit: "A", value: 1.5 }),
    numeric({ name: "s32 mV → V", type: "s32", raw: -230500, unit: "mV", canonicalUnit: "V", value: -230.5 }),
    numeric({
      name: "u16 kA ×0.01 → A",
      type: "u16",
      raw: 125,
      multiplier: 0.01,
      unit: "kA",
      canonicalUnit: "A",
      value: 1250,
    }),
    numeric({
      name: "u32 Wh → kWh",
      type: "u32",
      raw: 123456,
      unit: "Wh",
      canonicalUnit: "kWh",
      value: 123.456,
    }),
    numeric({
      name: "s64 Wh → kWh (AmpX 2512 sample)",
      type: "s64",
      raw: 38250n,
      unit: "Wh",
      canonicalUnit: "kWh",
      value: 38.25,
    }),
    numeric({
      name: "u32 0.1 kWh steps",
      type: "u32",
      raw: 12345,
      multiplier: 0.1,
      unit: "kWh",
      value: 1234.5,
    }),
    numeric({
      name: "u32 0.1 kWh steps CDAB",
      type: "u32",
      order: "CDAB",
      raw: 987654321,
      multiplier: 0.1,
      unit: "kWh",
      value: 98765432.1,
    }),
    numeric({ name: "u32 0.01 kWh steps", type: "u32", raw: 7, multiplier: 0.01, unit: "kWh", value: 0.07 }),
    numeric({ name: "u32 MWh → kWh", type: "u32", raw: 42, unit: "MWh", canonicalUnit: "kWh", value: 42000 }),
    numeric({
      name: "u32 varh → kvarh",
      type: "u32",
      raw: 2500,
      unit: "varh",
      canonicalUnit: "kvarh",
      value: 2.5,
    }),
    numeric({
      name: "u32 Mvarh → kvarh",
      type: "u32",
      raw: 3,
      unit: "Mvarh",
      canonicalUnit: "kvarh",
      value: 3000,
    }),
    numeric({
      name: "u32 VAh → kVAh",
      type: "u32",
      raw: 750,
      unit: "VAh",
      canonicalUnit: "kVAh",
      value: 0.75,
    }),
    numeric({
      name: "u32 MVAh → kVAh",
      type: "u32",
      raw: 2,
      unit: "MVAh",
      canonicalUnit: "kVAh",
      value: 2000,
    }),
    numeric({
      name: "f32 Mvar → var",
      type: "f32",
      raw: 0.5,
      unit: "Mvar",
      canonicalUnit: "var",
      value: 500000,
    }),
    numeric({
      name: "f32 MVA → VA",
      type: "f32",
      raw: 1.25,
      unit: "MVA",
      canonicalUnit: "VA",
      value: 1250000,
    }),
    numeric({
      name: "f32 kWh ×0.001 (Wh-valued float declared kWh)",
      type: "f32",
      raw: 5000,
      multiplier: 0.001,
      unit: "kWh",
      value: 5,
    }),
    numeric({ name: "f32 Hz", type: "f32", raw: 49.875, unit: "Hz", value: 49.875 }),
    numeric({
      name: "f32 ×1000 kW → W (offset before unit)",
      type: "f32",
      raw: 2,
      multiplier: 0.5,
      offset: 0.25,
      unit: "kW",
      canonicalUnit: "W",
      value: 1250,
    }),
  );
  // Sentinels (matched on the raw value or its unsigned bits, before the multiplier).
  cases.push(
    numeric({ name: "u16 sentinel 0xFFFF", type: "u16", raw: 0xffff, sentinels: [65535], value: null }),
    numeric({
      name: "u16 sentinel checked before multiplier",
      type: "u16",
      raw: 0xffff,
      multiplier: 0.1,
      unit: "V",
      sentinels: [65535],
      value: null,
    }),
    numeric({
      name: "u16 scaled value equal to a sentinel is not one",
      type: "u16",
      raw: 2000,
      multiplier: 0.5,
      unit: "V",
      sentinels: [1000],
      value: 1000,
    }),
    numeric({
      name: "u16 near sentinel stays good",
      type: "u16",
      raw: 0xfffe,
      sentinels: [65535],
      value: 65534,
    }),
    numeric({
      name: "s16 sentinel 0x8000 as bits",
      type: "s16",
      raw: -32768,
      sentinels: [32768],
      value: null,
    }),
    numeric({
      name: "s16 sentinel -32768 as value",
      type: "s16",
      order: "DCBA",
      raw: -32768,
      sentinels: [-32768],
      value: null,
    }),
    numeric({ name: "s16 0x7FFF sentinel", type: "s16", raw: 0x7fff, sentinels: [32767], value: null }),
    numeric({
      name: "u32 sentinel 0xFFFFFFFF",
      type: "u32",
      order: "CDAB",
      raw: 0xffffffff,
      sentinels: [4294967295],
      value: null,
    }),
    numeric({
      name: "s32 sentinel 0xFFFFFFFF reads -1",
      type: "s32",
      raw: -1,
      sentinels: [4294967295],
      value: null,
    }),
    numeric({
      name: "s32 sentinel 0x80000000",
      type: "s32",
      order: "BADC",
      raw: -2147483648,
      sentinels: [2147483648],
      value: null,
    }),
    numeric({
      name: "u64 sentinel 0xFFFFFFFFFFFFFFFF",
      type: "u64",
      raw: 0xffffffffffffffffn,
      sentinels: [Number(0xffffffffffffffffn)],
      value: null,
    }),
    numeric({
      name: "s64 sentinel 0x8000000000000000",
      type: "s64",
      order: "CDAB",
      raw: -0x8000000000000000n,
      sentinels: [9223372036854775808],
      value: null,
    }),
    numeric({ name: "f32 sentinel -1.0", type: "f32", raw: -1, unit: "V", sentinels: [-1], value: null }),
    numeric({
      name: "f32 not a sentinel among several",
      type: "f32",
      raw: 2,
      unit: "V",
      sentinels: [-1, 65535],
      value: 2,
    }),
    numeric({
      name: "f32 sentinel as bit pattern 0xFF7FFFFF",
      type: "f32",
      raw: 0xff7fffff,
      bits: true,
      sentinels: [4286578687],
      value: null,
    }),
  );
  // NaN and infinities are invalid for every float type and order.
  for (const order of ORDERS) {
    cases.push(
      numeric({
        name: `f32 NaN ${order}`,
        type: "f32",
        order,
        raw: 0x7fc00000,
        bits: true,
        unit: "V",
        value: null,
      }),
      numeric({
        name: `f64 NaN ${order}`,
        type: "f64",
        order,
        raw: 0x7ff8000000000001n,
        bits: true,
        unit: "V",
        value: null,
      }),
    );
  }
  cases.push(
    numeric({ name: "f32 +Inf", type: "f32", raw: 0x7f800000, bits: true, unit: "W", value: null }),
    numeric({
      name: "f32 -Inf CDAB",
      type: "f32",
      order: "CDAB",
      raw: 0xff800000,
      bits: true,
      unit: "W",
      value: null,
    }),
    numeric({
      name: "f32 signalling NaN with payload",
      type: "f32",
      raw: 0xff812345,
      bits: true,
      unit: "W",
      value: null,
    }),
    numeric({ name: "f64 +Inf", type: "f64", raw: 0x7ff0000000000000n, bits: true, unit: "W", value: null }),
    numeric({
      name: "f64 -Inf DCBA",
      type: "f64",
      order: "DCBA",
      raw: 0xfff0000000000000n,
      bits: true,
      unit: "W",
      value: null,
    }),
    numeric({
      name: "f64 overflow to Inf by the unit factor",
      type: "f64",
      raw: 1e308,
      unit: "kW",
      canonicalUnit: "W",
      value: null,
    }),
  );
  // Plausible range, in the canonical unit, inclusive; outside keeps the value.
  cases.push(
    numeric({
      name: "f32 above range max",
      type: "f32",
      raw: 530.5,
      unit: "V",
      range: { min: 0, max: 500 },
      value: 530.5,
      quality: "out_of_range",
    }),
    numeric({
      name: "f32 below range min",
      type: "f32",
      raw: 12.5,
      unit: "Hz",
      range: { min: 45, max: 65 },
      value: 12.5,
      quality: "out_of_range",
    }),
    numeric({
      name: "f32 at range max is good",
      type: "f32",
      raw: 500,
      unit: "V",
      range: { min: 0, max: 500 },
      value: 500,
    }),
    numeric({
      name: "f32 at range min is good",
      type: "f32",
      raw: -1,
      unit: "",
      range: { min: -1, max: 1 },
      value: -1,
    }),
    numeric({
      name: "s16 PF ÷1000 just below -1",
      type: "s16",
      raw: -1001,
      multiplier: 0.001,
      range: { min: -1, max: 1 },
      value: -1.001,
      quality: "out_of_range",
    }),
    numeric({
      name: "range only max",
      type: "u16",
      raw: 70,
      unit: "A",
      range: { max: 63 },
      value: 70,
      quality: "out_of_range",
    }),
    numeric({
      name: "range only min",
      type: "s32",
      raw: -5,
      unit: "kWh",
      range: { min: 0 },
      value: -5,
      quality: "out_of_range",
    }),
    numeric({
      name: "range applies after the unit conversion",
      type: "f32",
      raw: 1.5,
      unit: "kW",
      canonicalUnit: "W",
      range: { min: -1000, max: 1000 },
      value: 1500,
      quality: "out_of_range",
    }),
    numeric({
      name: "range applies after multiplier",
      type: "u16",
      raw: 2400,
      multiplier: 0.1,
      unit: "V",
      range: { min: 0, max: 500 },
      value: 240,
    }),
    numeric({
      name: "sentinel wins over range",
      type: "u16",
      raw: 0xffff,
      unit: "V",
      range: { min: 0, max: 500 },
      sentinels: [65535],
      value: null,
    }),
    numeric({
      name: "NaN wins over range",
      type: "f32",
      raw: 0x7fc00000,
      bits: true,
      unit: "V",
      range: { min: 0, max: 500 },
      value: null,
    }),
  );
  // Strings: ASCII, two characters per register, high byte first, trailing NULs and spaces trimmed,
  // word order ignored, never range-checked.
  cases.push(
    text("string exact length", "ME631-0042", 5, "ABCD", "ME631-0042"),
    text("string trailing NULs trimmed", "SN123", 4, "ABCD", "SN123"),
    text("string trailing spaces trimmed", "V1.2.3  ", 4, "ABCD", "V1.2.3"),
    text("string spaces then NULs trimmed", "AB \0\0\0", 3, "ABCD", "AB"),
    text("string inner space kept", "A B", 2, "ABCD", "A B"),
    text("string leading space kept", " X", 1, "ABCD", " X"),
    text("string all NULs is empty", "", 3, "ABCD", ""),
    text("string ignores word order CDAB", "ABCDEF", 3, "CDAB", "ABCDEF"),
    text("string ignores word order BADC", "ABCDEF", 3, "BADC", "ABCDEF"),
    text("string ignores word order DCBA", "ABCDEF", 3, "DCBA", "ABCDEF"),
    text("string never range-checked", "999", 2, "ABCD", "999", { min: 0, max: 1 }),
  );
  return { cases };
}

export const vectorsFile = fileURLToPath(new URL("../test/vectors/decode.json", import.meta.url));

/** The file's text exactly as committed: the vectors, formatted by the project's prettier config. */
export async function vectorsText(): Promise<string> {
  const options = (await resolveConfig(vectorsFile)) ?? {};
  return format(JSON.stringify(buildVectors()), { ...options, filepath: vectorsFile });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(vectorsFile, await vectorsText());
  console.log(`wrote ${buildVectors().cases.length} cases to ${vectorsFile}`);
}
