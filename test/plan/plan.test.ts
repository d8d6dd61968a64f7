import { describe, expect, it } from "vitest";
import type { ReadLimits, RegisterFunction, ResolvedProfile, ResolvedRegister } from "../../engine/model.js";
import { planMeter } from "../../engine/plan/index.js";
import type { Block } from "../../engine/plan/index.js";

function reg(
  quantity: string,
  address: number,
  count = 2,
  extra: Partial<ResolvedRegister> = {},
): ResolvedRegister {
  return {
    quantity: quantity as ResolvedRegister["quantity"],
    kind: "instantaneous",
    canonicalUnit: "V",
    function: "holding",
    address,
    count,
    type: count === 1 ? "u16" : count === 4 ? "f64" : "f32",
    wordOrder: "ABCD",
    multiplier: 1,
    offset: 0,
    unit: "V",
    sentinels: [],
    pollClass: "live",
    ...extra,
  };
}

function limits(extra: Partial<ReadLimits> = {}): ReadLimits {
  return { maxRegistersPerRead: 125, maxGapRegisters: 8, evenAlignment: false, noReadAcross: [], ...extra };
}

function profile(
  registers: ResolvedRegister[],
  extra: Partial<ReadLimits> = {},
): Pick<ResolvedProfile, "registers" | "limits"> {
  return { registers, limits: limits(extra) };
}

const shape = (blocks: Block[]) =>
  blocks.map((b) => [b.pollClass, b.function, b.start, b.count, b.registers.map((r) => r.quantity)]);

describe("planMeter", () => {
  it("merges neighbours and small gaps into one read", () => {
    const blocks = planMeter(
      profile([reg("voltage_l2", 1012), reg("voltage_l1", 1010), reg("current_l1", 1020)]),
    );
    expect(shape(blocks)).toEqual([
      ["live", "holding", 1010, 12, ["voltage_l1", "voltage_l2", "current_l1"]],
    ]);
  });

  it("splits where the gap is larger than maxGapRegisters", () => {
    const blocks = planMeter(
      profile([reg("voltage_l1", 0), reg("voltage_l2", 2 + 4), reg("voltage_l3", 8 + 5)], {
        maxGapRegisters: 4,
      }),
    );
    expect(blocks.map((b) => [b.start, b.count])).toEqual([
      [0, 8],
      [13, 2],
    ]);
  });

  it("keeps functions and poll classes apart, and filters one poll class", () => {
    const registers = [
      reg("voltage_l1", 0),
      reg("frequency", 2, 2, { function: "input" }),
      reg("active_energy_import", 4, 4, { pollClass: "energy", kind: "counter" }),
    ];
    expect(shape(planMeter(profile(registers)))).toEqual([
      ["energy", "holding", 4, 4, ["active_energy_import"]],
      ["live", "holding", 0, 2, ["voltage_l1"]],
      ["live", "input", 2, 2, ["frequency"]],
    ]);
    expect(shape(planMeter(profile(registers), "live"))).toHaveLength(2);
    expect(planMeter(profile(registers), "identity")).toEqual([]);
  });

  it("never exceeds maxRegistersPerRead, nor 125", () => {
    const registers = Array.from({ length: 100 }, (_, i) => reg(`q${i}`, 2 * i));
    expect(planMeter(profile(registers, { maxRegistersPerRead: 40 })).map((b) => b.count)).toEqual([
      40, 40, 40, 40, 40,
    ]);
    expect(planMeter(profile(registers)).map((b) => b.count)).toEqual([124, 76]);
  });

  it("never reads across a hole, and holes apply to their function only", () => {
    const registers = [
      reg("voltage_l1", 0),
      reg("voltage_l2", 6),
      reg("frequency", 0, 2, { function: "input" }),
      reg("current_l1", 6, 2, { function: "input" }),
    ];
    const blocks = planMeter(
      profile(registers, { noReadAcross: [{ function: "holding", start: 3, end: 3 }] }),
    );
    expect(blocks.map((b) => [b.function, b.start, b.count])).toEqual([
      ["holding", 0, 2],
      ["holding", 6, 2],
      ["input", 0, 8],
    ]);
  });

  it("aligns blocks to even start and count when the meter needs it", () => {
    const blocks = planMeter(
      profile([reg("voltage_l1", 1, 1), reg("voltage_l2", 3, 2)], { evenAlignment: true }),
    );
    expect(blocks.map((b) => [b.start, b.count])).toEqual([[0, 6]]);
    const single = planMeter(profile([reg("voltage_l1", 5, 1)], { evenAlignment: true }));
    expect(single.map((b) => [b.start, b.count])).toEqual([[4, 2]]);
    // Alignment that would touch a hole gives way to the hole.
    const held = planMeter(
      profile([reg("voltage_l1", 5, 1)], { evenAlignment: true, noReadAcross: [{ start: 4, end: 4 }] }),
    );
    expect(held.map((b) => [b.start, b.count])).toEqual([[5, 2]]);
  });

  it("merges overlapping registers (two views of the same words)", () => {
    const blocks = planMeter(
      profile([reg("active_energy_import", 10, 4), reg("active_energy_export", 12, 2)]),
    );
    expect(blocks.map((b) => [b.start, b.count, b.registers.length])).toEqual([[10, 4, 2]]);
  });
});

