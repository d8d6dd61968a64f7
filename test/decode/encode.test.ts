import { describe, expect, it } from "vitest";
import {
  decodeRegister,
  encodeRaw,
  encodeRegister,
  EncodeError,
  type DecodeSpec,
} from "../../engine/decode/index.js";
import type { CanonicalUnit, RegisterType, WordOrder } from "../../engine/model.js";
import { expectClose } from "./helpers.js";

const ORDERS: WordOrder[] = ["ABCD", "CDAB", "BADC", "DCBA"];
const WIDTH: Record<string, number> = { u16: 1, s16: 1, u32: 2, s32: 2, f32: 2, u64: 4, s64: 4, f64: 4 };

function spec(type: RegisterType, wordOrder: WordOrder, extra: Partial<DecodeSpec> = {}): DecodeSpec {
  return {
    type,
    count: WIDTH[type] ?? 1,
    wordOrder,
    multiplier: 1,
    offset: 0,
    unit: "",
    canonicalUnit: "",
    sentinels: [],
    ...extra,
  };
}

/** Per type: values (canonical) that survive the trip exactly, including the type's limits. */
const VALUES: Record<Exclude<RegisterType, "string">, number[]> = {
  u16: [0, 1, 0x1234, 0xfffe, 0xffff],
  s16: [-32768, -12345, -1, 0, 1, 32767],
  u32: [0, 1, 0x12345678, 0xffffffff],
  s32: [-2147483648, -123456789, -1, 0, 2147483647],
  u64: [0, 1, 2 ** 53 - 1, 2 ** 53, 2 ** 60, 2 ** 64 - 2 ** 11],
  s64: [-(2 ** 63), -(2 ** 53), -123456789012345, -1, 0, 2 ** 62],
  f32: [0, -0.15625, 1234.5, -3.4e38, 1e-30, 16777216],
  f64: [0, -1234.5678, Math.PI, 1e300, -5e-324],
};

