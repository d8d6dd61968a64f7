import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResolvedSite } from "../../engine/model.js";
import { aggregatePlan, aggregateSamples, Aggregator, ManualClock } from "../../engine/aggregate/index.js";
import { Store } from "../../engine/store/index.js";
import { createOutboxBuilder, serialFromStore } from "../../engine/upload/index.js";
import { syntheticSamples, testSite } from "../upload/fixtures.js";

const L = 60_000; // 1-minute intervals keep the loops short
const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ampx-agg-"));
  path = join(dir, "gw.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function gateway(site: ResolvedSite, clock: ManualClock): { store: Store; aggregator: Aggregator } {
  const store = Store.open(path);
  const aggregator = new Aggregator({
    site,
    store,
    clock,
    graceMs: 2000,
    tickMs: 1000,
    outbox: createOutboxBuilder(site, serialFromStore(site, store)),
  });
  aggregator.start();
  return { store, aggregator };
}

/** Feeds one poll of every quantity every `stepMs` from clock.now() until `until`. */
function feed(
  site: ResolvedSite,
  clock: ManualClock,
  aggregator: Aggregator,
  until: number,
  stepMs = 2000,
): void {
  while (clock.now() + stepMs <= until) {
    clock.advance(stepMs);
    aggregator.ingest(syntheticSamples(site, clock.now()));
  }
}

/** What a clean run produces: the pure rules over every stored sample of the interval. */
function expectedFromStore(site: ResolvedSite, store: Store, start: number) {
  const samples = store.samplesBetween(start, start + L);
  return aggregatePlan(site).map((p) =>
    aggregateSamples(
      { ...p, start, end: start + L },
      samples.filter((s) => s.meterId === p.meterId && s.quantity === p.quantity),
    ),
  );
}

describe("Aggregator", () => {
  it("closes an interval only after its end plus the grace period, with intervals and outbox in the store", () => {
    const site = testSite({ intervalMs: L, livePollMs: 2000, energyPollMs: 2000, meters: 2 });
    const clock = new ManualClock(T0);
    const { store, aggregator } = gateway(site, clock);
    feed(site, clock, aggregator, T0 + L + 1000);
    expect(store.intervals("m1", T0, T0 + L)).toEqual([]);
    clock.advanceTo(T0 + L + 2000);
    const stored = [...store.intervals("m1", T0, T0 + 1), ...store.intervals("m2", T0, T0 + 1)];
    expect(stored).toHaveLength(aggregatePlan(site).length);
    expect(stored.map((a) => a.quality)).toContain("good");
    const entries = store.outboxEntries();
    expect(entries.map((e) => e.key)).toEqual(["plant:site:2026-12-04T10:00:00Z"]);
    const payload = JSON.parse(entries[0]!.payload) as {
      meters: { id: string; instantaneous: Record<string, { avg: number; count: number }> }[];
    };
    const v1 = stored.find((a) => a.meterId === "m1" && a.quantity === "voltage_l1")!;
    expect(payload.meters[0]!.instantaneous.voltage_l1).toMatchObject({ avg: v1.avg, count: v1.count });
    // the first interval started at T0 exactly: 29 polls (T0+2s … T0+58s) → coverage 29 × 2 s / 60 s
    expect(v1.count).toBe(29);
    expect(store.getState("closed_until")).toBe(T0 + L);
    aggregator.stop();
    store.close();
  });

  it("after a restart mid-interval the open interval is rebuilt from stored samples: the result equals a clean run", () => {
    const site = testSite({ intervalMs: L, livePollMs: 2000, energyPollMs: 2000 });
    const clock = new ManualClock(T0 + 5000);
    let gw = gateway(site, clock);
    feed(site, clock, gw.aggregator, T0 + L + 30_000); // into the 2nd interval
    gw.aggregator.stop();
    gw.store.close(); // "crash": nothing of the open interval was kept in memory
    clock.advance(4000);
    gw = gateway(site, clock);
    feed(site, clock, gw.aggregator, T0 + 2 * L + 3000);
    const closed = gw.store
      .intervals("m1", T0 + L, T0 + L + 1)
      .concat(gw.store.intervals("m2", T0 + L, T0 + L + 1));
    const expected = expectedFromStore(site, gw.store, T0 + L);
    const byKey = (a: { meterId: string; quantity: string }) => `${a.meterId}/${a.quantity}`;
    expect(closed.sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
      expected.sort((a, b) => byKey(a).localeCompare(byKey(b))),
    );
    expect(closed.find((a) => a.quantity === "voltage_l1")!.count).toBe(30 - 2); // 2 polls missed while down
    expect(gw.store.outboxEntries().map((e) => e.key)).toEqual([
      "plant:site:2026-12-04T10:00:00Z",
      "plant:site:2026-12-04T10:01:00Z",
    ]);
    gw.aggregator.stop();
    gw.store.close();
  });

  it("a crash in the grace period closes the interval once after restart; downtime intervals are not invented", () => {
    const site = testSite({ intervalMs: L, mode: "meter", template: "ampx-portal-v2" });
    const clock = new ManualClock(T0);
    let gw = gateway(site, clock);
    feed(site, clock, gw.aggregator, T0 + L + 1000); // stopped 1 s after the end: within the grace period
    gw.aggregator.stop();
    gw.store.close();
    clock.advanceTo(T0 + 3 * L + 10_000); // down for two whole intervals
    gw = gateway(site, clock);
    feed(site, clock, gw.aggregator, T0 + 4 * L + 2000);
    const starts = [...new Set(gw.store.outboxEntries().map((e) => e.intervalStart))];
    // T0 (closed late, once), T0+L (the alive marker: the gateway was running at its start, 1 s of it),
    // T0+2L skipped (no samples, gateway down), T0+3L closed.
    expect(starts).toEqual([T0, T0 + L, T0 + 3 * L]);
    expect(gw.store.outboxEntries()).toHaveLength(3 * 2);
    const missing = gw.store.intervals("m1", T0 + L, T0 + L + 1);
    expect(missing.every((a) => a.quality === "missing" || a.count <= 1)).toBe(true);
    gw.aggregator.stop();
    gw.store.close();
  });

  it("a meter that never answers still gets its (missing) interval; samples for closed intervals are dropped", () => {
    const site = testSite({ intervalMs: L, meters: 2 });
    const clock = new ManualClock(T0);
    const { store, aggregator } = gateway(site, clock);
    while (clock.now() < T0 + L + 3000) {
      clock.advance(2000);
      aggregator.ingest(syntheticSamples(site, clock.now()).filter((s) => s.meterId === "m1"));
    }
    const m2 = store.intervals("m2", T0, T0 + 1);
    expect(m2.length).toBeGreaterThan(0);
    expect(m2.every((a) => a.quality === "missing" && a.count === 0)).toBe(true);
    const before = store.samplesBetween(0, Infinity).length;
    aggregator.ingest(syntheticSamples(site, T0 + 30_000));
    expect(aggregator.lateSamples).toBe(syntheticSamples(site, T0).length);
    expect(store.samplesBetween(0, Infinity)).toHaveLength(before);
    expect(aggregator.openIntervals().every((a) => a.start === T0 + L)).toBe(true);
    aggregator.stop();
    store.close();
  });
});
