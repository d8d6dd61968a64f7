import { TransportError } from "./transport-error.js";

/** What was wrong with an answer that arrived intact but does not answer the request. */
export type InvalidResponseReason = "unit-id" | "function" | "byte-count" | "length" | "protocol" | "echo";

/** An answer arrived but does not match the request (wrong unit id, function, byte count…); its data is never used. */
export class InvalidResponseError extends TransportError {
  readonly code = "MODBUS_E_INVALID_RESPONSE" as const;
  override name = "InvalidResponseError" as const;

  constructor(
    readonly reason: InvalidResponseReason,
    message: string,
  ) {
    super(message);
  }
}
