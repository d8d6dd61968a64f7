// The gateway's database: recent samples, closed intervals, the outbox and the aggregation state,
// in one SQLite file (WAL). All methods are synchronous (better-sqlite3) and short; long deletions
// go through retention.ts in small batches.
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Database, Statement } from "better-sqlite3";
import type { IntervalAggregate, Quality, QuantityName, Sample } from "../model.js";
import { quantityKind } from "../aggregate/kinds.js";
import { StoreError } from "./errors.js";
import { migrate } from "./migrations.js";
import { decodeValueAt, decodeValues, encodeValues } from "./sample-codec.js";

/** One stored numeric sample. */
export interface StoredSample {
  meterId: string;
  quantity: QuantityName;
  value: number | null;
  quality: Quality;
  timestamp: number;
}

/** One point of a chart series (a meter's quantity over time). */
export interface SamplePoint {
  timestamp: number;
  value: number | null;
  quality: Quality;
}

export interface IdentityValue {
  value: number | string | null;
  quality: Quality;
  timestamp: number;
}

export type OutboxState = "pending" | "sent" | "rejected";

export interface OutboxEntry {
  id: number;
  key: string;
  /** null for a site-mode entry (all meters in one request). */
  meterId: string | null;
  intervalStart: number;
  payload: string;
  created: number;
  attempts: number;
  nextAttempt: number;
  state: OutboxState;
  lastStatus: number | null;
  lastError: string | null;
  /** The API's answer, truncated to 2000 characters. */
  lastResponse: string | null;
  lastAttempt: number | null;
  sentAt: number | null;
}

export interface NewOutboxEntry {
  key: string;
  meterId: string | null;
  intervalStart: number;
  payload: string;
  /** "rejected" parks an entry that could not be rendered; default "pending". */
  state?: "pending" | "rejected";
  lastError?: string;
}

/** What the dashboard shows about uploading. */
export interface UploadStatus {
  pending: number;
  sent: number;
  rejected: number;
  lastSuccessAt: number | null;
  lastSuccessKey: string | null;
  oldestPendingIntervalStart: number | null;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface DatabaseSize {
  /** Main file plus WAL, in bytes. */
  totalBytes: number;
  fileBytes: number;
  walBytes: number;
  pageSize: number;
  pages: number;
  freePages: number;
}

/** Everything one interval close writes, committed together. */
export interface IntervalClose {
  start: number;
  end: number;
  aggregates: IntervalAggregate[];
  outbox: NewOutboxEntry[];
}

const RESPONSE_LIMIT = 2000;

interface IntervalRow {
  meter_id: string;
  start: number;
  quantity: string;
  end: number;
  kind: "instantaneous" | "counter";
  unit: string;
  count: number;
  bad_count: number;
  coverage: number;
  quality: "good" | "partial" | "missing";
  avg: number | null;
  min: number | null;
  max: number | null;
  first: number | null;
  last: number | null;
  delta: number | null;
  reset: number | null;
}

interface OutboxRow {
  id: number;
  idempotency_key: string;
  meter_id: string | null;
  interval_start: number;
  payload: string;
  created: number;
  attempts: number;
  next_attempt: number;
  state: OutboxState;
  last_status: number | null;
  last_error: string | null;
  last_response: string | null;
  last_attempt: number | null;
  sent_at: number | null;
}

interface Series {
  id: number;
  meterId: string;
  quantities: QuantityName[];
}

export class Store {
  readonly path: string;
  readonly db: Database;
  private readonly seriesByKey = new Map<string, Series>();
  private readonly seriesById = new Map<number, Series>();
  private readonly statements: Record<string, Statement>;
  private closed = false;

