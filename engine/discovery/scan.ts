// Discovery: which unit ids answer on a bus or TCP host, and which profile explains their answers.
import { decodeBlock } from "../decode/index.js";
import type { ResolvedProfile } from "../model.js";
import { planMeter } from "../plan/index.js";
import {
  ConnectFailedError,
  ModbusExceptionError,
  PermissionDeniedError,
  PortBusyError,
  PortNotFoundError,
  TimeoutError,
  TransportError,
} from "../transport/index.js";
import type { Transport } from "../transport/index.js";
import { fingerprintOf, isMatch, pointsFor, rank } from "./score.js";
import type { Evidence, ProfileScore } from "./score.js";

export interface ScanOptions {
  /** Unit ids to try, in order. */
  units: readonly number[];
  /** Response timeout per request (short: most unit ids do not answer). */
  timeoutMs: number;
  profiles: readonly ResolvedProfile[];
  /** Called after each unit id is tried. */
  onUnit?: (unitId: number, present: boolean) => void;
}

export interface UnitFinding {
  unitId: number;
  /** Every profile, best first. */
  scores: ProfileScore[];
  /** The best profile when it explains at least half of what it could. */
  match?: ProfileScore;
  /** Other profiles that explain the answers exactly as well as the match. */
  alsoPossible: string[];
}

/** The scan cannot go on: the port or host is not usable at all. */
export class ScanError extends Error {
  override name = "ScanError" as const;
  readonly code = "SCAN_E_TRANSPORT";
}

function fatal(error: unknown): boolean {
  return (
    error instanceof PortNotFoundError ||
    error instanceof PermissionDeniedError ||
    error instanceof PortBusyError ||
    error instanceof ConnectFailedError
  );
}

/**
 * Whether a unit id answers: any answer to one short read (data, an exception, even a malformed
 * answer) proves a device is there; only silence means nobody.
 */
async function present(transport: Transport, unitId: number, timeoutMs: number): Promise<boolean> {
  try {
    await transport.read(unitId, "holding", 0, 1, timeoutMs);
    return true;
  } catch (error) {
    if (fatal(error)) throw new ScanError((error as Error).message);
    if (error instanceof TimeoutError) return false;
    if (error instanceof TransportError) return true;
    throw error;
  }
}

/** Reads a profile's identification and fingerprint quantities from a unit and scores them. */
export async function scoreProfile(
  transport: Transport,
  unitId: number,
  profile: ResolvedProfile,
  timeoutMs: number,
): Promise<ProfileScore> {
  const weights = new Map(fingerprintOf(profile).map((f) => [f.quantity as string, f.weight]));
  const wanted = new Set<string>([...weights.keys(), ...profile.identification]);
  const registers = profile.registers.filter((r) => wanted.has(r.quantity));
  const evidence: Evidence[] = [];
  const identification: Record<string, number | string> = {};
  for (const block of planMeter({ registers, limits: profile.limits })) {
    let samples;
    let failure: string | undefined;
    try {
      const words = await transport.read(unitId, block.function, block.start, block.count, timeoutMs);
      samples = decodeBlock(block, words, `unit-${unitId}`, Date.now());
    } catch (error) {
      if (fatal(error)) throw new ScanError((error as Error).message);
      failure =
        error instanceof ModbusExceptionError
          ? `exception ${error.exceptionCode} (${error.exceptionName})`
          : ((error as { code?: string }).code ?? "error");
    }
    for (const reg of block.registers) {
      const weight = weights.get(reg.quantity);
      const sample = samples?.find((s) => s.quantity === reg.quantity);
      if (sample && profile.identification.includes(reg.quantity)) {
        if (sample.quality === "good" && sample.value !== null && sample.value !== 0 && sample.value !== "") {
          identification[reg.quantity] = sample.value;
        }
      }
      if (weight === undefined) continue;
      if (!sample) {
        evidence.push({
          quantity: reg.quantity,
          value: null,
          unit: reg.canonicalUnit,
          points: -weight,
          note: failure,
        });
        continue;
      }
      evidence.push({
        quantity: reg.quantity,
        value: sample.value,
        unit: sample.unit,
        points: pointsFor(reg.quantity, sample.value, sample.quality, weight),
        ...(sample.quality === "good" ? {} : { note: sample.quality }),
      });
    }
  }
  // An identification field that reads as a real value is evidence too.
  const idPoints = Object.keys(identification).length;
  return {
    profileId: profile.id,
    score: evidence.reduce((sum, e) => sum + e.points, 0) + idPoints,
    maxScore: [...weights.values()].reduce((sum, w) => sum + w, 0) + profile.identification.length,
    evidence,
    identification,
  };
}

/** Tries every unit id; for those that answer, scores every profile. */
export async function scan(transport: Transport, options: ScanOptions): Promise<UnitFinding[]> {
  const findings: UnitFinding[] = [];
  for (const unitId of options.units) {
    const here = await present(transport, unitId, options.timeoutMs);
    options.onUnit?.(unitId, here);
    if (!here) continue;
    const scores: ProfileScore[] = [];
    for (const profile of options.profiles) {
      scores.push(await scoreProfile(transport, unitId, profile, options.timeoutMs));
    }
    const ranked = rank(scores);
    const best = ranked[0];
    const match = best && isMatch(best) ? best : undefined;
    const alsoPossible = match
      ? ranked
          .slice(1)
          .filter((s) => s.score === match.score && s.maxScore === match.maxScore)
          .map((s) => s.profileId)
      : [];
    findings.push({ unitId, scores: ranked, ...(match ? { match } : {}), alsoPossible });
  }
  return findings;
}

/** Parses "1-247", "1,2,5-7" into unit ids (1–247). */
export function parseUnits(text: string): number[] {
  const units = new Set<number>();
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) throw new RangeError(`"${part}" is not a unit id or a range like 1-247`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to > 247 || from > to) throw new RangeError(`unit ids ${part}: use 1–247, low to high`);
    for (let unit = from; unit <= to; unit++) units.add(unit);
  }
  return [...units];
}
