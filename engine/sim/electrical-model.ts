// The physics of one simulated three-phase meter: a pure function of time (and the meter's seeded
// parameters) giving consistent phase voltages, currents, power factors, frequency and THD, from
// which every power quantity is derived (P = V·I·PF per phase, S = V·I, Q = √(S² − P²), totals = sums).
import { SeededRandom, hashString, smoothNoise, mix } from "./random.js";

export interface ElectricalModelOptions {
  /** Seed of the whole simulation. */
  seed: number;
  /** Key that makes this meter's parameters differ from its neighbours' (the meter id). */
  key: string;
  /** Phase-to-neutral nominal voltage. @default 230 */
  nominalVoltage?: number;
  /** Grid frequency. @default 50 */
  nominalFrequency?: number;
  /** Length of the load's daily cycle in ms; shorten it to watch the pattern in a demo. @default 86_400_000 */
  dayLengthMs?: number;
}

/** The measured state of the three phases at one instant. */
export interface PhaseState {
  voltage: [number, number, number];
  current: [number, number, number];
  powerFactor: [number, number, number];
  frequency: number;
  thdVoltage: [number, number, number];
  thdCurrent: [number, number, number];
}

/** The meter's fixed, seeded character: how loaded, how balanced, how inductive. */
export interface ModelParameters {
  nominalVoltage: number;
  /** Per-phase mean current at the daily average load, A. */
  baseCurrent: [number, number, number];
  basePowerFactor: [number, number, number];
  thdVoltage: number;
  thdCurrent: number;
  /** Phase offsets of the slow wander terms, radians. */
  phases: number[];
  /** Energy counters at simulation start, kWh / kvarh / kVAh. */
  initialImportKWh: [number, number, number];
  initialExportKWh: [number, number, number];
}

const TAU = 2 * Math.PI;
const MINUTE = 60_000;

export class ElectricalModel {
  readonly parameters: ModelParameters;
  private readonly noiseKey: number;
  private readonly nominalFrequency: number;
  private readonly dayLengthMs: number;

  constructor(options: ElectricalModelOptions) {
    const keyHash = hashString(options.key);
    const random = new SeededRandom(mix(options.seed, keyHash));
    this.noiseKey = mix(options.seed, keyHash, 0x5eed);
    this.nominalFrequency = options.nominalFrequency ?? 50;
    this.dayLengthMs = options.dayLengthMs ?? 86_400_000;
    const level = random.between(8, 60);
    const phase = (): number => level * random.between(0.85, 1.15);
    const pf = (): number => random.between(0.88, 0.96);
    const energy = random.between(2_000, 80_000);
    this.parameters = {
      nominalVoltage: (options.nominalVoltage ?? 230) * random.between(0.994, 1.006),
      baseCurrent: [phase(), phase(), phase()],
      basePowerFactor: [pf(), pf(), pf()],
      thdVoltage: random.between(1.2, 2.5),
      thdCurrent: random.between(4, 12),
      phases: Array.from({ length: 8 }, () => random.between(0, TAU)),
      initialImportKWh: [energy * 0.34, energy * 0.33, energy * 0.33],
      initialExportKWh: [0, 1, 2].map(() => random.between(0, 50)) as [number, number, number],
    };
  }

  /** Load relative to the daily mean: low at night, high in the afternoon (0.45 … 1.35). */
  dailyLoad(timeMs: number): number {
    const dayFraction = (timeMs % this.dayLengthMs) / this.dayLengthMs;
    return 0.9 + 0.4 * Math.sin(TAU * (dayFraction - 0.33)) + 0.05 * Math.sin(TAU * 3 * dayFraction);
  }

  /** The state of the three phases at `timeMs` (epoch ms). */
  at(timeMs: number): PhaseState {
    const p = this.parameters;
    const wander = (periodMs: number, index: number): number =>
      Math.sin((TAU * timeMs) / periodMs + (p.phases[index] ?? 0));
    const noise = (channel: number, stepMs = 1000): number =>
      smoothNoise(mix(this.noiseKey, channel), timeMs, stepMs);
    const load = this.dailyLoad(timeMs) * (1 + 0.08 * wander(7 * MINUTE, 0));
    const phaseIndex = [0, 1, 2] as const;
    const voltage = phaseIndex.map(
      (i) => p.nominalVoltage * (1 + 0.008 * wander(11 * MINUTE, 1) + 0.004 * noise(10 + i)),
    ) as PhaseState["voltage"];
    const current = phaseIndex.map(
      (i) => p.baseCurrent[i] * load * (1 + 0.03 * wander(3 * MINUTE, 2 + i) + 0.02 * noise(20 + i)),
    ) as PhaseState["current"];
    const powerFactor = phaseIndex.map((i) =>
      clamp(p.basePowerFactor[i] + 0.02 * wander(13 * MINUTE, 5) + 0.005 * noise(30 + i), 0.85, 0.99),
    ) as PhaseState["powerFactor"];
    const thdVoltage = phaseIndex.map(
      (i) => p.thdVoltage * (1 + 0.1 * noise(40 + i, 5000)),
    ) as PhaseState["thdVoltage"];
    const thdCurrent = phaseIndex.map(
      (i) => p.thdCurrent * (1 + 0.15 * noise(50 + i, 5000)),
    ) as PhaseState["thdCurrent"];
    const frequency = this.nominalFrequency + 0.03 * wander(5 * MINUTE, 6) + 0.01 * noise(60);
    return { voltage, current, powerFactor, frequency, thdVoltage, thdCurrent };
  }
}

export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}
