// Deletes old rows in small batches, yielding to the event loop between batches, so a large deletion
// (e.g. after the retention was shortened) never stalls polling for more than a few milliseconds.
import type { Store } from "./store.js";

export interface RetentionOptions {
  /** Raw samples older than this are deleted. */
  sampleRetentionMs: number;
  /** Closed intervals older than this are deleted. */
  intervalRetentionMs: number;
  /** Sent outbox entries older than this are deleted (pending and rejected ones are kept). @default sampleRetentionMs */
  sentRetentionMs?: number;
  /** Rows per DELETE. @default 2000 */
  batchSize?: number;
  /** Time between retention passes. @default 300000 (5 min) */
  everyMs?: number;
  now?: () => number;
}

export interface RetentionResult {
  samples: number;
  intervals: number;
  outbox: number;
  batches: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One retention pass over every table; resolves when nothing older than the limits is left. */
export async function runRetention(store: Store, options: RetentionOptions): Promise<RetentionResult> {
  const now = (options.now ?? Date.now)();
  const batch = options.batchSize ?? 2000;
  const result: RetentionResult = { samples: 0, intervals: 0, outbox: 0, batches: 0 };
  const db = store.db;
  const deleteSamples = db.prepare(
    `DELETE FROM samples WHERE series_id = @id AND ts IN
       (SELECT ts FROM samples WHERE series_id = @id AND ts < @before ORDER BY ts LIMIT @limit)`,
  );
  const deleteIntervals = db.prepare(
    `DELETE FROM intervals WHERE (meter_id, start, quantity) IN
       (SELECT meter_id, start, quantity FROM intervals WHERE start < ? LIMIT ?)`,
  );
  const deleteSent = db.prepare(
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_sent WHERE state = 'sent' AND sent_at < ? LIMIT ?)",
  );
  const drain = async (step: () => number, add: (n: number) => void): Promise<void> => {
    for (;;) {
      if (!store.isOpen) return;
      const n = step();
      result.batches++;
      add(n);
      if (n < batch) return;
      await yieldToEventLoop();
    }
  };
  for (const id of store.seriesIds()) {
    await drain(
      () => deleteSamples.run({ id, before: now - options.sampleRetentionMs, limit: batch }).changes,
      (n) => (result.samples += n),
    );
  }
  await drain(
    () => deleteIntervals.run(now - options.intervalRetentionMs, batch).changes,
    (n) => (result.intervals += n),
  );
  await drain(
    () => deleteSent.run(now - (options.sentRetentionMs ?? options.sampleRetentionMs), batch).changes,
    (n) => (result.outbox += n),
  );
  return result;
}

/** Runs retention now and then every `everyMs`; stop() waits for a running pass. */
export class RetentionTimer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionResult> | undefined;
  private stopped = true;

  constructor(
    private readonly store: Store,
    private readonly options: RetentionOptions,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.running = runRetention(this.store, this.options);
      this.running
        .catch((error: Error) => this.onError(error))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.options.everyMs ?? 300_000);
        });
    }, delay);
    this.timer.unref();
  }
}
