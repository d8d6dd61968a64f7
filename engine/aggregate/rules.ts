// The interval aggregation rules of engine/model.ts IntervalAggregate, as a fold (create → accumulate →
// finish) so the live aggregator and a from-scratch recomputation run exactly the same arithmetic.
// The C++ firmware implements the same steps; test/vectors/aggregate.json holds the shared cases.
import type { CanonicalUnit, IntervalAggregate, Quality, QuantityName } from "../model.js";

/** Which aggregate to build: one quantity of one meter over [start, end). */
export interface AggregateSpec {
  meterId: string;
  quantity: QuantityName;
  kind: "instantaneous" | "counter";
  unit: CanonicalUnit;
  start: number;
  end: number;
  /** The quantity's poll-class interval; count × this / (end − start) is the coverage. */
  pollIntervalMs: number;
}

export interface AggregateInput {
  value: number | string | null;
  quality: Quality;
}

/** Running state of one aggregate. Mutated by accumulate(); turned into an IntervalAggregate by finishAggregate(). */
export interface Accumulator {
  spec: AggregateSpec;
  count: number;
  badCount: number;
  sum: number;
  min: number;
  max: number;
  first: number;
  last: number;
  delta: number;
  reset: boolean;
}

/** Coverage at or above this is quality "good". */
export const GOOD_COVERAGE = 0.9;

/** Start (epoch ms, UTC-aligned) of the interval of length `lengthMs` that contains `timestamp`. */
export function intervalStartOf(timestamp: number, lengthMs: number): number {
  return Math.floor(timestamp / lengthMs) * lengthMs;
}

export function createAccumulator(spec: AggregateSpec): Accumulator {
  return {
    spec,
    count: 0,
    badCount: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    first: 0,
    last: 0,
    delta: 0,
    reset: false,
  };
}

/** Adds one sample (in time order). Only good, finite numbers count; everything else is badCount. */
export function accumulate(acc: Accumulator, input: AggregateInput): void {
  const value = input.value;
  if (input.quality !== "good" || typeof value !== "number" || !Number.isFinite(value)) {
    acc.badCount++;
    return;
  }
  if (acc.spec.kind === "instantaneous") {
    acc.sum += value;
    if (value < acc.min) acc.min = value;
    if (value > acc.max) acc.max = value;
  } else if (acc.count === 0) {
    acc.first = value;
  } else if (value >= acc.last) {
    acc.delta += value - acc.last;
  } else {
    // A decrease is a reset (or wrap): the counter restarted from zero, so its new value is what was added since.
    acc.delta += value;
    acc.reset = true;
  }
  acc.last = value;
  acc.count++;
}

export function finishAggregate(acc: Accumulator): IntervalAggregate {
  const { spec } = acc;
  const coverage = Math.min(1, (acc.count * spec.pollIntervalMs) / (spec.end - spec.start));
  const aggregate: IntervalAggregate = {
    meterId: spec.meterId,
    quantity: spec.quantity,
    kind: spec.kind,
    unit: spec.unit,
    start: spec.start,
    end: spec.end,
    count: acc.count,
    badCount: acc.badCount,
    coverage,
    quality: acc.count === 0 ? "missing" : coverage >= GOOD_COVERAGE ? "good" : "partial",
  };
  if (acc.count > 0) {
    if (spec.kind === "instantaneous") {
      aggregate.avg = acc.sum / acc.count;
      aggregate.min = acc.min;
      aggregate.max = acc.max;
    } else {
      aggregate.first = acc.first;
      aggregate.last = acc.last;
      aggregate.delta = acc.delta;
      aggregate.reset = acc.reset;
    }
  }
  return aggregate;
}

/** The aggregate of samples (any order; sorted by timestamp, stable) — the reference the live path must match. */
export function aggregateSamples(
  spec: AggregateSpec,
  samples: readonly (AggregateInput & { timestamp: number })[],
): IntervalAggregate {
  const acc = createAccumulator(spec);
  const inside = samples.filter((s) => s.timestamp >= spec.start && s.timestamp < spec.end);
  for (const sample of inside.sort((a, b) => a.timestamp - b.timestamp)) accumulate(acc, sample);
  return finishAggregate(acc);
}
