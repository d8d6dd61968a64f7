// Register words → one sample value and its quality. The order of operations is shared with the
// C++ firmware core (same vectors, same results):
//   1. raw: the integer or float the words hold in the register's word order (64-bit via BigInt);
//   2. a raw value equal to one of the register's sentinels → invalid (the value is null);
//   3. value = raw × multiplier + offset, in double precision;
//   4. value × unit factor → the quantity's canonical unit;
//   5. NaN or ±Infinity → invalid (null);
//   6. outside range [min, max] → out_of_range, the value is kept.
// A sentinel matches when it equals the raw value or the raw bits read as an unsigned integer, both
// compared as doubles: so 0x8000 catches an s16 reading −32768, and 0xFFFFFFFF an s32 reading −1.
import type { QuantityName, Quality, ResolvedRegister, Sample } from "../model.js";
import { DecodeError } from "./decode-error.js";
import { wordCount } from "./types.js";
import { unitFactor } from "./units.js";
import { checkWords, wordsIntoBytes } from "./words.js";

export interface Decoded {
  /** Canonical unit; a string for string registers; null when invalid. */
  value: number | string | null;
  quality: Quality;
}

/** The fields of a register decoding needs (a ResolvedRegister has them all). */
export type DecodeSpec = Pick<
  ResolvedRegister,
  "type" | "count" | "wordOrder" | "multiplier" | "offset" | "unit" | "canonicalUnit" | "range" | "sentinels"
> & { quantity?: QuantityName | string };

interface Raw {
  /** The value as the type reads it. */
  value: number;
  /** The bits as an unsigned integer (for sentinel matching). */
  bits: number;
}

function describe(reg: DecodeSpec): string {
  return reg.quantity === undefined ? reg.type : `${reg.quantity} (${reg.type})`;
}

// One scratch buffer for every decode: JavaScript runs one decode at a time, and nothing keeps it.
const scratch = new Uint8Array(8);
const view = new DataView(scratch.buffer);

function readRaw(reg: DecodeSpec, words: readonly number[]): Raw {
  wordsIntoBytes(words, reg.wordOrder, scratch);
  switch (reg.type) {
    case "u16":
      return { value: view.getUint16(0), bits: view.getUint16(0) };
    case "s16":
      return { value: view.getInt16(0), bits: view.getUint16(0) };
    case "u32":
      return { value: view.getUint32(0), bits: view.getUint32(0) };
    case "s32":
      return { value: view.getInt32(0), bits: view.getUint32(0) };
    case "f32":
      return { value: view.getFloat32(0), bits: view.getUint32(0) };
    case "u64":
      return { value: Number(view.getBigUint64(0)), bits: Number(view.getBigUint64(0)) };
    case "s64":
      return { value: Number(view.getBigInt64(0)), bits: Number(view.getBigUint64(0)) };
    case "f64":
      return { value: view.getFloat64(0), bits: Number(view.getBigUint64(0)) };
    case "string":
      throw new DecodeError("DECODE_E_TYPE_WIDTH", "a string has no numeric raw value");
  }
}

/** ASCII text, two characters per register, high byte first; trailing NULs and spaces trimmed. */
export function decodeString(words: readonly number[]): string {
  checkWords(words);
  let text = "";
  for (const w of words) text += String.fromCharCode(w >> 8, w & 0xff);
  return text.replace(/[\0 ]+$/, "");
}

function checkCount(reg: DecodeSpec, words: readonly number[]): void {
  const expected = wordCount(reg.type, reg.count);
  if (reg.type !== "string" && reg.count !== expected) {
    throw new DecodeError(
      "DECODE_E_TYPE_WIDTH",
      `${describe(reg)} occupies ${String(expected)} registers, but the register says count ${reg.count}`,
    );
  }
  if (words.length !== reg.count) {
    throw new DecodeError(
      "DECODE_E_WORD_COUNT",
      `${describe(reg)} needs ${reg.count} words, got ${words.length}`,
    );
  }
}

/** Decodes exactly reg.count words into the register's value (canonical unit) and quality. */
export function decodeRegister(reg: DecodeSpec, words: readonly number[]): Decoded {
  checkCount(reg, words);
  if (reg.type === "string") return { value: decodeString(words), quality: "good" };

  const factor = unitFactor(reg.unit, reg.canonicalUnit);
  if (factor === undefined) {
    throw new DecodeError(
      "DECODE_E_UNIT",
      `${describe(reg)}: unit "${reg.unit}" does not convert to "${reg.canonicalUnit}"`,
    );
  }
  const raw = readRaw(reg, words);
  if (reg.sentinels.some((s) => s === raw.value || s === raw.bits))
    return { value: null, quality: "invalid" };

  const value = (raw.value * reg.multiplier + reg.offset) * factor;
  if (!Number.isFinite(value)) return { value: null, quality: "invalid" };
  const { min, max } = reg.range ?? {};
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { value, quality: "out_of_range" };
  }
  return { value, quality: "good" };
}

/** The registers of one block read, and the first address of that read. */
export interface DecodeBlockInput {
  start: number;
  registers: readonly ResolvedRegister[];
}

/** Decodes every register of one block read into samples stamped with the meter id and timestamp. */
export function decodeBlock(
  block: DecodeBlockInput,
  words: readonly number[],
  meterId: string,
  timestamp: number,
): Sample[] {
  return block.registers.map((reg) => {
    const from = reg.address - block.start;
    if (from < 0 || from + reg.count > words.length) {
      throw new DecodeError(
        "DECODE_E_BLOCK_RANGE",
        `${reg.quantity} at ${reg.address} (+${reg.count}) lies outside the block read ` +
          `${block.start}…${block.start + words.length - 1}`,
      );
    }
    const { value, quality } = decodeRegister(reg, words.slice(from, from + reg.count));
    return { meterId, quantity: reg.quantity, value, unit: reg.canonicalUnit, quality, timestamp };
  });
}
