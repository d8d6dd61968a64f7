// Versioned schema migrations: one function per version, applied in order inside one transaction each.
// Never edit a released migration; add the next version instead.
import type { Database } from "better-sqlite3";
import { StoreError } from "./errors.js";

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "samples (packed per meter and block), identity, intervals, outbox, aggregation state",
    up(db) {
      db.exec(`
        -- A series is one meter's list of quantities as one poll batch delivers them; a samples row holds
        -- one batch (all its values) at one time, packed into a blob: 9 bytes per value instead of a row each.
        CREATE TABLE series (
          id INTEGER PRIMARY KEY,
          meter_id TEXT NOT NULL,
          quantities TEXT NOT NULL,
          UNIQUE (meter_id, quantities)
        );
        CREATE TABLE samples (
          series_id INTEGER NOT NULL REFERENCES series (id),
          ts INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (series_id, ts)
        ) WITHOUT ROWID;
        -- Latest value of each identity quantity (serial number, model code, ...): not aggregated.
        CREATE TABLE identity (
          meter_id TEXT NOT NULL,
          quantity TEXT NOT NULL,
          value,
          quality TEXT NOT NULL,
          ts INTEGER NOT NULL,
          PRIMARY KEY (meter_id, quantity)
        ) WITHOUT ROWID;
        CREATE TABLE intervals (
          meter_id TEXT NOT NULL,
          start INTEGER NOT NULL,
          quantity TEXT NOT NULL,
          end INTEGER NOT NULL,
          kind TEXT NOT NULL,
          unit TEXT NOT NULL,
          count INTEGER NOT NULL,
          bad_count INTEGER NOT NULL,
          coverage REAL NOT NULL,
          quality TEXT NOT NULL,
          avg REAL, min REAL, max REAL,
          first REAL, last REAL, delta REAL, reset INTEGER,
          PRIMARY KEY (meter_id, start, quantity)
        ) WITHOUT ROWID;
        CREATE INDEX intervals_by_start ON intervals (start);
        CREATE TABLE outbox (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          idempotency_key TEXT NOT NULL UNIQUE,
          meter_id TEXT,
          interval_start INTEGER NOT NULL,
          payload TEXT NOT NULL,
          created INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt INTEGER NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'rejected')),
          last_status INTEGER,
          last_error TEXT,
          last_response TEXT,
          last_attempt INTEGER,
          sent_at INTEGER
        );
        CREATE INDEX outbox_by_state ON outbox (state, id);
        -- closed_until: every interval ending at or before it is closed; alive_interval: the latest
        -- interval start the running gateway has been in (so a restart knows which gaps were downtime).
        CREATE TABLE aggregation_state (
          key TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    description: "outbox indexes for the upload status and retention (no scan over payloads)",
    up(db) {
      // Without these, "last success" and "last attempt" scan every outbox row, reading each payload's
      // overflow pages: seconds per status call with a week of backlog.
      db.exec(`
        CREATE INDEX outbox_sent ON outbox (sent_at) WHERE state = 'sent';
        CREATE INDEX outbox_attempted ON outbox (last_attempt) WHERE last_attempt IS NOT NULL;
      `);
    },
  },
];

/** Applies every migration newer than the file's version; returns the version the file is at afterwards. */
export function migrate(db: Database, list: readonly Migration[] = migrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (
    version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const current =
    (db.prepare("SELECT max(version) AS v FROM migrations").get() as { v: number | null }).v ?? 0;
  const latest = list.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new StoreError(
      "STORE_E_MIGRATION",
      `database schema version ${current} is newer than this gateway knows (${latest}); update the gateway`,
    );
  }
  const record = db.prepare("INSERT INTO migrations (version, description, applied_at) VALUES (?, ?, ?)");
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        migration.up(db);
        record.run(migration.version, migration.description, Date.now());
      })();
    } catch (error) {
      throw new StoreError(
        "STORE_E_MIGRATION",
        `migration ${migration.version} (${migration.description}) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return Math.max(current, latest);
}
