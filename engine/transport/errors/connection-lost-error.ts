import { TransportError } from "./transport-error.js";

/** An open connection or port went away (peer closed, reset, half-open socket, unplugged adapter). */
export class ConnectionLostError extends TransportError {
  readonly code = "MODBUS_E_CONNECTION_LOST" as const;
  override name = "ConnectionLostError" as const;
}
