// Which addresses a simulated meter answers, from its profile: registers of one function whose gap
// is at most limits.maxGapRegisters form one readable span (the planner reads through such gaps,
// a real meter answers them); noReadAcross holes and everything else give exception 02.
import type { ReadLimits, RegisterFunction, ResolvedProfile, ResolvedRegister } from "../model.js";
import { ExceptionCode, MAX_READ_REGISTERS } from "./pdu.js";

interface Span {
  start: number;
  /** Inclusive. */
  end: number;
}

export class RegisterMap {
  private readonly registers: Record<RegisterFunction, ResolvedRegister[]>;
  private readonly spans: Record<RegisterFunction, Span[]>;
  private readonly limits: ReadLimits;

  constructor(profile: Pick<ResolvedProfile, "registers" | "limits">) {
    this.limits = profile.limits;
    const byFunction = (fn: RegisterFunction): ResolvedRegister[] =>
      profile.registers.filter((r) => r.function === fn).sort((a, b) => a.address - b.address);
    this.registers = { holding: byFunction("holding"), input: byFunction("input") };
    this.spans = { holding: this.buildSpans("holding"), input: this.buildSpans("input") };
  }

  private buildSpans(fn: RegisterFunction): Span[] {
    const spans: Span[] = [];
    for (const reg of this.registers[fn]) {
      // An even-aligned meter answers whole register pairs: the planner rounds blocks out to them.
      const even = this.limits.evenAlignment;
      const start = even ? reg.address - (reg.address % 2) : reg.address;
      const lastAddress = reg.address + reg.count - 1;
      const end = even && lastAddress % 2 === 0 ? lastAddress + 1 : lastAddress;
      const last = spans[spans.length - 1];
      if (last !== undefined && start - last.end - 1 <= this.limits.maxGapRegisters) {
        last.end = Math.max(last.end, end);
      } else {
        spans.push({ start, end });
      }
    }
    return spans;
  }

  /** Registers of this function that overlap [start, start + count). */
  registersIn(fn: RegisterFunction, start: number, count: number): ResolvedRegister[] {
    const end = start + count;
    return this.registers[fn].filter((r) => r.address < end && r.address + r.count > start);
  }

  /** True when the address is inside a readable span and outside every hole. */
  isReadable(fn: RegisterFunction, address: number): boolean {
    const inSpan = this.spans[fn].some((s) => address >= s.start && address <= s.end);
    const inHole = this.limits.noReadAcross.some(
      (h) => (h.function === undefined || h.function === fn) && address >= h.start && address <= h.end,
    );
    return inSpan && !inHole;
  }

  /** The exception code a meter of this profile answers a read with, or undefined when the read is fine. */
  checkRead(fn: RegisterFunction, start: number, count: number): number | undefined {
    if (count < 1 || count > MAX_READ_REGISTERS || count > this.limits.maxRegistersPerRead) {
      return ExceptionCode.illegalDataValue;
    }
    if (this.limits.evenAlignment && (start % 2 !== 0 || count % 2 !== 0))
      return ExceptionCode.illegalDataAddress;
    for (let a = start; a < start + count; a++) {
      if (!this.isReadable(fn, a)) return ExceptionCode.illegalDataAddress;
    }
    return undefined;
  }

  /** Readable spans of a function, for documentation and `GET /meters`. */
  readableSpans(fn: RegisterFunction): { start: number; end: number }[] {
    return this.spans[fn].map((s) => ({ ...s }));
  }
}
