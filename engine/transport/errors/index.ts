// Typed transport errors, one class per file, and the mapping from Node/serialport errors to them.
export { TransportError } from "./transport-error.js";
export type { TransportErrorCode } from "./transport-error.js";
export { TimeoutError } from "./timeout-error.js";
export { CrcError } from "./crc-error.js";
export { ModbusExceptionError, exceptionName } from "./modbus-exception-error.js";
export { InvalidResponseError } from "./invalid-response-error.js";
export type { InvalidResponseReason } from "./invalid-response-error.js";
export { ConnectionLostError } from "./connection-lost-error.js";
export { ConnectFailedError } from "./connect-failed-error.js";
export { PortNotFoundError } from "./port-not-found-error.js";
export { PermissionDeniedError } from "./permission-denied-error.js";
export { PortBusyError } from "./port-busy-error.js";
