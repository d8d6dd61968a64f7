// Wire-time arithmetic: bits per character, frame times, the 3.5-character silence.
import { describe, expect, it } from "vitest";
import {
  charBits,
  frameSilenceMs,
  frameTimeMs,
  readTransactionTimeMs,
  rtuReadReplyBytes,
} from "../../engine/sim/wire-time.js";

describe("wire time", () => {
  it("counts start, data, parity and stop bits", () => {
    expect(charBits({ baudRate: 9600 })).toBe(10);
    expect(charBits({ baudRate: 9600, parity: "even" })).toBe(11);
    expect(charBits({ baudRate: 9600, parity: "none", stopBits: 2 })).toBe(11);
    expect(charBits({ baudRate: 9600, parity: "odd", dataBits: 7 })).toBe(10);
  });

  it("gives a frame's time on the wire", () => {
    // 8-byte request at 9600 8N1: 80 bits = 8.333 ms; 125-register reply: 255 bytes = 265.6 ms.
    expect(frameTimeMs(8, { baudRate: 9600 })).toBeCloseTo(8.3333, 3);
    expect(frameTimeMs(rtuReadReplyBytes(125), { baudRate: 9600 })).toBeCloseTo(265.625, 3);
    expect(frameTimeMs(8, { baudRate: 19200, parity: "even" })).toBeCloseTo(4.5833, 3);
  });

  it("ends frames after 3.5 characters, 1.75 ms above 19200 baud", () => {
    expect(frameSilenceMs({ baudRate: 9600 })).toBeCloseTo(3.6458, 3);
    expect(frameSilenceMs({ baudRate: 19200 })).toBeCloseTo(1.8229, 3);
    expect(frameSilenceMs({ baudRate: 115200 })).toBe(1.75);
  });

  it("adds request, turnaround and reply for a read transaction", () => {
    const t = readTransactionTimeMs(2, { baudRate: 9600 }, 5);
    expect(t).toBeCloseTo(8.3333 + 5 + 9.375, 3);
  });
});
