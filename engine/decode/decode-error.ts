/** Stable codes of the decode errors: a register and its words do not fit together. */
export type DecodeErrorCode =
  | "DECODE_E_WORD_COUNT"
  | "DECODE_E_WORD_VALUE"
  | "DECODE_E_WORD_ORDER"
  | "DECODE_E_TYPE_WIDTH"
  | "DECODE_E_UNIT"
  | "DECODE_E_BLOCK_RANGE";

/**
 * Thrown when words cannot be decoded at all (wrong count, a word outside 0…65535, a unit without
 * conversion). These are programming or profile errors; a bad reading is a quality, not an error.
 */
export class DecodeError extends Error {
  override name = "DecodeError" as const;
  readonly code: DecodeErrorCode;

  constructor(code: DecodeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
