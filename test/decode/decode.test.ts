import { describe, expect, it } from "vitest";
import { decodeBlock, decodeRegister, DecodeError, encodeRegister } from "../../engine/decode/index.js";
import type { ResolvedRegister } from "../../engine/model.js";

function register(overrides: Partial<ResolvedRegister>): ResolvedRegister {
  return {
    quantity: "voltage_l1",
    kind: "instantaneous",
    canonicalUnit: "V",
    function: "holding",
    address: 1000,
    count: 2,
    type: "f32",
    wordOrder: "ABCD",
    multiplier: 1,
    offset: 0,
    unit: "V",
    sentinels: [],
    pollClass: "live",
    ...overrides,
  };
}

describe("decodeRegister", () => {
  it("throws DECODE_E_WORD_COUNT when the words do not match the register's count", () => {
    expect(() => decodeRegister(register({}), [0x4366])).toThrow(
      expect.objectContaining({ code: "DECODE_E_WORD_COUNT", name: "DecodeError" }),
    );
    expect(() => decodeRegister(register({}), [0, 0, 0])).toThrow(DecodeError);
  });

  it("throws DECODE_E_TYPE_WIDTH when count does not match the type", () => {
    expect(() => decodeRegister(register({ type: "f64", count: 2 }), [0, 0])).toThrow(
      expect.objectContaining({ code: "DECODE_E_TYPE_WIDTH" }),
    );
  });

  it("throws DECODE_E_UNIT when the unit does not convert to the canonical unit", () => {
    expect(() => decodeRegister(register({ unit: "kWh" }), [0, 0])).toThrow(
      expect.objectContaining({ code: "DECODE_E_UNIT", message: expect.stringContaining('"kWh"') }),
    );
  });

  it("keeps identity numbers and strings good", () => {
    const serial = register({
      quantity: "serial_number",
      kind: "identity",
      canonicalUnit: "",
      unit: "",
      type: "u32",
    });
    expect(decodeRegister(serial, [0x0001, 0xe240])).toEqual({ value: 123456, quality: "good" });
  });
});

describe("decodeBlock", () => {
  // A slice of the Meatrol 1000 block: currents at 1000/1002, a hole, power in kW at 1006.
  const registers = [
    register({
      quantity: "current_l1",
      canonicalUnit: "A",
      unit: "A",
      address: 1000,
      range: { min: 0, max: 100 },
    }),
    register({
      quantity: "current_l2",
      canonicalUnit: "A",
      unit: "A",
      address: 1002,
      range: { min: 0, max: 100 },
    }),
    register({ quantity: "active_power_total", canonicalUnit: "W", unit: "kW", address: 1006 }),
  ];
  const words = [
    ...encodeRegister(registers[0] as ResolvedRegister, 3.5),
    ...encodeRegister(registers[1] as ResolvedRegister, 250), // implausible: out_of_range
    0xffff,
    0xffff,
    ...encodeRegister(registers[2] as ResolvedRegister, -2250),
  ];

  it("decodes each register at its offset into samples with meter id, unit and timestamp", () => {
    const samples = decodeBlock({ start: 1000, registers }, words, "m1", 1_700_000_000_000);
    expect(samples).toEqual([
      {
        meterId: "m1",
        quantity: "current_l1",
        value: 3.5,
        unit: "A",
        quality: "good",
        timestamp: 1_700_000_000_000,
      },
      {
        meterId: "m1",
        quantity: "current_l2",
        value: 250,
        unit: "A",
        quality: "out_of_range",
        timestamp: 1_700_000_000_000,
      },
      {
        meterId: "m1",
        quantity: "active_power_total",
        value: -2250,
        unit: "W",
        quality: "good",
        timestamp: 1_700_000_000_000,
      },
    ]);
  });

  it("throws DECODE_E_BLOCK_RANGE when a register lies outside the words read", () => {
    expect(() => decodeBlock({ start: 1000, registers }, words.slice(0, 6), "m1", 0)).toThrow(
      expect.objectContaining({ code: "DECODE_E_BLOCK_RANGE" }),
    );
    expect(() => decodeBlock({ start: 1002, registers }, words, "m1", 0)).toThrow(/outside the block read/);
  });
});
