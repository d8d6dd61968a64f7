// The base of every error a transport throws, so callers can tell Modbus trouble from bugs with one instanceof.
export type TransportErrorCode =
  | "MODBUS_E_TIMEOUT"
  | "MODBUS_E_CRC"
  | "MODBUS_E_EXCEPTION"
  | "MODBUS_E_INVALID_RESPONSE"
  | "MODBUS_E_CONNECTION_LOST"
  | "MODBUS_E_CONNECT_FAILED"
  | "MODBUS_E_PORT_NOT_FOUND"
  | "MODBUS_E_PERMISSION_DENIED"
  | "MODBUS_E_PORT_BUSY";

export abstract class TransportError extends Error {
  abstract readonly code: TransportErrorCode;
  override name = "TransportError";
}
