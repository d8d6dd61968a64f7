// test/vectors/aggregate.json: sample series in, interval aggregates out, for the rules of
// IntervalAggregate in engine/model.ts. The scenarios below are the shared description; the expected
// aggregates are computed here, independently of both the firmware (firmware/test/test_aggregate.cpp)
// and the engine's aggregator, which are both checked against this file.
import type { IntervalAggregate, Quality } from "../../../engine/model.js";
import { seededRandom } from "./random.js";

export interface AggregateVectorSample {
  /** Epoch ms (UTC). Samples are in arrival order. */
  t: number;
  value: number | null;
  quality: Quality;
}

/** An interval aggregate as the vector file states it: the model's fields without the series identity. */
export type ExpectedAggregate = Omit<IntervalAggregate, "meterId" | "quantity" | "kind" | "unit">;

export interface AggregateCase {
  name: string;
  kind: "instantaneous" | "counter";
  intervalMs: number;
  pollIntervalMs: number;
  samples: AggregateVectorSample[];
  /** One entry per interval from the first sample's interval to the last sample's, empty ones included. */
  expected: ExpectedAggregate[];
}

export interface AggregateVectors {
  description: string;
  cases: AggregateCase[];
}

interface Scenario {
  name: string;
  kind: "instantaneous" | "counter";
  intervalMs: number;
  pollIntervalMs: number;
  samples: AggregateVectorSample[];
}

const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
const MIN = 60_000;
const QUARTER = 15 * MIN;

function round(x: number, decimals: number): number {
  return Math.round(x * 10 ** decimals) / 10 ** decimals;
}

function good(t: number, value: number): AggregateVectorSample {
  return { t, value, quality: "good" };
}

/** The reference: one interval's aggregate of the samples inside it, in arrival order. */
function aggregateOne(scenario: Scenario, start: number): ExpectedAggregate {
  const end = start + scenario.intervalMs;
  const inside = scenario.samples.filter((s) => s.t >= start && s.t < end);
  const goodValues = inside
    .filter((s) => s.quality === "good" && typeof s.value === "number" && Number.isFinite(s.value))
    .map((s) => s.value as number);
  const count = goodValues.length;
  const coverage = Math.min(1, (count * scenario.pollIntervalMs) / scenario.intervalMs);
  const result: ExpectedAggregate = {
    start,
    end,
    count,
    badCount: inside.length - count,
    coverage,
    quality: count === 0 ? "missing" : coverage >= 0.9 ? "good" : "partial",
  };
  if (count === 0) return result;
  if (scenario.kind === "instantaneous") {
    let sum = 0;
    for (const v of goodValues) sum += v;
    result.avg = sum / count;
    result.min = Math.min(...goodValues);
    result.max = Math.max(...goodValues);
  } else {
    let delta = 0;
    let reset = false;
    for (let i = 1; i < goodValues.length; i++) {
      const previous = goodValues[i - 1] as number;
      const current = goodValues[i] as number;
      if (current >= previous) delta += current - previous;
      else {
        delta += current;
        reset = true;
      }
    }
    result.first = goodValues[0];
    result.last = goodValues[count - 1];
    result.delta = delta;
    result.reset = reset;
  }
  return result;
}

function expectedFor(scenario: Scenario): ExpectedAggregate[] {
  const times = scenario.samples.map((s) => s.t);
  const first = Math.floor(Math.min(...times) / scenario.intervalMs) * scenario.intervalMs;
  const last = Math.floor(Math.max(...times) / scenario.intervalMs) * scenario.intervalMs;
  const out: ExpectedAggregate[] = [];
  for (let start = first; start <= last; start += scenario.intervalMs) out.push(aggregateOne(scenario, start));
  return out;
}

