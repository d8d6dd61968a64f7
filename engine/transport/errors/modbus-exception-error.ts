import { TransportError } from "./transport-error.js";

/** Names of the exception codes of the Modbus Application Protocol v1.1b3, §7. */
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "server device failure",
  5: "acknowledge",
  6: "server device busy",
  8: "memory parity error",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `unknown exception ${code}`;
}

/** The meter answered with a Modbus exception instead of data. */
export class ModbusExceptionError extends TransportError {
  readonly code = "MODBUS_E_EXCEPTION" as const;
  override name = "ModbusExceptionError" as const;
  readonly exceptionName: string;

  constructor(
    readonly exceptionCode: number,
    context: string,
  ) {
    super(`${context}: Modbus exception ${exceptionCode} (${exceptionName(exceptionCode)})`);
    this.exceptionName = exceptionName(exceptionCode);
  }
}
