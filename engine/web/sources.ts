// The narrow interfaces the dashboard reads from. The poller, the store, the uploader and the config editor
// satisfy them; `ampx run` wires the real ones, tests use small in-process fakes. Only `LiveSource` is
// required: without the others the matching panels say "not available" instead of failing.
import type { EventEmitter } from "node:events";
import type { IntervalAggregate, MeterHealth, QuantityName, ResolvedSite, Sample } from "../model.js";

/** A value or a promise of it: stores may answer synchronously (better-sqlite3) or not. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Live samples and health, as the Poller emits them:
 * `"samples"(samples: Sample[])` once per block read and `"health"(health: MeterHealth)` when a meter's
 * counters or state change. `health()` gives the current health of every meter (for the first snapshot).
 */
export interface LiveSource extends EventEmitter {
  health(): MeterHealth[];
}

/** Recent samples and closed intervals, read from the store. */
export interface HistorySource {
  /** Samples of one quantity of one meter with timestamp >= since (epoch ms), oldest first. */
  samples(meterId: string, quantity: QuantityName, since: number): MaybePromise<Sample[]>;
  /** Interval aggregates of one meter with from <= start < to (epoch ms), oldest first. */
  intervals(meterId: string, from: number, to: number): MaybePromise<IntervalAggregate[]>;
}

/** One outbox entry the uploader gave up on (it needs a person to look at it). */
export interface ParkedUpload {
  /** The idempotency key: site id + meter id + interval start. */
  key: string;
  meterId?: string;
  /** Epoch ms of the interval start. */
  intervalStart: number;
  /** Epoch ms when it was parked. */
  parkedAt: number;
  /** Why, in words (e.g. "HTTP 422: unknown meter"). */
  reason: string;
  attempts: number;
}

/** What the uploader reports about itself. All times are epoch ms. */
export interface UploadStatus {
  enabled: boolean;
  /** Epoch ms of the last accepted upload, or null. */
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: { message: string; at: number; status?: number } | null;
  /** Entries waiting in the outbox. */
  backlog: number;
  /** Interval start of the oldest waiting entry, or null. */
  oldestPendingStart: number | null;
  /** Epoch ms of the next planned attempt, or null. */
  nextAttemptAt: number | null;
  parked: ParkedUpload[];
}

export interface UploadStatusSource {
  uploadStatus(): MaybePromise<UploadStatus>;
}

export interface StorageStats {
  /** Bytes on disk of the database (with its WAL). */
  sizeBytes: number;
  /** Absolute path of the database file. */
  path?: string;
  samples?: number;
  intervals?: number;
}

export interface StorageInfo {
  storageStats(): MaybePromise<StorageStats>;
}

/** The safe settings the dashboard may change. Every field is optional; only the given ones change. */
export interface ConfigChange {
  /** Rename meters (by id). */
  meters?: { id: string; name: string }[];
  /** Poll class name → interval as a duration string ("2s", "1m"). */
  pollClasses?: Record<string, string>;
  upload?: { url?: string; interval?: string };
}

/** What the dashboard shows of the site file. Secrets are redacted before this leaves the editor. */
export interface ConfigView {
  /** File name (no directory), for display. */
  file: string;
  /** The YAML text with every literal secret replaced by "********". */
  yaml: string;
  /** Current values of the editable settings. */
  editable: {
    meters: { id: string; name: string }[];
    pollClasses: Record<string, string>;
    upload: { url: string; interval: string } | null;
  };
}

/** One problem found when validating a change (the same shape as engine/config's Diagnostic). */
export interface ConfigProblem {
  code: string;
  severity: "error" | "warning";
  path: string;
  message: string;
  line?: number;
  column?: number;
  hint?: string;
}

export type ConfigApplyResult =
  { ok: true; site: ResolvedSite; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

/**
 * Reads the redacted site config and applies changes to the site file (validated, written atomically,
 * previous file kept as .bak). The real one (engine/config-edit) also emits "config-changed".
 */
export interface ConfigEditor {
  view(): MaybePromise<ConfigView>;
  apply(change: ConfigChange): Promise<ConfigApplyResult>;
}

/** The log calls the web server makes; pino's Logger fits. */
export interface WebLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
