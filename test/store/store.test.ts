import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IntervalAggregate, Sample } from "../../engine/model.js";
import { migrate, migrations, runRetention, Store, StoreError } from "../../engine/store/index.js";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ampx-store-"));
  store = Store.open(join(dir, "sub", "gw.db"));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sample = (
  meterId: string,
  quantity: Sample["quantity"],
  value: Sample["value"],
  timestamp: number,
  quality: Sample["quality"] = "good",
): Sample => ({
  meterId,
  quantity,
  value,
  unit: "V",
  quality,
  timestamp,
});

function aggregate(
  meterId: string,
  start: number,
  quantity: IntervalAggregate["quantity"] = "voltage_l1",
): IntervalAggregate {
  return {
    meterId,
    quantity,
    kind: "instantaneous",
    unit: "V",
    start,
    end: start + 900_000,
    count: 3,
    badCount: 1,
    coverage: 0.5,
    quality: "partial",
    avg: 230.5,
    min: 229,
    max: 232,
  };
}

describe("Store: file and migrations", () => {
  it("creates the file in WAL mode, at the latest schema version, and reopens without migrating again", () => {
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
    const latest = Math.max(...migrations.map((m) => m.version));
    expect(store.schemaVersion()).toBe(latest);
    store.insertSamples([sample("m1", "voltage_l1", 230, 1000)]);
    const path = store.path;
    store.close();
    store = Store.open(path);
    expect(store.schemaVersion()).toBe(latest);
    expect(store.db.prepare("SELECT count(*) AS n FROM migrations").get()).toEqual({ n: migrations.length });
    expect(store.recentSamples("m1", "voltage_l1", 0)).toEqual([
      { timestamp: 1000, value: 230, quality: "good" },
    ]);
  });

  it("applies a later migration once and refuses a file newer than the code", () => {
    const db = new BetterSqlite3(join(dir, "m.db"));
    const extra = [
      ...migrations,
      {
        version: 99,
        description: "test column",
        up: (d: typeof db) => d.exec("ALTER TABLE outbox ADD COLUMN note TEXT"),
      },
    ];
    expect(migrate(db, extra)).toBe(99);
    expect(migrate(db, extra)).toBe(99);
    expect(() => migrate(db, migrations)).toThrow(StoreError);
    db.close();
  });
});

describe("Store: samples", () => {
  it("packs a batch per meter and timestamp and answers chart queries per quantity, in time order", () => {
    store.insertSamples([
      sample("m1", "voltage_l1", 230.1, 2000),
      sample("m1", "voltage_l2", 231.2, 2000),
      sample("m2", "voltage_l1", 229.9, 2000),
    ]);
    store.insertSamples([
      sample("m1", "voltage_l1", null, 1000, "invalid"),
      sample("m1", "voltage_l2", 240, 1000, "out_of_range"),
    ]);
    store.insertSamples([sample("m1", "voltage_l1", 232.5, 3000)]); // a different series (one quantity)
    expect(store.recentSamples("m1", "voltage_l1", 0)).toEqual([
      { timestamp: 1000, value: null, quality: "invalid" },
      { timestamp: 2000, value: 230.1, quality: "good" },
      { timestamp: 3000, value: 232.5, quality: "good" },
    ]);
    expect(store.recentSamples("m1", "voltage_l1", 1500, 3000).map((p) => p.timestamp)).toEqual([2000]);
    expect(store.recentSamples("m1", "voltage_l2", 0).map((p) => [p.value, p.quality])).toEqual([
      [240, "out_of_range"],
      [231.2, "good"],
    ]);
    const all = store.samplesBetween(0, 10_000);
    expect(all.map((s) => s.timestamp)).toEqual([1000, 1000, 2000, 2000, 2000, 3000]);
  });

  it("keeps identity quantities (serial number) as the latest value, not as samples", () => {
    store.insertSamples([
      sample("m1", "serial_number", 12345678, 1000),
      sample("m1", "voltage_l1", 230, 1000),
    ]);
    store.insertSamples([sample("m1", "serial_number", "SN-2", 2000)]);
    expect(store.identity("m1", "serial_number")).toEqual({
      value: "SN-2",
      quality: "good",
      timestamp: 2000,
    });
    expect(store.samplesBetween(0, 10_000).map((s) => s.quantity)).toEqual(["voltage_l1"]);
  });

  it("retention deletes old samples, intervals and sent outbox entries in batches and keeps pending ones", async () => {
    const batch: Sample[] = [];
    for (let t = 0; t < 5000; t++) batch.push(sample("m1", "voltage_l1", t, t * 1000));
    store.insertSamples(batch);
    store.closeInterval(
      {
        start: 0,
        end: 900_000,
        aggregates: [aggregate("m1", 0)],
        outbox: [
          { key: "a", meterId: null, intervalStart: 0, payload: "{}" },
          { key: "b", meterId: null, intervalStart: 0, payload: "{}" },
        ],
      },
      0,
    );
    store.closeInterval(
      { start: 4_500_000, end: 5_400_000, aggregates: [aggregate("m1", 4_500_000)], outbox: [] },
      0,
    );
    store.markSent(1, 201, "", 100);
    const result = await runRetention(store, {
      sampleRetentionMs: 1_000_000,
      intervalRetentionMs: 1_000_000,
      batchSize: 300,
      now: () => 5_000_000,
    });
    expect(result.samples).toBe(4000);
    expect(result.batches).toBeGreaterThan(4000 / 300);
    expect(store.samplesBetween(0, Infinity)[0]?.timestamp).toBe(4_000_000);
    expect(store.intervals("m1", 0, Infinity).map((i) => i.start)).toEqual([4_500_000]);
    expect(store.outboxEntries().map((e) => e.key)).toEqual(["b"]);
  });
});