  private constructor(path: string, db: Database) {
    this.path = path;
    this.db = db;
    this.statements = {
      insertSeries: db.prepare("INSERT INTO series (meter_id, quantities) VALUES (?, ?)"),
      insertSample: db.prepare("INSERT OR REPLACE INTO samples (series_id, ts, data) VALUES (?, ?, ?)"),
      upsertIdentity: db.prepare(
        "INSERT OR REPLACE INTO identity (meter_id, quantity, value, quality, ts) VALUES (?, ?, ?, ?, ?)",
      ),
      insertInterval: db.prepare(`INSERT OR IGNORE INTO intervals
        (meter_id, start, quantity, end, kind, unit, count, bad_count, coverage, quality,
         avg, min, max, first, last, delta, reset)
        VALUES (@meter_id, @start, @quantity, @end, @kind, @unit, @count, @bad_count, @coverage, @quality,
         @avg, @min, @max, @first, @last, @delta, @reset)`),
      insertOutbox: db.prepare(`INSERT OR IGNORE INTO outbox
        (idempotency_key, meter_id, interval_start, payload, created, next_attempt, state, last_error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      setState: db.prepare("INSERT OR REPLACE INTO aggregation_state (key, value) VALUES (?, ?)"),
      getState: db.prepare("SELECT value FROM aggregation_state WHERE key = ?"),
      samplesOfSeries: db.prepare(
        "SELECT ts, data FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts",
      ),
    };
    for (const row of db.prepare("SELECT id, meter_id, quantities FROM series").all() as {
      id: number;
      meter_id: string;
      quantities: string;
    }[]) {
      this.remember({
        id: row.id,
        meterId: row.meter_id,
        quantities: row.quantities.split(",") as QuantityName[],
      });
    }
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(path: string): Store {
    let db: Database;
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      db = new BetterSqlite3(path);
    } catch (error) {
      throw new StoreError("STORE_E_OPEN", `cannot open database ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // WAL: readers never block the writer and a crash never corrupts the file. NORMAL: a commit survives a
    // process crash; only the interval close (closeInterval) pays for an fsync so it also survives power loss.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    migrate(db);
    return new Store(path, db);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  schemaVersion(): number {
    return (this.db.prepare("SELECT max(version) AS v FROM migrations").get() as { v: number }).v;
  }

  // ---- samples ------------------------------------------------------------------------------------

  /**
   * Stores a poll batch: numeric quantities packed per (meter, timestamp), identity quantities as the
   * meter's latest identity values. One transaction per call.
   */
  insertSamples(samples: readonly Sample[]): void {
    if (samples.length === 0) return;
    const groups = new Map<string, { meterId: string; timestamp: number; samples: Sample[] }>();
    const identity: Sample[] = [];
    for (const sample of samples) {
      if (quantityKind(sample.quantity) === "identity" || typeof sample.value === "string") {
        identity.push(sample);
        continue;
      }
      const key = `${sample.meterId}\u0000${sample.timestamp}`;
      let group = groups.get(key);
      if (!group)
        groups.set(key, (group = { meterId: sample.meterId, timestamp: sample.timestamp, samples: [] }));
      group.samples.push(sample);
    }
    this.db.transaction(() => {
      for (const group of groups.values()) {
        const byQuantity = new Map(group.samples.map((s) => [s.quantity, s]));
        const series = this.seriesFor(group.meterId, [...byQuantity.keys()]);
        const data = encodeValues(
          [...byQuantity.values()].map((s) => ({
            value: typeof s.value === "number" ? s.value : null,
            quality: s.quality,
          })),
        );
        this.statements.insertSample!.run(series.id, group.timestamp, data);
      }
      for (const s of identity) {
        this.statements.upsertIdentity!.run(s.meterId, s.quantity, s.value, s.quality, s.timestamp);
      }
    })();
  }

  /** Points of one meter's quantity in [since, until), oldest first (for the 1-hour chart). */
  recentSamples(
    meterId: string,
    quantity: QuantityName,
    since: number,
    until = Number.MAX_SAFE_INTEGER,
  ): SamplePoint[] {
    const points: SamplePoint[] = [];
    for (const series of this.seriesById.values()) {
      if (series.meterId !== meterId) continue;
      const index = series.quantities.indexOf(quantity);
      if (index < 0) continue;
      for (const row of this.statements.samplesOfSeries!.iterate(series.id, since, until) as Iterable<{
        ts: number;
        data: Buffer;
      }>) {
        const packed = decodeValueAt(row.data, index);
        if (packed) points.push({ timestamp: row.ts, ...packed });
      }
    }
    return points.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** Every numeric sample of every meter in [since, until), ordered by timestamp (stable per batch). */
  samplesBetween(since: number, until: number): StoredSample[] {
    const rows: { ts: number; series: Series; data: Buffer }[] = [];
    for (const series of [...this.seriesById.values()].sort((a, b) => a.id - b.id)) {
      for (const row of this.statements.samplesOfSeries!.iterate(series.id, since, until) as Iterable<{
        ts: number;
        data: Buffer;
      }>) {
        rows.push({ ts: row.ts, series, data: row.data });
      }
    }
    rows.sort((a, b) => a.ts - b.ts);
    const out: StoredSample[] = [];
    for (const row of rows) {
      decodeValues(row.data).forEach((packed, i) => {
        out.push({
          meterId: row.series.meterId,
          quantity: row.series.quantities[i]!,
          timestamp: row.ts,
          ...packed,
        });
      });
    }
    return out;
  }

  /** Latest value of an identity quantity (e.g. serial_number) of a meter. */
  identity(meterId: string, quantity: QuantityName): IdentityValue | undefined {
    const row = this.db
      .prepare("SELECT value, quality, ts FROM identity WHERE meter_id = ? AND quantity = ?")
      .get(meterId, quantity) as { value: number | string | null; quality: Quality; ts: number } | undefined;
    return row && { value: row.value, quality: row.quality, timestamp: row.ts };
  }

  /** The series ids (for retention, which deletes per series so every delete is a short range scan). */
  seriesIds(): number[] {
    return [...this.seriesById.keys()];
  }

  private seriesFor(meterId: string, quantities: QuantityName[]): Series {
    const key = `${meterId}\u0000${quantities.join(",")}`;
    const known = this.seriesByKey.get(key);
    if (known) return known;
    const id = Number(this.statements.insertSeries!.run(meterId, quantities.join(",")).lastInsertRowid);
    const series = { id, meterId, quantities };
    this.remember(series);
    return series;
  }

  private remember(series: Series): void {
    this.seriesByKey.set(`${series.meterId}\u0000${series.quantities.join(",")}`, series);
    this.seriesById.set(series.id, series);
  }

  // ---- aggregation state and interval close --------------------------------------------------------

  getState(key: "closed_until" | "alive_interval"): number | undefined {
    return (this.statements.getState!.get(key) as { value: number } | undefined)?.value;
  }

  setState(key: "closed_until" | "alive_interval", value: number): void {
    this.statements.setState!.run(key, value);
  }

  /**
   * Closes one interval: its aggregates, its outbox entries and the new closed_until, in one transaction
   * with synchronous=FULL, so a power loss right after it returns still has the interval and its payloads.
   * Idempotent (INSERT OR IGNORE on the interval and on the outbox key). Returns the number of new outbox entries.
   */
  closeInterval(close: IntervalClose, now = Date.now()): number {
    let inserted = 0;
    const run = this.db.transaction(() => {
      for (const a of close.aggregates) this.statements.insertInterval!.run(toIntervalRow(a));
      for (const entry of close.outbox) {
        inserted += this.statements.insertOutbox!.run(
          entry.key,
          entry.meterId,
          entry.intervalStart,
          entry.payload,
          now,
          now,
          entry.state ?? "pending",
          entry.lastError ?? null,
        ).changes;
      }
      const closedUntil = this.getState("closed_until");
      if (closedUntil === undefined || closedUntil < close.end) this.setState("closed_until", close.end);
    });
    this.db.pragma("synchronous = FULL");
    try {
      run();
    } finally {
      this.db.pragma("synchronous = NORMAL");
    }
    return inserted;
  }

  // ---- intervals -----------------------------------------------------------------------------------

  /** Closed intervals of a meter with start in [from, to), optionally one quantity, oldest first. */
  intervals(meterId: string, from: number, to: number, quantity?: QuantityName): IntervalAggregate[] {
    const rows = (
      quantity
        ? this.db
            .prepare(
              "SELECT * FROM intervals WHERE meter_id = ? AND start >= ? AND start < ? AND quantity = ? ORDER BY start",
            )
            .all(meterId, from, to, quantity)
        : this.db
            .prepare(
              "SELECT * FROM intervals WHERE meter_id = ? AND start >= ? AND start < ? ORDER BY start, quantity",
            )
            .all(meterId, from, to)
    ) as IntervalRow[];
    return rows.map(fromIntervalRow);
  }

  /** Every meter's most recent closed interval (all its quantities). Pass the site's meter ids when known. */
  latestIntervals(meterIds?: readonly string[]): IntervalAggregate[] {
    const ids =
      meterIds ??
      (this.db.prepare("SELECT DISTINCT meter_id FROM intervals").all() as { meter_id: string }[]).map(
        (r) => r.meter_id,
      );
    const latest = this.db.prepare("SELECT max(start) AS s FROM intervals WHERE meter_id = ?");
    const out: IntervalAggregate[] = [];
    for (const id of ids) {
      const start = (latest.get(id) as { s: number | null }).s;
      if (start !== null) out.push(...this.intervals(id, start, start + 1));
    }
    return out;
  }

  // ---- outbox --------------------------------------------------------------------------------------

  /** The oldest pending entries (the head of the queue), at most `limit`. */
  pendingEntries(limit: number): OutboxEntry[] {
    return (
      this.db
        .prepare("SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?")
        .all(limit) as OutboxRow[]
    ).map(fromOutboxRow);
  }

  outboxEntry(id: number): OutboxEntry | undefined {
    const row = this.db.prepare("SELECT * FROM outbox WHERE id = ?").get(id) as OutboxRow | undefined;
    return row && fromOutboxRow(row);
  }

  /** Outbox entries in id order, optionally of one state (for the dashboard and tests). */
  outboxEntries(options: { state?: OutboxState; limit?: number; newestFirst?: boolean } = {}): OutboxEntry[] {
    const where = options.state ? "WHERE state = @state" : "";
    const order = options.newestFirst ? "DESC" : "ASC";
    return (
      this.db
        .prepare(`SELECT * FROM outbox ${where} ORDER BY id ${order} LIMIT @limit`)
        .all({ state: options.state, limit: options.limit ?? -1 }) as OutboxRow[]
    ).map(fromOutboxRow);
  }

  markSent(id: number, status: number, response: string, at: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_status = ?, last_error = NULL,
        last_response = ?, last_attempt = ?, sent_at = ? WHERE id = ?`,
      )
      .run(status, truncate(response), at, at, id);
  }

  markRetry(
    id: number,
    failure: { status: number | null; error: string; response?: string },
    at: number,
    nextAttempt: number,
  ): void {
    this.db
      .prepare(
        `UPDATE outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, last_response = ?,
        last_attempt = ?, next_attempt = ? WHERE id = ?`,
      )
      .run(failure.status, failure.error, truncate(failure.response ?? null), at, nextAttempt, id);
  }

  markRejected(
    id: number,
    failure: { status: number | null; error: string; response?: string },
    at: number,
  ): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_status = ?, last_error = ?,
        last_response = ?, last_attempt = ? WHERE id = ?`,
      )
      .run(failure.status, failure.error, truncate(failure.response ?? null), at, id);
  }

  /** Puts parked (rejected) entries back in the queue, e.g. after fixing the API key. Returns how many. */
  requeueRejected(ids?: readonly number[], now = Date.now()): number {
    if (ids) {
      const stmt = this.db.prepare(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ? WHERE id = ? AND state = 'rejected'",
      );
      return this.db.transaction(() => ids.reduce((n, id) => n + stmt.run(now, id).changes, 0))();
    }
    return this.db
      .prepare("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ? WHERE state = 'rejected'")
      .run(now).changes;
  }

  uploadStatus(): UploadStatus {
    const counts = this.db.prepare("SELECT state, count(*) AS n FROM outbox GROUP BY state").all() as {
      state: OutboxState;
      n: number;
    }[];
    const count = (state: OutboxState): number => counts.find((c) => c.state === state)?.n ?? 0;
    const success = this.db
      .prepare(
        "SELECT idempotency_key AS key, sent_at FROM outbox INDEXED BY outbox_sent WHERE state = 'sent' ORDER BY sent_at DESC LIMIT 1",
      )
      .get() as { key: string; sent_at: number } | undefined;
    const oldest = this.db
      .prepare("SELECT interval_start FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 1")
      .get() as { interval_start: number } | undefined;
    const attempt = this.db
      .prepare(
        "SELECT last_attempt, last_status, last_error FROM outbox WHERE last_attempt IS NOT NULL ORDER BY last_attempt DESC LIMIT 1",
      )
      .get() as { last_attempt: number; last_status: number | null; last_error: string | null } | undefined;
    return {
      pending: count("pending"),
      sent: count("sent"),
      rejected: count("rejected"),
      lastSuccessAt: success?.sent_at ?? null,
      lastSuccessKey: success?.key ?? null,
      oldestPendingIntervalStart: oldest?.interval_start ?? null,
      lastAttemptAt: attempt?.last_attempt ?? null,
      lastStatus: attempt?.last_status ?? null,
      lastError: attempt?.last_error ?? null,
    };
  }

  // ---- size ----------------------------------------------------------------------------------------

  databaseSize(): DatabaseSize {
    const pageSize = this.db.pragma("page_size", { simple: true }) as number;
    const pages = this.db.pragma("page_count", { simple: true }) as number;
    const freePages = this.db.pragma("freelist_count", { simple: true }) as number;
    const size = (file: string): number => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    const fileBytes = this.path === ":memory:" ? pageSize * pages : size(this.path);
    const walBytes = this.path === ":memory:" ? 0 : size(`${this.path}-wal`);
    return { totalBytes: fileBytes + walBytes, fileBytes, walBytes, pageSize, pages, freePages };
  }
}

function truncate(text: string | null): string | null {
  if (text === null) return null;
  return text.length > RESPONSE_LIMIT ? `${text.slice(0, RESPONSE_LIMIT)}…` : text;
}

function toIntervalRow(a: IntervalAggregate): IntervalRow {
  return {
    meter_id: a.meterId,
    start: a.start,
    quantity: a.quantity,
    end: a.end,
    kind: a.kind,
    unit: a.unit,
    count: a.count,
    bad_count: a.badCount,
    coverage: a.coverage,
    quality: a.quality,
    avg: a.avg ?? null,
    min: a.min ?? null,
    max: a.max ?? null,
    first: a.first ?? null,
    last: a.last ?? null,
    delta: a.delta ?? null,
    reset: a.reset === undefined ? null : a.reset ? 1 : 0,
  };
}

function fromIntervalRow(r: IntervalRow): IntervalAggregate {
  const a: IntervalAggregate = {
    meterId: r.meter_id,
    quantity: r.quantity as QuantityName,
    kind: r.kind,
    unit: r.unit as IntervalAggregate["unit"],
    start: r.start,
    end: r.end,
    count: r.count,
    badCount: r.bad_count,
    coverage: r.coverage,
    quality: r.quality,
  };
  for (const field of ["avg", "min", "max", "first", "last", "delta"] as const) {
    const value = r[field];
    if (value !== null) a[field] = value;
  }
  if (r.reset !== null) a.reset = r.reset === 1;
  return a;
}

function fromOutboxRow(r: OutboxRow): OutboxEntry {
  return {
    id: r.id,
    key: r.idempotency_key,
    meterId: r.meter_id,
    intervalStart: r.interval_start,
    payload: r.payload,
    created: r.created,
    attempts: r.attempts,
    nextAttempt: r.next_attempt,
    state: r.state,
    lastStatus: r.last_status,
    lastError: r.last_error,
    lastResponse: r.last_response,
    lastAttempt: r.last_attempt,
    sentAt: r.sent_at,
  };
}
