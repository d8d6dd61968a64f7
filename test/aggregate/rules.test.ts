import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { IntervalAggregate } from "../../engine/model.js";
import {
  accumulate,
  aggregateSamples,
  createAccumulator,
  finishAggregate,
  intervalStartOf,
} from "../../engine/aggregate/index.js";
import type { AggregateInput, AggregateSpec } from "../../engine/aggregate/index.js";

const L = 900_000;
const spec = (kind: AggregateSpec["kind"], pollIntervalMs = 2000): AggregateSpec => ({
  meterId: "m1",
  quantity: kind === "counter" ? "active_energy_import" : "voltage_l1",
  kind,
  unit: kind === "counter" ? "kWh" : "V",
  start: L,
  end: 2 * L,
  pollIntervalMs,
});
const at = (i: number, value: AggregateInput["value"], quality: AggregateInput["quality"] = "good") => ({
  timestamp: L + i * 2000,
  value,
  quality,
});

describe("aggregation rules (engine/model.ts IntervalAggregate)", () => {
  it("aligns intervals to the UTC wall clock", () => {
    expect(intervalStartOf(Date.UTC(2026, 11, 4, 10, 29, 59, 999), L)).toBe(Date.UTC(2026, 11, 4, 10, 15));
    expect(intervalStartOf(Date.UTC(2026, 11, 4, 10, 30), L)).toBe(Date.UTC(2026, 11, 4, 10, 30));
  });

  it("instantaneous: avg/min/max of good samples only; out-of-range, invalid, stale and NaN are counted as bad", () => {
    const a = aggregateSamples(spec("instantaneous"), [
      at(0, 230),
      at(1, 232),
      at(2, 9999, "out_of_range"),
      at(3, null, "invalid"),
      at(4, 228, "stale"),
      at(5, Number.NaN),
      at(6, 234),
    ]);
    expect(a).toMatchObject({ count: 3, badCount: 4, avg: 232, min: 230, max: 234 });
    expect(a.first).toBeUndefined();
  });

  it("coverage = count × poll interval / interval length, capped at 1, and quality from it", () => {
    const many = Array.from({ length: 450 }, (_, i) => at(i, 230));
    expect(aggregateSamples(spec("instantaneous"), many)).toMatchObject({
      count: 450,
      coverage: 1,
      quality: "good",
    });
    expect(aggregateSamples(spec("instantaneous"), many.slice(0, 405))).toMatchObject({
      coverage: 0.9,
      quality: "good",
    });
    expect(aggregateSamples(spec("instantaneous"), many.slice(0, 404)).quality).toBe("partial");
    expect(aggregateSamples(spec("instantaneous", 1000), [...many, ...many]).coverage).toBe(1);
  });

  it("a gap (a meter offline for part of the interval) lowers coverage but keeps the values", () => {
    const samples = [
      ...Array.from({ length: 100 }, (_, i) => at(i, 230)),
      ...Array.from({ length: 100 }, (_, i) => at(350 + i, 240)),
    ];
    expect(aggregateSamples(spec("instantaneous"), samples)).toMatchObject({
      count: 200,
      avg: 235,
      coverage: (200 * 2000) / L,
      quality: "partial",
    });
  });

  it("an interval with no samples (or no good ones) is missing, without values", () => {
    const empty = aggregateSamples(spec("counter"), []);
    expect(empty).toEqual({
      meterId: "m1",
      quantity: "active_energy_import",
      kind: "counter",
      unit: "kWh",
      start: L,
      end: 2 * L,
      count: 0,
      badCount: 0,
      coverage: 0,
      quality: "missing",
    });
    const bad = aggregateSamples(spec("instantaneous"), [at(0, null, "invalid")]);
    expect(bad).toMatchObject({ count: 0, badCount: 1, quality: "missing" });
    expect("avg" in bad).toBe(false);
  });

  it("counter: first, last and delta as the sum of increases, in time order whatever the input order", () => {
    const a = aggregateSamples(spec("counter", 60_000), [
      at(2, 100.5),
      at(0, 100),
      at(1, 100.25),
      at(3, 101),
    ]);
    expect(a).toMatchObject({ first: 100, last: 101, delta: 1, reset: false, count: 4 });
  });

  it("counter reset or wrap: the new value counts as the increase since the reset, never a negative delta", () => {
    const a = aggregateSamples(spec("counter", 60_000), [at(0, 5000), at(1, 5002), at(2, 0.5), at(3, 1.5)]);
    expect(a).toMatchObject({ first: 5000, last: 1.5, delta: 2 + 0.5 + 1, reset: true });
    const wrap = aggregateSamples(spec("counter", 60_000), [at(0, 4294967.29), at(1, 0.01)]);
    expect(wrap.delta).toBeCloseTo(0.01, 12);
    expect(wrap.delta).toBeGreaterThanOrEqual(0);
  });

  it("bad samples between counter readings do not break the delta", () => {
    const a = aggregateSamples(spec("counter", 60_000), [
      at(0, 10),
      at(1, 0, "invalid"),
      at(2, 1e9, "out_of_range"),
      at(3, 12),
    ]);
    expect(a).toMatchObject({ first: 10, last: 12, delta: 2, reset: false, badCount: 2 });
  });

  it("ignores samples outside the interval; the incremental fold equals the batch function", () => {
    const samples = [at(-1, 1), at(0, 230), at(1, 231), at(450, 5)];
    const acc = createAccumulator(spec("instantaneous"));
    for (const s of samples.slice(1, 3)) accumulate(acc, s);
    expect(finishAggregate(acc)).toEqual(aggregateSamples(spec("instantaneous"), samples));
  });
});