describe("Store: intervals and outbox", () => {
  it("closeInterval writes aggregates, outbox entries and closed_until together, idempotently", () => {
    const close = {
      start: 0,
      end: 900_000,
      aggregates: [aggregate("m1", 0), aggregate("m2", 0)],
      outbox: [{ key: "plant:site:t0", meterId: null, intervalStart: 0, payload: '{"a":1}' }],
    };
    expect(store.closeInterval(close, 5)).toBe(1);
    expect(store.closeInterval(close, 6)).toBe(0);
    expect(store.getState("closed_until")).toBe(900_000);
    expect(store.outboxEntries()).toHaveLength(1);
    expect(store.intervals("m1", 0, 1)).toEqual([aggregate("m1", 0)]);
    expect(store.db.pragma("synchronous", { simple: true })).toBe(1);
  });

  it("returns intervals by meter and range, and each meter's latest interval", () => {
    for (const start of [0, 900_000, 1_800_000])
      store.closeInterval({
        start,
        end: start + 900_000,
        aggregates: [aggregate("m1", start), aggregate("m1", start, "voltage_l2")],
        outbox: [],
      });
    store.closeInterval({ start: 0, end: 900_000, aggregates: [aggregate("m2", 0)], outbox: [] });
    expect(store.intervals("m1", 900_000, 1_800_001, "voltage_l2").map((i) => i.start)).toEqual([
      900_000, 1_800_000,
    ]);
    expect(store.intervals("m1", 0, Infinity)).toHaveLength(6);
    const latest = store.latestIntervals();
    expect(latest.filter((a) => a.meterId === "m1").map((a) => [a.start, a.quantity])).toEqual([
      [1_800_000, "voltage_l1"],
      [1_800_000, "voltage_l2"],
    ]);
    expect(latest.filter((a) => a.meterId === "m2").map((a) => a.start)).toEqual([0]);
    expect(store.latestIntervals(["m2", "m9"]).map((a) => a.meterId)).toEqual(["m2"]);
  });

  it("tracks the outbox lifecycle and summarises it for the dashboard", () => {
    const outbox = ["k1", "k2", "k3"].map((key, i) => ({
      key,
      meterId: "m1",
      intervalStart: i * 900_000,
      payload: "{}",
    }));
    store.closeInterval({ start: 0, end: 900_000, aggregates: [], outbox }, 10);
    expect(store.pendingEntries(2).map((e) => e.key)).toEqual(["k1", "k2"]);
    store.markSent(1, 201, "created", 20);
    store.markRetry(2, { status: 503, error: "HTTP 503", response: "x".repeat(5000) }, 30, 40);
    store.markRejected(3, { status: 401, error: "HTTP 401", response: '{"error":"bad key"}' }, 35);
    const status = store.uploadStatus();
    expect(status).toMatchObject({
      pending: 1,
      sent: 1,
      rejected: 1,
      lastSuccessAt: 20,
      lastSuccessKey: "k1",
      oldestPendingIntervalStart: 900_000,
      lastAttemptAt: 35,
      lastStatus: 401,
    });
    const retried = store.outboxEntry(2)!;
    expect(retried).toMatchObject({ attempts: 1, nextAttempt: 40, lastStatus: 503 });
    expect(retried.lastResponse!.length).toBeLessThanOrEqual(2001);
    expect(store.outboxEntries({ state: "rejected" })[0]).toMatchObject({
      key: "k3",
      lastResponse: '{"error":"bad key"}',
    });
    expect(store.requeueRejected(undefined, 50)).toBe(1);
    expect(store.pendingEntries(10).map((e) => e.key)).toEqual(["k2", "k3"]);
  });

  it("reports the database size including the WAL", () => {
    store.insertSamples([sample("m1", "voltage_l1", 1, 1)]);
    const size = store.databaseSize();
    expect(size.fileBytes).toBeGreaterThan(0);
    expect(size.totalBytes).toBe(size.fileBytes + size.walBytes);
    expect(size.pages * size.pageSize).toBeGreaterThan(0);
  });
});
