import { describe, expect, it } from "vitest";
import { bytesToWords, DecodeError, wordsToBytes } from "../../engine/decode/index.js";
import type { WordOrder } from "../../engine/model.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("wordsToBytes / bytesToWords", () => {
  // Bytes of the value A..H = 0x11 22 33 44 55 66 77 88; the wire words per order from words.ts.
  const WIRE64: Record<WordOrder, number[]> = {
    ABCD: [0x1122, 0x3344, 0x5566, 0x7788],
    CDAB: [0x7788, 0x5566, 0x3344, 0x1122],
    BADC: [0x2211, 0x4433, 0x6655, 0x8877],
    DCBA: [0x8877, 0x6655, 0x4433, 0x2211],
  };
  const WIRE32: Record<WordOrder, number[]> = {
    ABCD: [0x1122, 0x3344],
    CDAB: [0x3344, 0x1122],
    BADC: [0x2211, 0x4433],
    DCBA: [0x4433, 0x2211],
  };
  const WIRE16: Record<WordOrder, number[]> = {
    ABCD: [0x1122],
    CDAB: [0x1122],
    BADC: [0x2211],
    DCBA: [0x2211],
  };

  for (const order of ["ABCD", "CDAB", "BADC", "DCBA"] as const) {
    it(`${order}: 16, 32 and 64-bit words give the value's big-endian bytes and back`, () => {
      expect(hex(wordsToBytes(WIRE64[order], order))).toBe("1122334455667788");
      expect(hex(wordsToBytes(WIRE32[order], order))).toBe("11223344");
      expect(hex(wordsToBytes(WIRE16[order], order))).toBe("1122");
      expect(bytesToWords(Buffer.from("1122334455667788", "hex"), order)).toEqual(WIRE64[order]);
      expect(bytesToWords(Buffer.from("11223344", "hex"), order)).toEqual(WIRE32[order]);
      expect(bytesToWords(Buffer.from("1122", "hex"), order)).toEqual(WIRE16[order]);
    });
  }

  it("rejects words that are not 16-bit unsigned integers", () => {
    for (const bad of [[65536], [-1], [1.5], [Number.NaN]]) {
      expect(() => wordsToBytes(bad, "ABCD")).toThrow(
        expect.objectContaining({ code: "DECODE_E_WORD_VALUE" }),
      );
    }
  });

  it("rejects an unknown word order and an odd byte count", () => {
    expect(() => wordsToBytes([1, 2], "ADCB" as WordOrder)).toThrow(DecodeError);
    expect(() => bytesToWords(new Uint8Array(3), "ABCD")).toThrow(
      expect.objectContaining({ code: "DECODE_E_WORD_COUNT" }),
    );
  });
});