function scenarios(): Scenario[] {
  const random = seededRandom(4_12_2026);
  const noise = (center: number, spread: number, decimals: number) =>
    round(center + (random() * 2 - 1) * spread, decimals);
  const list: Scenario[] = [];

  list.push({
    name: "instantaneous, one full interval (450 polls of 2 s)",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 2000,
    samples: Array.from({ length: 450 }, (_, i) => good(T0 + i * 2000, noise(230, 3, 2))),
  });

  list.push({
    name: "instantaneous, invalid and out_of_range samples, partial coverage",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 2000,
    samples: Array.from({ length: 300 }, (_, i): AggregateVectorSample => {
      const t = T0 + 5 * MIN + i * 2000;
      if (i % 10 === 3) return { t, value: null, quality: "invalid" };
      if (i % 10 === 7) return { t, value: 9999.5, quality: "out_of_range" };
      return good(t, noise(50, 0.2, 3));
    }),
  });

  const edge: AggregateVectorSample[] = [];
  for (let i = 0; i < 54; i++) edge.push(good(T0 + i * 1000, noise(10, 1, 1)));
  for (let i = 0; i < 53; i++) edge.push(good(T0 + MIN + i * 1000, noise(10, 1, 1)));
  list.push({
    name: "coverage exactly 0.9 is good, one sample less is partial (1-minute intervals)",
    kind: "instantaneous",
    intervalMs: MIN,
    pollIntervalMs: 1000,
    samples: edge,
  });

  list.push({
    name: "more samples than polls: coverage capped at 1",
    kind: "instantaneous",
    intervalMs: MIN,
    pollIntervalMs: 1000,
    samples: Array.from({ length: 80 }, (_, i) => good(T0 + i * 750, noise(0, 5, 2))),
  });

  list.push({
    name: "negative and positive power, a sample exactly on the boundary opens the next interval",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 60_000,
    samples: [
      ...Array.from({ length: 15 }, (_, i) => good(T0 + i * MIN, noise(0, 4000, 1))),
      good(T0 + QUARTER, -1234.5),
      good(T0 + QUARTER + 1, 17),
    ],
  });

  list.push({
    name: "only bad samples: missing, with badCount",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 2000,
    samples: Array.from({ length: 20 }, (_, i): AggregateVectorSample => ({
      t: T0 + i * 2000,
      value: i % 2 === 0 ? null : 1e9,
      quality: i % 2 === 0 ? "invalid" : "out_of_range",
    })),
  });

  list.push({
    name: "three intervals, the middle one without samples",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 30_000,
    samples: [
      ...Array.from({ length: 30 }, (_, i) => good(T0 + i * 30_000, noise(400, 50, 0))),
      ...Array.from({ length: 10 }, (_, i) => good(T0 + 2 * QUARTER + i * 30_000, noise(400, 50, 0))),
    ],
  });

  list.push({
    name: "instantaneous, 900 random readings with three decimals (sum order matters)",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 1000,
    samples: Array.from({ length: 900 }, (_, i) => good(T0 + i * 1000, noise(1000, 999, 3))),
  });

  list.push({
    name: "instantaneous, float32 readings widened to double",
    kind: "instantaneous",
    intervalMs: QUARTER,
    pollIntervalMs: 5000,
    samples: Array.from({ length: 180 }, (_, i) => good(T0 + i * 5000, Math.fround(noise(49.98, 0.05, 4)))),
  });

  let energy = 123456.78;
  list.push({
    name: "counter, steady increase over three intervals",
    kind: "counter",
    intervalMs: QUARTER,
    pollIntervalMs: 15_000,
    samples: Array.from({ length: 180 }, (_, i) => {
      energy = round(energy + random() * 0.05, 3);
      return good(T0 + i * 15_000, energy);
    }),
  });

  list.push({
    name: "counter reset: a decrease counts the new value as the increase",
    kind: "counter",
    intervalMs: QUARTER,
    pollIntervalMs: 60_000,
    samples: [
      good(T0, 1000.5),
      good(T0 + MIN, 1001.25),
      good(T0 + 2 * MIN, 1002),
      good(T0 + 3 * MIN, 0.5),
      good(T0 + 4 * MIN, 0.75),
      good(T0 + 5 * MIN, 2.25),
      good(T0 + QUARTER + MIN, 3),
      good(T0 + QUARTER + 2 * MIN, 3.5),
    ],
  });

  list.push({
    name: "counter constant: delta 0",
    kind: "counter",
    intervalMs: QUARTER,
    pollIntervalMs: 60_000,
    samples: Array.from({ length: 15 }, (_, i) => good(T0 + i * MIN, 42.42)),
  });

  list.push({
    name: "counter with bad samples between good ones",
    kind: "counter",
    intervalMs: QUARTER,
    pollIntervalMs: 60_000,
    samples: Array.from({ length: 15 }, (_, i): AggregateVectorSample => {
      const t = T0 + i * MIN;
      if (i % 4 === 1) return { t, value: null, quality: "invalid" };
      if (i % 4 === 2) return { t, value: 1e12, quality: "out_of_range" };
      return good(t, round(5000 + i * 0.37, 2));
    }),
  });

  let wh = 4_000_000;
  list.push({
    name: "counter in float32 steps (Wh register scaled to kWh)",
    kind: "counter",
    intervalMs: 5 * MIN,
    pollIntervalMs: 10_000,
    samples: Array.from({ length: 60 }, (_, i) => {
      wh += Math.floor(random() * 40);
      return good(T0 + i * 10_000, Math.fround(wh) * 0.001);
    }),
  });

  return list;
}

export function buildAggregateVectors(): AggregateVectors {
  return {
    description:
      "Samples in arrival order → interval aggregates (engine/model.ts IntervalAggregate rules). Written by " +
      "test/firmware/vectors/aggregate.ts; regenerate with: npx tsx test/firmware/vectors/write.ts. " +
      "expected has one entry per interval from the first sample's to the last sample's, empty ones included.",
    cases: scenarios().map((s) => ({ ...s, expected: expectedFor(s) })),
  };
}
