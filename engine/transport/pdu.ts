// Modbus PDUs shared by RTU and TCP: building requests and checking answers strictly, so a malformed or
// mismatched answer is an error and never data (modbus-serial 8.0.25 returns a short or long register list
// when the byte count disagrees with the request; we refuse it).
import type { RegisterFunction } from "../model.js";
import { InvalidResponseError, ModbusExceptionError } from "./errors/index.js";

export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

export const FUNCTION_CODE: Readonly<Record<RegisterFunction, number>> = { holding: 0x03, input: 0x04 };
export const WRITE_MULTIPLE_REGISTERS = 0x10;

/** What a request asked for, to check its answer against. */
export interface RequestShape {
  unitId: number;
  functionCode: number;
  start: number;
  /** Registers to read or write. */
  count: number;
}

export function describe(shape: RequestShape, where?: string): string {
  const what =
    shape.functionCode === WRITE_MULTIPLE_REGISTERS
      ? "write"
      : `FC${shape.functionCode.toString().padStart(2, "0")} read`;
  const request = `unit ${shape.unitId} ${what} of ${shape.count} register${shape.count === 1 ? "" : "s"} at ${shape.start}`;
  return where ? `${where} ${request}` : request;
}

export function checkUnitId(unitId: number): void {
  if (!Number.isInteger(unitId) || unitId < 0 || unitId > 255)
    throw new RangeError(`unit id ${unitId} is not 0–255`);
}

function checkRange(start: number, count: number, max: number): void {
  if (!Number.isInteger(start) || start < 0 || start > 0xffff)
    throw new RangeError(`start address ${start} is not 0–65535`);
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw new RangeError(`register count ${count} is not 1–${max}`);
  if (start + count > 0x10000) throw new RangeError(`registers ${start}–${start + count - 1} run past 65535`);
}

export function readRequest(fn: RegisterFunction, start: number, count: number): Buffer {
  checkRange(start, count, MAX_READ_REGISTERS);
  const pdu = Buffer.alloc(5);
  pdu[0] = FUNCTION_CODE[fn];
  pdu.writeUInt16BE(start, 1);
  pdu.writeUInt16BE(count, 3);
  return pdu;
}

export function writeRequest(start: number, values: readonly number[]): Buffer {
  checkRange(start, values.length, MAX_WRITE_REGISTERS);
  const pdu = Buffer.alloc(6 + 2 * values.length);
  pdu[0] = WRITE_MULTIPLE_REGISTERS;
  pdu.writeUInt16BE(start, 1);
  pdu.writeUInt16BE(values.length, 3);
  pdu[5] = 2 * values.length;
  values.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff)
      throw new RangeError(`register value ${value} is not 0–65535`);
    pdu.writeUInt16BE(value, 6 + 2 * i);
  });
  return pdu;
}

/**
 * Length in bytes of the answer PDU, judged from its first bytes, or undefined when more bytes are needed.
 * Returns null when the function byte answers neither the request nor its exception.
 */
export function expectedResponseLength(pdu: Uint8Array, functionCode: number): number | undefined | null {
  if (pdu.length < 1) return undefined;
  const fn = pdu[0]!;
  if (fn === (functionCode | 0x80)) return 2;
  if (fn !== functionCode) return null;
  if (functionCode === WRITE_MULTIPLE_REGISTERS) return 5;
  if (pdu.length < 2) return undefined;
  return 2 + pdu[1]!;
}

/** Checks an answer PDU (unit id already checked) and returns its registers; throws when it is not the answer. */
export function parseResponse(pdu: Uint8Array, shape: RequestShape, where?: string): number[] {
  const context = describe(shape, where);
  const fn = pdu[0];
  if (fn === undefined) throw new InvalidResponseError("length", `${context}: empty answer`);
  if (fn === (shape.functionCode | 0x80)) {
    if (pdu.length !== 2)
      throw new InvalidResponseError(
        "length",
        `${context}: exception answer of ${pdu.length} bytes, expected 2`,
      );
    throw new ModbusExceptionError(pdu[1]!, context);
  }
  if (fn !== shape.functionCode) {
    throw new InvalidResponseError(
      "function",
      `${context}: answer has function code ${fn}, expected ${shape.functionCode}`,
    );
  }
  if (shape.functionCode === WRITE_MULTIPLE_REGISTERS) {
    const view = Buffer.from(pdu.buffer, pdu.byteOffset, pdu.length);
    if (pdu.length !== 5)
      throw new InvalidResponseError("length", `${context}: answer of ${pdu.length} bytes, expected 5`);
    if (view.readUInt16BE(1) !== shape.start || view.readUInt16BE(3) !== shape.count) {
      throw new InvalidResponseError(
        "echo",
        `${context}: answer confirms ${view.readUInt16BE(3)} registers at ${view.readUInt16BE(1)}`,
      );
    }
    return [];
  }
  const byteCount = pdu[1];
  if (byteCount !== 2 * shape.count) {
    throw new InvalidResponseError(
      "byte-count",
      `${context}: answer says ${byteCount ?? "no"} data bytes, expected ${2 * shape.count}`,
    );
  }
  if (pdu.length !== 2 + byteCount) {
    throw new InvalidResponseError(
      "length",
      `${context}: answer of ${pdu.length} bytes, expected ${2 + byteCount}`,
    );
  }
  const words: number[] = new Array<number>(shape.count);
  for (let i = 0; i < shape.count; i++) words[i] = (pdu[2 + 2 * i]! << 8) | pdu[3 + 2 * i]!;
  return words;
}
