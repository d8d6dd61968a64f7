import { TransportError } from "./transport-error.js";

/** Another process holds the serial device (its exclusive lock), e.g. a second gateway or a terminal program. */
export class PortBusyError extends TransportError {
  readonly code = "MODBUS_E_PORT_BUSY" as const;
  override name = "PortBusyError" as const;
}
