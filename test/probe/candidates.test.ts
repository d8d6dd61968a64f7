import { describe, expect, it } from "vitest";
import { encodeRaw } from "../../engine/decode/index.js";
import type { RegisterType, WordOrder } from "../../engine/model.js";
import { familyOf, isPlausible, rankCandidates } from "../../engine/probe/index.js";
import type { RegisterArea } from "../../engine/probe/index.js";

/** An area of `length` registers from `start` holding `values` (raw) of one type at `at`, `at` + width, … */
function area(
  start: number,
  length: number,
  at: number,
  type: RegisterType,
  order: WordOrder,
  values: number[],
): RegisterArea {
  const words: (number | undefined)[] = new Array<number>(length).fill(0);
  let address = at;
  for (const value of values) {
    for (const w of encodeRaw(type, order, value)) words[address++ - start] = w;
  }
  return { start, words };
}

describe("rankCandidates", () => {
  it.each([
    ["f32", "ABCD", 231.7, 1],
    ["f32", "CDAB", 229.4, 1],
    ["f32", "BADC", 240.2, 1],
    ["f32", "DCBA", 219.9, 1],
    ["s32", "ABCD", 23_170, 0.01],
    ["u32", "CDAB", 2317, 0.1],
    ["f64", "DCBA", 230.05, 1],
  ] as const)("finds %s %s voltages scaled ×%s… at the address asked for", (type, order, raw, _scale) => {
    const scale = _scale;
    const width = type === "f64" ? 4 : 2;
    const values = [raw, raw + 7, raw - 5];
    const registers = area(99, 8 + 3 * width, 100, type, order, values);
    const [best] = rankCandidates(registers, 100, "voltage_l1");
    expect(best).toMatchObject({ address: 100, width, scale, plausible: true });
    expect(best!.types).toContain(type);
    expect(best!.wordOrders).toContain(order);
    expect(best!.value).toBeCloseTo(raw * scale, 3);
  });

  it("reads a 16-bit frequency one register off when the probe is given the wrong address", () => {
    // s16 ×0.01 frequency at 42 between a power factor (×0.001) and a current (×0.01), as 16-bit meters lay out.
    const layout = new Map([
      [40, 980],
      [41, 951],
      [42, 5002],
      [43, 1234],
      [44, 1187],
      [45, 1301],
      [46, 7],
    ]);
    for (const asked of [41, 43]) {
      const registers: RegisterArea = {
        start: asked - 1,
        words: Array.from({ length: 7 }, (_, i) => layout.get(asked - 1 + i)),
      };
      const [best] = rankCandidates(registers, asked, "frequency");
      expect(best).toMatchObject({ address: 42, width: 1, scale: 0.01, value: 50.02 });
      expect(best!.types).toEqual(["u16", "s16"]);
    }
  });

  it("prefers the 32-bit reading whose neighbour is the next phase over a 16-bit one followed by zero", () => {
    // Carlo Gavazzi style: s32 low word first, ×0.1, so every high word is 0 and the low word alone is the value.
    const registers = area(0, 8, 0, "s32", "CDAB", [2301, 2305, 2299]);
    const [best, ...rest] = rankCandidates(registers, 0, "voltage_l1");
    expect(best).toMatchObject({ address: 0, width: 2, scale: 0.1, wordOrders: ["CDAB"] });
    expect(best!.types.sort()).toEqual(["s32", "u32"]);
    const sixteen = rest.find((c) => c.address === 0 && c.width === 1 && c.scale === 0.1);
    expect(sixteen?.value).toBeCloseTo(230.1, 9);
    expect(sixteen!.score).toBeLessThan(best!.score);
  });

  it("finds nothing plausible in registers that hold no voltage, and never calls a float denormal plausible", () => {
    const registers: RegisterArea = { start: 10, words: new Array<number>(7).fill(0xffff) };
    const ranked = rankCandidates(registers, 11, "voltage_l1");
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.filter((c) => c.plausible)).toEqual([]);
    expect(isPlausible(3.2e-42, familyOf("current_l1"))).toBe(false);
    expect(isPlausible(0, familyOf("current_l1"))).toBe(true);
  });

  it("skips readings that need a register the meter refused", () => {
    const registers = area(99, 7, 100, "f32", "ABCD", [230, 231, 232]);
    registers.words[1] = undefined; // address 100
    const ranked = rankCandidates(registers, 100, "voltage_l1");
    expect(ranked.every((c) => c.address + c.width <= 100 || c.address > 100)).toBe(true);
  });
});

describe("familyOf", () => {
  it.each([
    ["voltage_l2", "voltage L-N", 180, 260],
    ["voltage_l3_l1", "voltage L-L", 330, 450],
    ["frequency_l1", "frequency", 45, 65],
    ["current_n", "current", 0, 6000],
    ["displacement_power_factor_l1", "power factor", -1, 1],
    ["active_energy_import", "energy", 0, 1e9],
  ])("%s is judged as %s (%s…%s)", (quantity, name, min, max) => {
    expect(familyOf(quantity)).toMatchObject({ name, min, max });
  });
});
