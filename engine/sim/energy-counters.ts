// Energy counters of one simulated meter: they integrate the model's power over real elapsed time
// (trapezoids of at most one second), so they grow with the load and never run backwards unless
// reset() is called (the counter-reset fault) or a test moves one with set().
import type { ElectricalModel, PhaseState } from "./electrical-model.js";

/** Per-phase counters, kWh / kvarh / kVAh. Totals are their sums. */
export interface CounterValues {
  activeImport: [number, number, number];
  activeExport: [number, number, number];
  reactiveImport: [number, number, number];
  reactiveExport: [number, number, number];
  apparent: [number, number, number];
}

/** W·ms → kWh. */
const KWH_PER_WMS = 1 / 3_600_000_000;
const MAX_STEP_MS = 1000;
const MAX_STEPS = 2000;

export interface PhasePowers {
  active: [number, number, number];
  reactive: [number, number, number];
  apparent: [number, number, number];
}

/** P = V·I·PF, S = V·I, Q = √(S² − P²) (inductive, so positive) for each phase. */
export function phasePowers(state: PhaseState): PhasePowers {
  const apparent = state.voltage.map((v, i) => v * (state.current[i] ?? 0)) as PhasePowers["apparent"];
  const active = apparent.map((s, i) => s * (state.powerFactor[i] ?? 1)) as PhasePowers["active"];
  const reactive = apparent.map((s, i) =>
    Math.sqrt(Math.max(0, s * s - (active[i] ?? 0) ** 2)),
  ) as PhasePowers["reactive"];
  return { active, reactive, apparent };
}

export class EnergyCounters {
  private values: CounterValues;
  private lastMs: number;
  private lastPowers: PhasePowers;

  constructor(
    private readonly model: ElectricalModel,
    startMs: number,
  ) {
    const p = model.parameters;
    const reactiveShare = (i: number): number => {
      const pf = p.basePowerFactor[i] ?? 0.9;
      return Math.sqrt(1 - pf * pf) / pf;
    };
    this.values = {
      activeImport: [...p.initialImportKWh],
      activeExport: [...p.initialExportKWh],
      reactiveImport: p.initialImportKWh.map(
        (e, i) => e * reactiveShare(i),
      ) as CounterValues["reactiveImport"],
      reactiveExport: [0, 0, 0],
      apparent: p.initialImportKWh.map(
        (e, i) => e / (p.basePowerFactor[i] ?? 1),
      ) as CounterValues["apparent"],
    };
    this.lastMs = startMs;
    this.lastPowers = phasePowers(model.at(startMs));
  }

  /** Integrates power from the last call up to `nowMs`; a clock that went back is ignored. */
  advance(nowMs: number): CounterValues {
    if (nowMs > this.lastMs) {
      const span = nowMs - this.lastMs;
      const steps = Math.min(MAX_STEPS, Math.ceil(span / MAX_STEP_MS));
      for (let k = 1; k <= steps; k++) {
        const t = this.lastMs + (span * k) / steps;
        const powers = phasePowers(this.model.at(t));
        const dt = span / steps;
        for (let i = 0; i < 3; i++) {
          const trapezoid = (a: number[], b: number[]): number =>
            Math.max(0, (((a[i] ?? 0) + (b[i] ?? 0)) / 2) * dt * KWH_PER_WMS);
          this.values.activeImport[i]! += trapezoid(this.lastPowers.active, powers.active);
          this.values.reactiveImport[i]! += trapezoid(this.lastPowers.reactive, powers.reactive);
          this.values.apparent[i]! += trapezoid(this.lastPowers.apparent, powers.apparent);
        }
        this.lastPowers = powers;
      }
      this.lastMs = nowMs;
    }
    return this.snapshot();
  }

  snapshot(): CounterValues {
    return {
      activeImport: [...this.values.activeImport],
      activeExport: [...this.values.activeExport],
      reactiveImport: [...this.values.reactiveImport],
      reactiveExport: [...this.values.reactiveExport],
      apparent: [...this.values.apparent],
    };
  }

  /** Every counter back to zero: what a meter does after a reset from its front panel. */
  reset(): void {
    for (const counter of Object.values(this.values) as number[][]) counter.fill(0);
  }

  /** Moves one counter (a phase's, or the total spread over the phases in proportion) to `value`. */
  setCounter(name: keyof CounterValues, phase: 0 | 1 | 2 | "total", value: number): void {
    const counter = this.values[name];
    if (phase !== "total") {
      counter[phase] = value;
      return;
    }
    const sum = counter[0] + counter[1] + counter[2];
    for (let i = 0; i < 3; i++) counter[i] = sum > 0 ? ((counter[i] ?? 0) * value) / sum : value / 3;
  }
}
