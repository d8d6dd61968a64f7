// Register decoding and its inverse: words ↔ values in canonical units, with quality.
export { decodeRegister, decodeBlock, decodeString } from "./decode.js";
export type { Decoded, DecodeSpec, DecodeBlockInput } from "./decode.js";
export { encodeRegister, encodeRaw, encodeString } from "./encode.js";
export type { EncodeOptions } from "./encode.js";
export { wordsToBytes, bytesToWords, checkWords, wordOrders } from "./words.js";
export { unitFactor, canonicalUnitOf, rawUnits } from "./units.js";
export { wordCount, isFloatType, is64BitInteger } from "./types.js";
export { DecodeError } from "./decode-error.js";
export type { DecodeErrorCode } from "./decode-error.js";
export { EncodeError } from "./encode-error.js";
export type { EncodeErrorCode } from "./encode-error.js";
