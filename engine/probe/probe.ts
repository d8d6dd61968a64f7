// `ampx probe` without the command line: read the area around an address once, then rank every reading.
import type { RegisterFunction } from "../model.js";
import { ModbusExceptionError, TimeoutError, TransportError } from "../transport/index.js";
import type { Transport } from "../transport/index.js";
import { rankCandidates } from "./candidates.js";
import type { Candidate, RegisterArea } from "./candidates.js";
import { familyOf } from "./plausibility.js";
import type { QuantityFamily } from "./plausibility.js";

export interface ProbeRequest {
  unitId: number;
  function: RegisterFunction;
  /** Wire (PDU) address of the value as the datasheet or profile has it. */
  address: number;
  /** Registers from `address` the value may span (4 covers 64-bit types). @default 4 */
  count?: number;
  /** The quantity the value should be, e.g. voltage_l1. */
  quantity: string;
}

export interface ProbeResult {
  request: Required<ProbeRequest>;
  family: QuantityFamily;
  area: RegisterArea;
  /** The reads made (the meter may refuse the whole area and accept parts of it). */
  reads: { start: number; count: number; error?: string }[];
  candidates: Candidate[];
}

/** The probe cannot read anything useful: no answer, or the meter refuses every address. */
export class ProbeError extends Error {
  override name = "ProbeError" as const;
  constructor(
    readonly code: "PROBE_E_NO_ANSWER" | "PROBE_E_REFUSED" | "PROBE_E_REQUEST",
    message: string,
    override readonly cause?: TransportError,
  ) {
    super(message);
  }
}

const MAX_ADDRESS = 0xffff;

/** The reads to try, widest first; the narrower ones fill what the meter refused in a wider read. */
function readPlan(lo: number, hi: number, address: number, count: number): { start: number; end: number }[] {
  const even = (a: number): number => a - (a % 2);
  const odd = (a: number): number => (a % 2 === 0 ? a + 1 : a);
  const core = { start: address, end: Math.min(MAX_ADDRESS, address + count - 1) };
  const plan = [
    { start: lo, end: hi },
    core,
    // Meters that answer only even-aligned register pairs (Eastron and others).
    { start: even(lo), end: Math.min(MAX_ADDRESS, odd(hi)) },
    { start: even(core.start), end: Math.min(MAX_ADDRESS, odd(core.end)) },
  ];
  for (let a = lo; a <= hi; a++) plan.push({ start: a, end: a });
  for (let a = even(lo); a <= hi; a += 2) plan.push({ start: a, end: Math.min(MAX_ADDRESS, a + 1) });
  return plan;
}

/**
 * Reads registers `address` − 1 … `address` + count + 1 of one meter (once; parts again if the meter refuses
 * the whole area) and ranks every reading of them for the quantity.
 */
export async function probe(transport: Transport, request: ProbeRequest): Promise<ProbeResult> {
  const count = request.count ?? 4;
  if (!Number.isInteger(request.address) || request.address < 0 || request.address > MAX_ADDRESS)
    throw new ProbeError("PROBE_E_REQUEST", `address ${request.address} is not a register address 0…65535`);
  if (!Number.isInteger(count) || count < 1 || count > 120)
    throw new ProbeError("PROBE_E_REQUEST", `count ${count} is not 1…120`);
  const full: Required<ProbeRequest> = { ...request, count };
  const lo = Math.max(0, request.address - 1);
  const hi = Math.min(MAX_ADDRESS, request.address + count + 1);
  const area: RegisterArea = { start: lo, words: new Array<number | undefined>(hi - lo + 1).fill(undefined) };
  const reads: ProbeResult["reads"] = [];
  const known = (a: number): boolean => area.words[a - lo] !== undefined;
  let refusal: TransportError | undefined;
  let answered = false;
  let attempt = 0;

  for (const { start, end } of readPlan(lo, hi, request.address, count)) {
    attempt++;
    if (area.words.every((w) => w !== undefined)) break;
    let missing = false;
    for (let a = Math.max(start, lo); a <= Math.min(end, hi); a++) if (!known(a)) missing = true;
    if (!missing) continue;
    const n = end - start + 1;
    try {
      const words = await transport.read(request.unitId, request.function, start, n);
      reads.push({ start, count: n });
      answered = true;
      words.forEach((w, i) => {
        const a = start + i;
        if (a >= lo && a <= hi) area.words[a - lo] = w;
      });
    } catch (error) {
      // Some meters stay silent rather than answer an exception for an address they do not have: a timeout
      // counts as a refusal once the meter has answered, or while the narrower core read is still to come.
      const silentRefusal = error instanceof TimeoutError && (answered || attempt === 1);
      if (error instanceof ModbusExceptionError || silentRefusal) {
        refusal = error;
        reads.push({ start, count: n, error: error.message });
        continue;
      }
      if (error instanceof TransportError) {
        throw new ProbeError(
          "PROBE_E_NO_ANSWER",
          `unit ${request.unitId} on ${transport.name} did not answer: ${error.message}`,
          error,
        );
      }
      throw error;
    }
  }
  if (area.words.every((w) => w === undefined)) {
    throw new ProbeError(
      "PROBE_E_REFUSED",
      `unit ${request.unitId} refused every read of ${request.function} registers ${lo}…${hi}: ${refusal?.message ?? "no data"}`,
      refusal,
    );
  }
  return {
    request: full,
    family: familyOf(request.quantity),
    area,
    reads,
    candidates: rankCandidates(area, request.address, request.quantity),
  };
}
