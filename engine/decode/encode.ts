// Value → register words, the inverse of decode (the simulator serves meters with it):
// canonical value ÷ unit factor → raw unit; (value − offset) ÷ multiplier → raw; integer types round
// to the nearest integer (halves away from zero) and must fit the type; then the raw value's bytes
// are laid out in the register's word order (see words.ts).
import type { RegisterType, WordOrder } from "../model.js";
import type { DecodeSpec } from "./decode.js";
import { EncodeError } from "./encode-error.js";
import { wordCount } from "./types.js";
import { unitFactor } from "./units.js";
import { bytesToWords } from "./words.js";

export interface EncodeOptions {
  /** Clamp an integer that does not fit the type to its nearest limit instead of throwing. @default false */
  clamp?: boolean;
}

const LIMITS: Readonly<Record<"u16" | "s16" | "u32" | "s32" | "u64" | "s64", readonly [bigint, bigint]>> = {
  u16: [0n, 0xffffn],
  s16: [-0x8000n, 0x7fffn],
  u32: [0n, 0xffffffffn],
  s32: [-0x80000000n, 0x7fffffffn],
  u64: [0n, 0xffffffffffffffffn],
  s64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * The words that hold this raw value (the number before multiplier, offset and unit) for a numeric
 * type. Integers must be whole and fit the type; pass a bigint for 64-bit values beyond 2^53.
 */
export function encodeRaw(type: RegisterType, wordOrder: WordOrder, raw: number | bigint): number[] {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  if (type === "string") throw new EncodeError("ENCODE_E_VALUE", "encodeRaw cannot encode a string");
  if (type === "f32" || type === "f64") {
    const x = Number(raw);
    if (type === "f32") view.setFloat32(0, x);
    else view.setFloat64(0, x);
  } else {
    if (typeof raw === "number" && !Number.isInteger(raw)) {
      throw new EncodeError("ENCODE_E_VALUE", `raw value ${raw} of a ${type} must be an integer`);
    }
    const big = BigInt(raw);
    const [lo, hi] = LIMITS[type];
    if (big < lo || big > hi) {
      throw new EncodeError("ENCODE_E_RANGE", `raw value ${big} does not fit ${type} (${lo}…${hi})`);
    }
    // Two's complement: the low bits of the signed value are the unsigned pattern.
    if (type === "u16" || type === "s16") view.setUint16(0, Number(BigInt.asUintN(16, big)));
    else if (type === "u32" || type === "s32") view.setUint32(0, Number(BigInt.asUintN(32, big)));
    else view.setBigUint64(0, BigInt.asUintN(64, big));
  }
  const width = wordCount(type) as number;
  return bytesToWords(bytes.subarray(0, width * 2), wordOrder);
}

/** ASCII text into `count` registers, two characters each, high byte first, padded with NULs. */
export function encodeString(text: string, count: number): number[] {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new EncodeError("ENCODE_E_STRING", `"${text}" is not printable ASCII`);
  }
  if (text.length > count * 2) {
    throw new EncodeError(
      "ENCODE_E_STRING",
      `"${text}" has ${text.length} characters; ${count} registers hold ${count * 2}`,
    );
  }
  const words: number[] = [];
  for (let i = 0; i < count; i++) {
    const hi = i * 2 < text.length ? text.charCodeAt(i * 2) : 0;
    const lo = i * 2 + 1 < text.length ? text.charCodeAt(i * 2 + 1) : 0;
    words.push((hi << 8) | lo);
  }
  return words;
}

/**
 * The words a meter would hold for this value (canonical unit) of this register. Float types accept
 * NaN and infinities (a simulator uses them to fake faults); integer types throw ENCODE_E_RANGE when
 * the rounded raw value does not fit, unless `clamp` is set.
 */
export function encodeRegister(
  reg: DecodeSpec,
  value: number | string,
  options: EncodeOptions = {},
): number[] {
  const name = reg.quantity ?? reg.type;
  if (reg.type === "string") {
    if (typeof value !== "string")
      throw new EncodeError("ENCODE_E_VALUE", `${name} is a string register, got ${value}`);
    return encodeString(value, reg.count);
  }
  if (typeof value !== "number") {
    throw new EncodeError("ENCODE_E_VALUE", `${name} is a ${reg.type} register, got the text "${value}"`);
  }
  if (wordCount(reg.type) !== reg.count) {
    throw new EncodeError(
      "ENCODE_E_TYPE_WIDTH",
      `${name}: a ${reg.type} occupies ${wordCount(reg.type)} registers, not ${reg.count}`,
    );
  }
  const factor = unitFactor(reg.unit, reg.canonicalUnit);
  if (factor === undefined) {
    throw new EncodeError(
      "ENCODE_E_UNIT",
      `${name}: unit "${reg.unit}" does not convert to "${reg.canonicalUnit}"`,
    );
  }
  const raw = (value / factor - reg.offset) / reg.multiplier;
  if (reg.type === "f32" || reg.type === "f64") return encodeRaw(reg.type, reg.wordOrder, raw);

  if (!Number.isFinite(raw)) {
    throw new EncodeError(
      "ENCODE_E_VALUE",
      `${name}: ${value} ${reg.canonicalUnit} gives no finite raw value for a ${reg.type}`,
    );
  }
  let big = BigInt(roundHalfAway(raw));
  const [lo, hi] = LIMITS[reg.type];
  if (big < lo || big > hi) {
    if (options.clamp !== true) {
      throw new EncodeError(
        "ENCODE_E_RANGE",
        `${name}: ${value} ${reg.canonicalUnit} is raw ${big}, which does not fit ${reg.type} (${lo}…${hi}); ` +
          `check multiplier ${reg.multiplier} and unit ${reg.unit || '""'}`,
      );
    }
    big = big < lo ? lo : hi;
  }
  return encodeRaw(reg.type, reg.wordOrder, big);
}
