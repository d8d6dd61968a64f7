import { TransportError } from "./transport-error.js";

/** The serial device exists but this user may not open it (typically not in the dialout group). */
export class PermissionDeniedError extends TransportError {
  readonly code = "MODBUS_E_PERMISSION_DENIED" as const;
  override name = "PermissionDeniedError" as const;
}