describe("encodeRegister → decodeRegister", () => {
  for (const [type, values] of Object.entries(VALUES) as [Exclude<RegisterType, "string">, number[]][]) {
    for (const order of ORDERS) {
      it(`${type} ${order} round-trips ${values.length} values`, () => {
        const reg = spec(type, order);
        for (const value of values) {
          const words = encodeRegister(reg, value);
          expect(words).toHaveLength(reg.count);
          const back = decodeRegister(reg, words);
          expect(back.quality, `${value}`).toBe("good");
          // f32 values are chosen to be exact float32 numbers; fround tells when one is not.
          expectClose(back.value, type === "f32" ? Math.fround(value) : value, `${type} ${order} ${value}`);
        }
      });
    }
  }

  it("f32 rounds to the nearest float32", () => {
    const reg = spec("f32", "ABCD", { unit: "V", canonicalUnit: "V" });
    expect(decodeRegister(reg, encodeRegister(reg, 230.1)).value).toBe(Math.fround(230.1));
  });

  it("undoes multiplier, offset and unit in reverse order", () => {
    const cases: [DecodeSpec, number, number[]][] = [
      // 230.5 V at 0.1 V steps → raw 2305.
      [spec("u16", "ABCD", { multiplier: 0.1, unit: "V", canonicalUnit: "V" }), 230.5, [2305]],
      // 1500 W reported in kW → raw 1.5 as float32 0x3FC00000.
      [spec("f32", "ABCD", { unit: "kW", canonicalUnit: "W" }), 1500, [0x3fc0, 0x0000]],
      // 38.25 kWh as Wh int64 → raw 38250, CDAB puts the low word first.
      [spec("s64", "CDAB", { unit: "Wh", canonicalUnit: "kWh" }), 38.25, [38250, 0, 0, 0]],
      // 60 % with ×0.1 and offset −40 → raw 1000.
      [spec("u16", "ABCD", { multiplier: 0.1, offset: -40, unit: "%", canonicalUnit: "%" }), 60, [1000]],
      // −0.987 PF at ÷1000, s16 → raw −987 = 0xFC25.
      [spec("s16", "ABCD", { multiplier: 0.001 }), -0.987, [0xfc25]],
      // 1234.5 kWh at 0.1 kWh steps, u32 BADC → raw 12345 = 0x00003039 → bytes swapped per word.
      [spec("u32", "BADC", { multiplier: 0.1, unit: "kWh", canonicalUnit: "kWh" }), 1234.5, [0x0000, 0x3930]],
    ];
    for (const [reg, value, words] of cases) {
      expect(encodeRegister(reg, value), `${value}`).toEqual(words);
      expectClose(decodeRegister(reg, words).value, value);
    }
  });

  it("rounds integer raw values half away from zero", () => {
    const reg = spec("s16", "ABCD", { multiplier: 0.1 });
    expect(encodeRegister(reg, 0.25)).toEqual([3]);
    expect(encodeRegister(reg, -0.25)).toEqual([0xfffd]);
    expect(encodeRegister(reg, 0.24)).toEqual([2]);
  });

  it("throws ENCODE_E_RANGE when the raw value does not fit, or clamps on request", () => {
    const reg = spec("u16", "ABCD", { multiplier: 0.1, unit: "V", canonicalUnit: "V" });
    expect(() => encodeRegister(reg, 6553.6)).toThrow(EncodeError);
    try {
      encodeRegister(reg, 7000);
      expect.unreachable();
    } catch (e) {
      expect((e as EncodeError).code).toBe("ENCODE_E_RANGE");
      expect((e as Error).message).toMatch(/raw 70000.*u16 \(0…65535\)/);
    }
    expect(encodeRegister(reg, 7000, { clamp: true })).toEqual([0xffff]);
    expect(encodeRegister(spec("s16", "ABCD"), -40000, { clamp: true })).toEqual([0x8000]);
    expect(() => encodeRegister(spec("u32", "CDAB"), -1)).toThrow(/does not fit u32/);
    expect(() => encodeRegister(spec("u64", "ABCD"), 2 ** 64)).toThrow(/does not fit u64/);
  });

  it("lets float registers carry NaN and infinities (simulated faults), which decode as invalid", () => {
    for (const type of ["f32", "f64"] as const) {
      for (const value of [Number.NaN, Infinity, -Infinity]) {
        const reg = spec(type, "DCBA", { unit: "W", canonicalUnit: "W" });
        expect(decodeRegister(reg, encodeRegister(reg, value))).toEqual({ value: null, quality: "invalid" });
      }
    }
    expect(() => encodeRegister(spec("u16", "ABCD"), Number.NaN)).toThrow(/no finite raw value/);
  });

  it("rejects a value of the wrong kind and units that do not convert", () => {
    expect(() => encodeRegister(spec("u16", "ABCD"), "12")).toThrow(
      expect.objectContaining({ code: "ENCODE_E_VALUE" }),
    );
    expect(() => encodeRegister({ ...spec("string", "ABCD"), count: 2 }, 12)).toThrow(
      expect.objectContaining({ code: "ENCODE_E_VALUE" }),
    );
    expect(() => encodeRegister(spec("f32", "ABCD", { unit: "kWh", canonicalUnit: "W" }), 1)).toThrow(
      expect.objectContaining({ code: "ENCODE_E_UNIT" }),
    );
    expect(() => encodeRegister({ ...spec("u32", "ABCD"), count: 1 }, 1)).toThrow(
      expect.objectContaining({ code: "ENCODE_E_TYPE_WIDTH" }),
    );
  });

  it("encodes strings two characters per register, NUL-padded, and decodes them back", () => {
    const reg: DecodeSpec = { ...spec("string", "ABCD"), count: 4, canonicalUnit: "" as CanonicalUnit };
    expect(encodeRegister(reg, "SN123")).toEqual([0x534e, 0x3132, 0x3300, 0x0000]);
    for (const text of ["", "A", "SN123", "12345678", "A B C"]) {
      expect(decodeRegister(reg, encodeRegister(reg, text))).toEqual({ value: text, quality: "good" });
    }
    expect(() => encodeRegister(reg, "123456789")).toThrow(
      expect.objectContaining({ code: "ENCODE_E_STRING" }),
    );
    expect(() => encodeRegister(reg, "Zähler")).toThrow(expect.objectContaining({ code: "ENCODE_E_STRING" }));
  });

  it("encodeRaw keeps 64-bit raw values beyond 2^53 exact (bigint)", () => {
    expect(encodeRaw("u64", "ABCD", 0x0123456789abcdefn)).toEqual([0x0123, 0x4567, 0x89ab, 0xcdef]);
    expect(encodeRaw("u64", "CDAB", 0x0123456789abcdefn)).toEqual([0xcdef, 0x89ab, 0x4567, 0x0123]);
    expect(encodeRaw("s64", "BADC", -2n)).toEqual([0xffff, 0xffff, 0xffff, 0xfeff]);
    // 2^53 + 1 = 0x0020000000000001: little-endian bytes 01 00 00 00 00 00 20 00.
    expect(encodeRaw("u64", "DCBA", 9007199254740993n)).toEqual([0x0100, 0x0000, 0x0000, 0x2000]);
    expect(() => encodeRaw("u16", "ABCD", 1.5)).toThrow(/must be an integer/);
  });
});
