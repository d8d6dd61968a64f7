// Collects what a poller emits, for assertions.
import type { Poller, ReadFailure, StateChange } from "../../engine/poller/index.js";
import type { Sample } from "../../engine/model.js";

export class Recorder {
  readonly samples: Sample[] = [];
  readonly failures: ReadFailure[] = [];
  readonly states: StateChange[] = [];

  constructor(poller: Poller) {
    poller.on("samples", (batch) => this.samples.push(...batch));
    poller.on("failure", (failure) => this.failures.push(failure));
    poller.on("state", (change) => this.states.push(change));
  }

  /** Samples of one meter and quantity, oldest first. */
  of(meterId: string, quantity: string, since = 0): Sample[] {
    return this.samples.filter(
      (s) => s.meterId === meterId && s.quantity === quantity && s.timestamp >= since,
    );
  }

  meterSamples(meterId: string, since = 0): Sample[] {
    return this.samples.filter((s) => s.meterId === meterId && s.timestamp >= since);
  }
}

/**
 * How late each read was against the schedule's grid: every `intervalMs` from `startedAt` (when the
 * poller started and every class fell due), in ms. Reads skipped by a busy bus fall on a later point.
 */
export function lateness(stamps: number[], intervalMs: number, startedAt: number): number[] {
  return stamps.map((t) => (t - startedAt) % intervalMs);
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}
