import { TransportError } from "./transport-error.js";

/** The serial device does not exist (wrong path, adapter unplugged). */
export class PortNotFoundError extends TransportError {
  readonly code = "MODBUS_E_PORT_NOT_FOUND" as const;
  override name = "PortNotFoundError" as const;
}
