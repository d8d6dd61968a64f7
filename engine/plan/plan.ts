// The planner: a meter's registers → the fewest read blocks the profile's limits allow.
// Greedy left-to-right merging is optimal here because every limit is monotone: any run of consecutive
// registers inside a valid block is itself a valid block (its span, even aligned, lies inside the larger one).
import type { ReadLimits, RegisterFunction, ResolvedProfile, ResolvedRegister } from "../model.js";

/** The Modbus maximum for one FC03/FC04 read. */
export const MODBUS_MAX_REGISTERS = 125;

/** One Modbus read: function code, first wire address and register count, and the quantities it covers. */
export interface Block {
  function: RegisterFunction;
  start: number;
  count: number;
  pollClass: string;
  /** The registers decoded from this read, by address. */
  registers: ResolvedRegister[];
}

interface Span {
  start: number;
  end: number;
}

/** The blocks of a profile, or of one poll class of it, ordered by poll class, function and address. */
export function planMeter(
  profile: Pick<ResolvedProfile, "registers" | "limits">,
  pollClass?: string,
): Block[] {
  const registers =
    pollClass === undefined ? profile.registers : profile.registers.filter((r) => r.pollClass === pollClass);
  const groups = new Map<string, ResolvedRegister[]>();
  for (const register of registers) {
    const key = `${register.pollClass}\u0000${register.function}`;
    const group = groups.get(key);
    if (group) group.push(register);
    else groups.set(key, [register]);
  }
  const blocks = [...groups.keys()].sort().flatMap((key) => planGroup(groups.get(key)!, profile.limits));
  return blocks;
}

/** Poll classes a profile uses, in first-use order. */
export function pollClassesOf(profile: Pick<ResolvedProfile, "registers">): string[] {
  return [...new Set(profile.registers.map((r) => r.pollClass))];
}

/** Plans registers that share a function and a poll class. */
export function planGroup(registers: readonly ResolvedRegister[], limits: ReadLimits): Block[] {
  const first = registers[0];
  if (!first) return [];
  const fn = first.function;
  const rules = new Rules(limits, fn);
  const sorted = [...registers].sort((a, b) => a.address - b.address || b.count - a.count);
  const blocks: Block[] = [];
  let current: ResolvedRegister[] = [];
  let span: Span = { start: 0, end: -1 };
  for (const register of sorted) {
    const end = register.address + register.count - 1;
    if (current.length > 0) {
      const gap = register.address - (span.end + 1);
      const merged = { start: span.start, end: Math.max(span.end, end) };
      if (gap <= limits.maxGapRegisters && rules.readable(rules.widen(merged))) {
        current.push(register);
        span = merged;
        continue;
      }
      blocks.push(rules.block(current, span, first.pollClass));
    }
    current = [register];
    span = { start: register.address, end };
  }
  blocks.push(rules.block(current, span, first.pollClass));
  return blocks;
}

class Rules {
  private readonly maxCount: number;
  private readonly holes: Span[];

  constructor(
    private readonly limits: ReadLimits,
    fn: RegisterFunction,
  ) {
    const max = Math.min(limits.maxRegistersPerRead, MODBUS_MAX_REGISTERS);
    // An even count can be at most the largest even number within the limit.
    this.maxCount = limits.evenAlignment ? Math.max(2, max - (max % 2)) : max;
    this.holes = limits.noReadAcross
      .filter((hole) => hole.function === undefined || hole.function === fn)
      .map((hole) => ({ start: hole.start, end: hole.end }));
  }

  /** The span a read must cover: even start and even count when the meter needs it. */
  widen(span: Span): Span {
    if (!this.limits.evenAlignment) return span;
    const start = span.start - (span.start % 2);
    const end = (span.end - start) % 2 === 0 ? span.end + 1 : span.end;
    return { start, end: Math.min(end, 0xffff) };
  }

  readable(span: Span): boolean {
    return (
      span.end - span.start + 1 <= this.maxCount &&
      this.holes.every((hole) => hole.end < span.start || hole.start > span.end)
    );
  }

  block(registers: ResolvedRegister[], span: Span, pollClass: string): Block {
    // A lone register that cannot be aligned without touching a hole keeps as much alignment as it can
    // (an even count), else is read as it is: holes win.
    const evenCount =
      this.limits.evenAlignment && (span.end - span.start) % 2 === 0
        ? { start: span.start, end: span.end + 1 }
        : span;
    const read = [this.widen(span), evenCount].find((candidate) => this.readable(candidate)) ?? span;
    return {
      function: registers[0]!.function,
      start: read.start,
      count: read.end - read.start + 1,
      pollClass,
      registers,
    };
  }
}
