// Modbus PDUs (function code + data) the simulator understands: parse requests, build replies.
// Transport-independent: the RTU and TCP framings wrap these bytes.

export const FunctionCode = {
  readHoldingRegisters: 0x03,
  readInputRegisters: 0x04,
  writeSingleRegister: 0x06,
  writeMultipleRegisters: 0x10,
} as const;

export const ExceptionCode = {
  illegalFunction: 0x01,
  illegalDataAddress: 0x02,
  illegalDataValue: 0x03,
  serverDeviceFailure: 0x04,
} as const;

/** Modbus limits (Modbus application protocol V1.1b3, §6). */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

export type ModbusRequest =
  | { kind: "read"; function: 0x03 | 0x04; start: number; count: number }
  | { kind: "write-single"; function: 0x06; address: number; value: number }
  | { kind: "write-multiple"; function: 0x10; start: number; count: number; values: number[] }
  /** A function code the simulator does not implement: answered with exception 01. */
  | { kind: "unsupported"; function: number }
  /** A known function whose fields break the protocol's rules: answered with exception 03. */
  | { kind: "malformed"; function: number; reason: string };

/** Parses one request PDU (function code first). */
export function parseRequest(pdu: Uint8Array): ModbusRequest {
  const buf = Buffer.from(pdu.buffer, pdu.byteOffset, pdu.byteLength);
  const fn = buf[0] ?? 0;
  switch (fn) {
    case FunctionCode.readHoldingRegisters:
    case FunctionCode.readInputRegisters: {
      if (buf.length !== 5)
        return { kind: "malformed", function: fn, reason: `read PDU of ${buf.length} bytes` };
      const start = buf.readUInt16BE(1);
      const count = buf.readUInt16BE(3);
      if (count < 1 || count > MAX_READ_REGISTERS) {
        return { kind: "malformed", function: fn, reason: `read of ${count} registers (1–125 allowed)` };
      }
      return { kind: "read", function: fn, start, count };
    }
    case FunctionCode.writeSingleRegister: {
      if (buf.length !== 5)
        return { kind: "malformed", function: fn, reason: `write PDU of ${buf.length} bytes` };
      return { kind: "write-single", function: fn, address: buf.readUInt16BE(1), value: buf.readUInt16BE(3) };
    }
    case FunctionCode.writeMultipleRegisters: {
      if (buf.length < 6)
        return { kind: "malformed", function: fn, reason: `write PDU of ${buf.length} bytes` };
      const start = buf.readUInt16BE(1);
      const count = buf.readUInt16BE(3);
      const byteCount = buf[5] ?? 0;
      if (
        count < 1 ||
        count > MAX_WRITE_REGISTERS ||
        byteCount !== 2 * count ||
        buf.length !== 6 + byteCount
      ) {
        return {
          kind: "malformed",
          function: fn,
          reason: `write of ${count} registers with byte count ${byteCount} in ${buf.length} bytes`,
        };
      }
      const values: number[] = [];
      for (let i = 0; i < count; i++) values.push(buf.readUInt16BE(6 + 2 * i));
      return { kind: "write-multiple", function: fn, start, count, values };
    }
    default:
      return { kind: "unsupported", function: fn };
  }
}

/** Read reply: function, byte count, registers big-endian. `byteCount` overrides the count field (fault injection). */
export function readReply(fn: number, words: readonly number[], byteCount = 2 * words.length): Buffer {
  const pdu = Buffer.alloc(2 + 2 * words.length);
  pdu[0] = fn;
  pdu[1] = byteCount & 0xff;
  words.forEach((word, i) => pdu.writeUInt16BE(word & 0xffff, 2 + 2 * i));
  return pdu;
}

/** Write single register reply: an echo of the request. */
export function writeSingleReply(address: number, value: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu[0] = FunctionCode.writeSingleRegister;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(value, 3);
  return pdu;
}

/** Write multiple registers reply: start and count. */
export function writeMultipleReply(start: number, count: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu[0] = FunctionCode.writeMultipleRegisters;
  pdu.writeUInt16BE(start, 1);
  pdu.writeUInt16BE(count, 3);
  return pdu;
}

/** Exception reply: function code with the high bit set, then the exception code. */
export function exceptionReply(fn: number, code: number): Buffer {
  return Buffer.from([(fn | 0x80) & 0xff, code & 0xff]);
}
