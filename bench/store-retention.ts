// Database size after 7 days of 1-second samples for 32 meters with the default retention (samples 1 day,
// intervals 400 days, sent outbox entries 2 days), and the insert/retention speed on the way.
// Simulated with bulk inserts: 7 days of intervals and the retained sent payloads are written as retention
// leaves them; samples are written for a few hours (the whole window + 1 h with AMPX_BENCH_FULL=1) and the window
// projected from the measured bytes per row; one retention pass deletes an hour of too-old samples.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfile } from "../engine/config/index.js";
import type { IntervalAggregate, ResolvedProfile, Sample } from "../engine/model.js";
import { profilesDir } from "../engine/paths.js";
import { runRetention, Store } from "../engine/store/index.js";
import type { IntervalClose } from "../engine/store/index.js";
import { encodeValues } from "../engine/store/sample-codec.js";

const METERS = 32;
const DAY = 86_400_000;
const SAMPLE_RETENTION = 1 * DAY;
const INTERVAL = 900_000;

function profile(): ResolvedProfile {
  const { profile } = loadProfile(join(profilesDir, "meatrol/mp440.yaml"));
  if (!profile) throw new Error("profiles/meatrol/mp440.yaml did not load");
  return profile;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Hours of samples actually written; the rest of the 2-day window is projected from the measured bytes per row. */
const FILL_HOURS = process.env.AMPX_BENCH_FULL ? SAMPLE_RETENTION / 3_600_000 + 1 : 4;

export async function run(): Promise<void> {
  const quantities = profile().registers.filter((r) => r.kind !== "identity");
  const dir = mkdtempSync(join(tmpdir(), "ampx-bench-store-"));
  const store = Store.open(join(dir, "gw.db"));
  try {
    const end = Math.floor(Date.UTC(2026, 11, 4) / INTERVAL) * INTERVAL;
    const first = end - FILL_HOURS * 3_600_000;
    console.log(
      `${METERS} meters × ${quantities.length} quantities (meatrol/mp440), one sample of each per second`,
    );
    const value = (kind: string, m: number, t: number, i: number): number =>
      kind === "counter" ? 1000 + m + t / 3_600_000 : 230 + ((t / 1000 + i) % 7) * 0.37;

    // 1. The gateway's own path (Store.insertSamples, one poll batch per meter per second) for 10 minutes.
    let started = performance.now();
    for (let minute = first; minute < first + 600_000; minute += 60_000) {
      const batch: Sample[] = [];
      for (let t = minute; t < minute + 60_000; t += 1000) {
        for (let m = 0; m < METERS; m++) {
          for (const [i, r] of quantities.entries()) {
            batch.push({
              meterId: `m${m + 1}`,
              quantity: r.quantity,
              value: value(r.kind, m, t, i),
              unit: r.canonicalUnit,
              quality: "good",
              timestamp: t,
            });
          }
        }
      }
      store.insertSamples(batch);
    }
    let seconds = (performance.now() - started) / 1000;
    console.log(
      `Store.insertSamples: ${Math.round((600 * METERS) / seconds).toLocaleString("en")} meter-batches/s (${Math.round((600 * METERS * quantities.length) / seconds).toLocaleString("en")} values/s); the gateway needs ${METERS}/s`,
    );

    // 2. Bulk fill of the rest with the same row format (packed blob per meter and second).
    const series = new Map(
      (store.db.prepare("SELECT id, meter_id FROM series").all() as { id: number; meter_id: string }[]).map(
        (r) => [r.meter_id, r.id],
      ),
    );
    const insert = store.db.prepare("INSERT INTO samples (series_id, ts, data) VALUES (?, ?, ?)");
    started = performance.now();
    let rows = 0;
    for (let hour = first + 600_000; hour < end; hour += 3_600_000) {
      store.db.transaction(() => {
        for (let t = hour; t < Math.min(end, hour + 3_600_000); t += 1000) {
          for (let m = 0; m < METERS; m++) {
            insert.run(
              series.get(`m${m + 1}`),
              t,
              encodeValues(quantities.map((r, i) => ({ value: value(r.kind, m, t, i), quality: "good" }))),
            );
            rows++;
          }
        }
      })();
    }
    seconds = (performance.now() - started) / 1000;
    console.log(
      `bulk fill: ${FILL_HOURS} h of samples (${(rows + 600 * METERS).toLocaleString("en")} rows) in ${seconds.toFixed(1)} s`,
    );

    // 3. Intervals: 7 days × 96 × 32 meters × every quantity; sent payloads kept for the last 2 days. The last day
    //    goes through closeInterval (timed: one FULL-synced transaction per interval, as the gateway does it),
    //    the 6 days before are bulk-inserted the same way in one transaction.
    const closeOne = (start: number): IntervalClose => {
      const aggregates: IntervalAggregate[] = [];
      for (let m = 0; m < METERS; m++) {
        for (const r of quantities) {
          const base = {
            meterId: `m${m + 1}`,
            quantity: r.quantity,
            unit: r.canonicalUnit,
            start,
            end: start + INTERVAL,
            count: 450,
            badCount: 0,
            coverage: 1,
            quality: "good" as const,
          };
          aggregates.push(
            r.kind === "counter"
              ? { ...base, kind: "counter", first: 1000.5, last: 1001.25, delta: 0.75, reset: false }
              : { ...base, kind: "instantaneous", avg: 230.123, min: 228.5, max: 231.9 },
          );
        }
      }
      const outbox =
        start >= end - SAMPLE_RETENTION
          ? Array.from({ length: METERS }, (_, m) => ({
              key: `bench:m${m + 1}:${start}`,
              meterId: `m${m + 1}`,
              intervalStart: start,
              payload: "x".repeat(6000),
            }))
          : [];
      return { start, end: start + INTERVAL, aggregates, outbox };
    };
    store.db.pragma("synchronous = OFF");
    store.db.transaction(() => {
      for (let start = end - 7 * DAY; start < end - DAY; start += INTERVAL) {
        const close = closeOne(start);
        const insert = store.db
          .prepare(`INSERT INTO intervals (meter_id, start, quantity, end, kind, unit, count, bad_count, coverage, quality, avg, min, max, first, last, delta, reset)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        const outbox = store.db.prepare(
          "INSERT INTO outbox (idempotency_key, meter_id, interval_start, payload, created, next_attempt, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
        );
        for (const e of close.outbox) outbox.run(e.key, e.meterId, e.intervalStart, e.payload, start, start);
        for (const a of close.aggregates)
          insert.run(
            a.meterId,
            a.start,
            a.quantity,
            a.end,
            a.kind,
            a.unit,
            a.count,
            a.badCount,
            a.coverage,
            a.quality,
            a.avg ?? null,
            a.min ?? null,
            a.max ?? null,
            a.first ?? null,
            a.last ?? null,
            a.delta ?? null,
            a.reset === undefined ? null : Number(a.reset),
          );
      }
    })();
    store.db.pragma("synchronous = NORMAL");
    started = performance.now();
    for (let start = end - DAY; start < end; start += INTERVAL)
      store.closeInterval(closeOne(start), start + INTERVAL);
    const perClose = (performance.now() - started) / 96;
    store.db.prepare("UPDATE outbox SET state = 'sent', sent_at = interval_start + 900000").run();
    console.log(
      `intervals: ${(672 * METERS * quantities.length).toLocaleString("en")} rows (7 days); closing one interval (${METERS * quantities.length} aggregates + ${METERS} payloads, FULL-synced transaction) takes ${perClose.toFixed(1)} ms`,
    );

    // 4. Retention of one hour of samples that fell out of the window.
    started = performance.now();
    const deleted = await runRetention(store, {
      sampleRetentionMs: FILL_HOURS * 3_600_000 - 3_600_000,
      intervalRetentionMs: 400 * DAY,
      sentRetentionMs: SAMPLE_RETENTION,
      now: () => end,
    });
    console.log(
      `retention: ${deleted.samples.toLocaleString("en")} sample rows (1 h) deleted in ${deleted.batches} batches of ≤2000 rows, ${((performance.now() - started) / 1000).toFixed(2)} s in total`,
    );

    store.db.pragma("wal_checkpoint(TRUNCATE)");
    const size = store.databaseSize();
    const tables = new Map(
      (
        store.db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name").all() as {
          name: string;
          bytes: number;
        }[]
      ).map((t) => [t.name, t.bytes]),
    );
    const sampleBytes = tables.get("samples") ?? 0;
    const keptRows = (FILL_HOURS - 1) * 3600 * METERS;
    const perRow = sampleBytes / keptRows;
    const otherBytes = size.fileBytes - sampleBytes;
    const projected = perRow * (SAMPLE_RETENTION / 1000) * METERS + otherBytes;
    console.log(
      `database file now: ${mb(size.fileBytes)} (${FILL_HOURS - 1} h of samples: ${mb(sampleBytes)} = ${perRow.toFixed(0)} bytes per meter-second; intervals ${mb(tables.get("intervals") ?? 0)} + index ${mb(tables.get("intervals_by_start") ?? 0)}; outbox ${mb(tables.get("outbox") ?? 0)})`,
    );
    console.log(
      `after 7 days with the default retention (samples ${SAMPLE_RETENTION / DAY} d, intervals 400 d, sent payloads ${SAMPLE_RETENTION / DAY} d): ${FILL_HOURS > SAMPLE_RETENTION / 3_600_000 ? "measured" : "projected"} ${(projected / 1e9).toFixed(2)} GB` +
        (FILL_HOURS > SAMPLE_RETENTION / 3_600_000
          ? ""
          : ` (set AMPX_BENCH_FULL=1 to write all ${SAMPLE_RETENTION / 3_600_000} h of samples)`),
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
