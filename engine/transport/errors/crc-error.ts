import { TransportError } from "./transport-error.js";

/** An RTU frame arrived whose CRC does not match its bytes: noise, a collision or a bad line. */
export class CrcError extends TransportError {
  readonly code = "MODBUS_E_CRC" as const;
  override name = "CrcError" as const;
}
