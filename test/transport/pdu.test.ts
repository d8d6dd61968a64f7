import { describe, expect, it } from "vitest";
import { crc16, crcMatches, withCrc } from "../../engine/transport/crc16.js";
import { InvalidResponseError, ModbusExceptionError } from "../../engine/transport/errors/index.js";
import {
  expectedResponseLength,
  parseResponse,
  readRequest,
  writeRequest,
} from "../../engine/transport/pdu.js";

const shape = { unitId: 1, functionCode: 3, start: 100, count: 2 };

describe("crc16", () => {
  it("matches the CRC of the Modbus specification's example request", () => {
    // 01 03 00 00 00 0A → CRC C5 CD (sent low byte first)
    const frame = withCrc(Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]));
    expect(frame.subarray(6).toString("hex")).toBe("c5cd");
    expect(crc16(Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]))).toBe(0xcdc5);
    expect(crcMatches(frame)).toBe(true);
    frame[3] = frame[3]! ^ 1;
    expect(crcMatches(frame)).toBe(false);
  });
});

describe("requests", () => {
  it("encodes FC03/FC04 reads and FC16 writes", () => {
    expect(readRequest("holding", 1000, 36).toString("hex")).toBe("0303e80024");
    expect(readRequest("input", 0, 1).toString("hex")).toBe("0400000001");
    expect(writeRequest(10, [1, 0xffff]).toString("hex")).toBe("10000a0002040001ffff");
  });

  it("refuses counts above 125 and addresses past 65535", () => {
    expect(() => readRequest("holding", 0, 126)).toThrow(RangeError);
    expect(() => readRequest("holding", 0, 0)).toThrow(RangeError);
    expect(() => readRequest("holding", 65535, 2)).toThrow(RangeError);
    expect(() => writeRequest(0, [0x10000])).toThrow(RangeError);
  });
});

describe("parseResponse", () => {
  it("returns exactly the requested words", () => {
    expect(parseResponse(Buffer.from([3, 4, 0x12, 0x34, 0xab, 0xcd]), shape)).toEqual([0x1234, 0xabcd]);
  });

  it("refuses a byte count that disagrees with the request, whatever the frame length", () => {
    for (const pdu of [
      [3, 2, 0x12, 0x34],
      [3, 2, 0x12, 0x34, 0xab, 0xcd],
      [3, 6, 0x12, 0x34, 0xab, 0xcd],
      [3, 6, 0x12, 0x34, 0xab, 0xcd, 0, 0],
    ]) {
      const error = (() => {
        try {
          parseResponse(Buffer.from(pdu), shape);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).reason).toBe("byte-count");
    }
  });

  it("refuses a frame longer than its byte count", () => {
    expect(() => parseResponse(Buffer.from([3, 4, 1, 2, 3, 4, 5]), shape)).toThrow(/7 bytes, expected 6/);
  });

  it("turns an exception answer into ModbusExceptionError with its code and name", () => {
    try {
      parseResponse(Buffer.from([0x83, 2]), shape);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModbusExceptionError);
      expect((error as ModbusExceptionError).exceptionCode).toBe(2);
      expect((error as ModbusExceptionError).exceptionName).toBe("illegal data address");
      expect((error as ModbusExceptionError).code).toBe("MODBUS_E_EXCEPTION");
    }
  });

  it("refuses another function code", () => {
    expect(() => parseResponse(Buffer.from([4, 4, 0, 1, 0, 2]), shape)).toThrow(
      /function code 4, expected 3/,
    );
  });

  it("checks the echo of a write", () => {
    const write = { unitId: 1, functionCode: 16, start: 10, count: 2 };
    expect(parseResponse(Buffer.from([16, 0, 10, 0, 2]), write)).toEqual([]);
    expect(() => parseResponse(Buffer.from([16, 0, 11, 0, 2]), write)).toThrow(InvalidResponseError);
  });

  it("frames answers from their first bytes", () => {
    expect(expectedResponseLength(Buffer.from([3]), 3)).toBeUndefined();
    expect(expectedResponseLength(Buffer.from([3, 8]), 3)).toBe(10);
    expect(expectedResponseLength(Buffer.from([0x83]), 3)).toBe(2);
    expect(expectedResponseLength(Buffer.from([6]), 3)).toBeNull();
    expect(expectedResponseLength(Buffer.from([16]), 16)).toBe(5);
  });
});