// Shared with the C++ firmware core (written by the firmware helper): samples in arrival order; expected has
// one aggregate per interval from the first sample's to the last sample's, empty ones included.
const vectorsFile = new URL("../vectors/aggregate.json", import.meta.url);
interface AggregateVector {
  name: string;
  kind: AggregateSpec["kind"];
  intervalMs: number;
  pollIntervalMs: number;
  samples: (AggregateInput & { t: number })[];
  expected: Partial<IntervalAggregate>[];
}
const vectors = existsSync(vectorsFile)
  ? (JSON.parse(readFileSync(vectorsFile, "utf8")) as { cases: AggregateVector[] }).cases
  : [];

describe.skipIf(vectors.length === 0)(
  "aggregation vectors shared with the firmware (test/vectors/aggregate.json)",
  () => {
    it.each(vectors.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const first = intervalStartOf(c.samples[0]!.t, c.intervalMs);
      const last = intervalStartOf(c.samples.at(-1)!.t, c.intervalMs);
      const actual: IntervalAggregate[] = [];
      for (let start = first; start <= last; start += c.intervalMs) {
        const acc = createAccumulator({
          meterId: "m1",
          quantity: "voltage_l1",
          kind: c.kind,
          unit: "",
          start,
          end: start + c.intervalMs,
          pollIntervalMs: c.pollIntervalMs,
        });
        for (const sample of c.samples)
          if (sample.t >= start && sample.t < start + c.intervalMs) accumulate(acc, sample);
        actual.push(finishAggregate(acc));
      }
      expect(actual).toHaveLength(c.expected.length);
      c.expected.forEach((expected, i) => {
        const got = actual[i] as unknown as Record<string, unknown>;
        for (const [field, want] of Object.entries(expected)) {
          if (typeof want === "number" && typeof got[field] === "number") {
            const tolerance = Math.max(1e-12, Math.abs(want) * 1e-9);
            expect(Math.abs((got[field] as number) - want), `${field} of interval ${i}`).toBeLessThanOrEqual(
              tolerance,
            );
          } else {
            expect(got[field], `${field} of interval ${i}`).toEqual(want);
          }
        }
        for (const field of ["avg", "min", "max", "first", "last", "delta", "reset"]) {
          if (!(field in expected))
            expect(got[field], `${field} of interval ${i} must be absent`).toBeUndefined();
        }
      });
    });
  },
);
