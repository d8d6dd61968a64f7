/** Stable codes of the encode errors: a value that cannot become register words. */
export type EncodeErrorCode =
  "ENCODE_E_VALUE" | "ENCODE_E_RANGE" | "ENCODE_E_STRING" | "ENCODE_E_TYPE_WIDTH" | "ENCODE_E_UNIT";

/** Thrown when a value cannot be written into a register (does not fit the type, wrong kind, non-ASCII text). */
export class EncodeError extends Error {
  override name = "EncodeError" as const;
  readonly code: EncodeErrorCode;

  constructor(code: EncodeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
