import { TransportError } from "./transport-error.js";

/** The meter did not answer (completely) within the response timeout. */
export class TimeoutError extends TransportError {
  readonly code = "MODBUS_E_TIMEOUT" as const;
  override name = "TimeoutError" as const;
}
