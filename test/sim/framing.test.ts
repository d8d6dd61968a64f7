// Byte-level framing of the simulator: CRC, PDUs, MBAP reassembly, RTU frame detection.
import { describe, expect, it } from "vitest";
import { crc16, crcMatches } from "../../engine/transport/crc16.js";
import { MbapDecoder, MbapFramingError, encodeMbap } from "../../engine/sim/mbap.js";
import { exceptionReply, parseRequest, readReply, writeMultipleReply } from "../../engine/sim/pdu.js";
import { RtuFrameDetector, encodeRtu, expectedRequestLength } from "../../engine/sim/rtu-frame.js";

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");

describe("crc16", () => {
  it("matches the Modbus specification's examples", () => {
    // Read 1 holding register at 0 of unit 1: the classic 01 03 00 00 00 01 84 0A.
    expect(crc16(hex("010300000001"))).toBe(0x0a84);
    expect(crc16(hex("01030000000a"))).toBe(0xcdc5);
    expect(crcMatches(hex("01030000000184 0a"))).toBe(true);
    expect(crcMatches(hex("0103000000018 40b"))).toBe(false);
  });

  it("puts the low byte first when framing RTU, and can corrupt it on purpose", () => {
    expect(encodeRtu(1, hex("0300000001"))).toEqual(hex("010300000001840a"));
    const bad = encodeRtu(1, hex("0300000001"), true);
    expect(bad.subarray(0, 6)).toEqual(hex("010300000001"));
    expect(crcMatches(bad)).toBe(false);
  });
});

describe("PDU", () => {
  it("parses reads and refuses counts outside 1–125", () => {
    expect(parseRequest(hex("0303e8000a"))).toEqual({ kind: "read", function: 3, start: 1000, count: 10 });
    expect(parseRequest(hex("040000007d"))).toEqual({ kind: "read", function: 4, start: 0, count: 125 });
    expect(parseRequest(hex("030000007e")).kind).toBe("malformed");
    expect(parseRequest(hex("0300000000")).kind).toBe("malformed");
    expect(parseRequest(hex("03000000")).kind).toBe("malformed");
  });

  it("parses writes and checks FC16's byte count", () => {
    expect(parseRequest(hex("06000a1234"))).toEqual({
      kind: "write-single",
      function: 6,
      address: 10,
      value: 0x1234,
    });
    expect(parseRequest(hex("10000a0002041234abcd"))).toEqual({
      kind: "write-multiple",
      function: 16,
      start: 10,
      count: 2,
      values: [0x1234, 0xabcd],
    });
    expect(parseRequest(hex("10000a0002031234ab")).kind).toBe("malformed");
  });

  it("marks unknown function codes unsupported", () => {
    expect(parseRequest(hex("2b0e0100"))).toEqual({ kind: "unsupported", function: 0x2b });
  });

  it("builds replies and exceptions", () => {
    expect(readReply(3, [0x4366, 0x0000])).toEqual(hex("030443660000"));
    expect(readReply(3, [1], 4)).toEqual(hex("03040001"));
    expect(writeMultipleReply(10, 2)).toEqual(hex("10000a0002"));
    expect(exceptionReply(3, 2)).toEqual(hex("8302"));
    expect(exceptionReply(4, 3)).toEqual(hex("8403"));
  });
});

describe("MBAP", () => {
  const request = encodeMbap(0x1234, 7, hex("0303e80002"));

  it("encodes the header", () => {
    expect(request).toEqual(hex("1234 0000 0006 07 0303e80002"));
  });

  it("reassembles a frame that arrives one byte at a time", () => {
    const decoder = new MbapDecoder();
    const frames = [...request].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(frames).toEqual([{ transactionId: 0x1234, protocolId: 0, unitId: 7, pdu: hex("0303e80002") }]);
    expect(decoder.buffered).toBe(0);
  });

  it("splits two requests that arrive in one TCP segment, keeping a partial third", () => {
    const second = encodeMbap(2, 1, hex("0400000004"));
    const decoder = new MbapDecoder();
    const frames = decoder.push(Buffer.concat([request, second, second.subarray(0, 5)]));
    expect(frames.map((f) => f.transactionId)).toEqual([0x1234, 2]);
    expect(decoder.buffered).toBe(5);
    expect(decoder.push(second.subarray(5)).map((f) => f.pdu)).toEqual([hex("0400000004")]);
  });

  it("refuses a foreign protocol id or an impossible length", () => {
    expect(() => new MbapDecoder().push(hex("0001 0001 0006 01 0300000001"))).toThrow(MbapFramingError);
    expect(() => new MbapDecoder().push(hex("0001 0000 0100 01"))).toThrow(/length 256/);
  });
});

describe("RTU frame detection", () => {
  function detector(silenceMs = 5): { frames: Buffer[]; discarded: string[]; d: RtuFrameDetector } {
    const frames: Buffer[] = [];
    const discarded: string[] = [];
    const d = new RtuFrameDetector({
      silenceMs,
      onFrame: (f) => frames.push(f),
      onDiscard: (_bytes, reason) => discarded.push(reason),
    });
    return { frames, discarded, d };
  }
  const read = encodeRtu(1, hex("0303e80002"));
  const write = encodeRtu(2, hex("1000000002041234abcd"));

  it("knows request lengths from the function code", () => {
    expect(expectedRequestLength(read)).toBe(8);
    expect(expectedRequestLength(write)).toBe(13);
    expect(expectedRequestLength(write.subarray(0, 6))).toBeUndefined();
    expect(expectedRequestLength(hex("012b"))).toBeUndefined();
  });

  it("ends a frame as soon as its expected length is in, even split across chunks", () => {
    const { frames, d } = detector();
    d.push(read.subarray(0, 3));
    expect(frames).toHaveLength(0);
    d.push(read.subarray(3));
    expect(frames).toEqual([read]);
    d.close();
  });

  it("separates two frames in one chunk and resynchronises after a garbage byte", () => {
    const { frames, discarded, d } = detector();
    d.push(Buffer.concat([hex("ff"), read, write]));
    expect(frames).toEqual([read, write]);
    expect(discarded.length).toBeGreaterThan(0);
    d.close();
  });

  it("finds a good frame behind noise whose function code is unknown, without waiting for silence", () => {
    const { frames, discarded, d } = detector(1000);
    d.push(Buffer.concat([hex("55aa01"), read]));
    expect(frames).toEqual([read]);
    expect(discarded).toContain("noise before a frame");
    d.close();
  });

  it("uses silence to end a frame of unknown layout, and drops a cut frame", async () => {
    const { frames, discarded, d } = detector(5);
    const unknown = encodeRtu(1, hex("2b0e0100"));
    d.push(unknown);
    expect(frames).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(frames).toEqual([unknown]);
    d.push(read.subarray(0, 5));
    await new Promise((r) => setTimeout(r, 30));
    expect(frames).toHaveLength(1);
    expect(discarded).toContain("incomplete frame ended by silence");
    d.close();
  });
});
