import { TransportError } from "./transport-error.js";

/** A TCP connection could not be made (refused, unreachable, unknown host, connect timeout), or is backing off. */
export class ConnectFailedError extends TransportError {
  readonly code = "MODBUS_E_CONNECT_FAILED" as const;
  override name = "ConnectFailedError" as const;
}