// Property tests over random profiles, with a seeded generator so a failure can be replayed.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  registers: ResolvedRegister[];
  limits: ReadLimits;
}

function randomCase(random: () => number): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const evenAlignment = random() < 0.3;
  const maxRegistersPerRead = int(evenAlignment ? 4 : 2, 125);
  const holes: ReadLimits["noReadAcross"] = [];
  for (let i = int(0, 3); i > 0; i--) {
    const start = int(0, 400);
    holes.push({
      start,
      end: start + int(0, 5),
      ...(random() < 0.5 ? { function: random() < 0.5 ? "holding" : "input" } : {}),
    });
  }
  const registers: ResolvedRegister[] = [];
  for (let i = int(1, 60); i > 0; i--) {
    const count = [1, 2, 2, 4, int(1, Math.min(10, maxRegistersPerRead))][int(0, 4)]!;
    const fn: RegisterFunction = random() < 0.7 ? "holding" : "input";
    const address = int(0, 420);
    const inHole = holes.some(
      (h) => (!h.function || h.function === fn) && h.start <= address + count - 1 && h.end >= address,
    );
    if (inHole || count > maxRegistersPerRead) continue;
    registers.push(
      reg(`q${registers.length}`, address, count, {
        function: fn,
        pollClass: random() < 0.7 ? "live" : "energy",
      }),
    );
  }
  if (registers.length === 0) registers.push(reg("q0", 430, 2));
  return {
    registers,
    limits: { maxRegistersPerRead, maxGapRegisters: int(0, 20), evenAlignment, noReadAcross: holes },
  };
}

/** An independent statement of what a valid block is, for the checks below. */
function validGroup(group: ResolvedRegister[], l: ReadLimits): boolean {
  const sorted = [...group].sort((a, b) => a.address - b.address);
  let end = -1;
  for (const [i, r] of sorted.entries()) {
    if (i > 0 && r.address - end - 1 > l.maxGapRegisters) return false;
    end = Math.max(end, r.address + r.count - 1);
  }
  let start = sorted[0]!.address;
  if (l.evenAlignment) {
    start -= start % 2;
    if ((end - start + 1) % 2 === 1) end++;
  }
  const fn = sorted[0]!.function;
  const max = Math.min(125, l.maxRegistersPerRead);
  return (
    end - start + 1 <= max &&
    l.noReadAcross.every((h) => (h.function && h.function !== fn) || h.end < start || h.start > end)
  );
}

describe("planMeter properties over 500 random profiles", () => {
  const cases = Array.from({ length: 500 }, (_, seed) => ({ seed, ...randomCase(mulberry32(seed + 1)) }));

  it("covers every register exactly once, inside its block, with one function and poll class per block", () => {
    for (const { seed, registers, limits: l } of cases) {
      const blocks = planMeter({ registers, limits: l });
      const seen = blocks.flatMap((b) => b.registers);
      expect(seen.length, `seed ${seed}`).toBe(registers.length);
      expect(new Set(seen).size, `seed ${seed}`).toBe(registers.length);
      for (const b of blocks) {
        for (const r of b.registers) {
          expect(r.function, `seed ${seed}`).toBe(b.function);
          expect(r.pollClass, `seed ${seed}`).toBe(b.pollClass);
          expect(r.address >= b.start && r.address + r.count <= b.start + b.count, `seed ${seed}`).toBe(true);
        }
      }
    }
  });

  it("respects the size limit, the holes, the gap limit and even alignment", () => {
    for (const { seed, registers, limits: l } of cases) {
      for (const b of planMeter({ registers, limits: l })) {
        const end = b.start + b.count - 1;
        expect(b.count, `seed ${seed}`).toBeLessThanOrEqual(Math.min(125, l.maxRegistersPerRead));
        for (const h of l.noReadAcross) {
          if (!h.function || h.function === b.function)
            expect(h.end < b.start || h.start > end, `seed ${seed}`).toBe(true);
        }
        if (b.registers.length > 1) expect(validGroup(b.registers, l), `seed ${seed}`).toBe(true);
        if (l.evenAlignment && b.registers.length > 1) {
          expect(b.start % 2, `seed ${seed}`).toBe(0);
          expect(b.count % 2, `seed ${seed}`).toBe(0);
        }
      }
    }
  });

  it("uses the fewest blocks (checked against dynamic programming)", () => {
    for (const { seed, registers, limits: l } of cases) {
      let optimal = 0;
      const groups = new Map<string, ResolvedRegister[]>();
      for (const r of registers)
        groups.set(`${r.pollClass}/${r.function}`, [
          ...(groups.get(`${r.pollClass}/${r.function}`) ?? []),
          r,
        ]);
      for (const group of groups.values()) {
        const sorted = group.sort((a, b) => a.address - b.address || b.count - a.count);
        const best = [0];
        for (let i = 1; i <= sorted.length; i++) {
          best[i] = Infinity;
          for (let j = i - 1; j >= 0; j--) {
            const candidate = sorted.slice(j, i);
            if (candidate.length === 1 || validGroup(candidate, l))
              best[i] = Math.min(best[i]!, best[j]! + 1);
          }
        }
        optimal += best[sorted.length]!;
      }
      expect(planMeter({ registers, limits: l }).length, `seed ${seed}`).toBe(optimal);
    }
  });
});
