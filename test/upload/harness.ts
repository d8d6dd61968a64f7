// Shared pieces of the sender tests: a real sqlite outbox in a temp dir, a real sink, a manual clock,
// and a pino logger whose lines the test can read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "pino";
import { ManualClock } from "../../engine/aggregate/index.js";
import type { ResolvedSite } from "../../engine/model.js";
import { Store } from "../../engine/store/index.js";
import { Sender } from "../../engine/upload/index.js";
import type { SenderOptions } from "../../engine/upload/index.js";

export const T0 = Date.UTC(2026, 11, 4, 0, 0, 0);
export const L = 900_000;

export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

export interface Harness {
  dir: string;
  store: Store;
  clock: ManualClock;
  sender: Sender;
  lines: string[];
  /** Adds outbox entries for intervals i … i+n−1 (one per interval, site mode), like closed intervals. */
  addIntervals(from: number, count: number): string[];
  /** Runs the sender's timers until done() or the step budget is used; returns the simulated ms elapsed. */
  runUntil(done: () => boolean, maxSteps?: number): Promise<number>;
  close(): Promise<void>;
}

export function harness(site: ResolvedSite, options: Partial<SenderOptions> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), "ampx-send-"));
  const store = Store.open(join(dir, "gw.db"));
  const clock = new ManualClock(T0 + 365 * 86_400_000);
  const { logger, lines } = capturedLogger();
  const sender = new Sender({ site, store, clock, logger, random: () => 1, idleCheckMs: 30_000, ...options });
  return {
    dir,
    store,
    clock,
    sender,
    lines,
    addIntervals(from, count) {
      const keys: string[] = [];
      for (let i = from; i < from + count; i++) {
        const start = T0 + i * L;
        const key = `${site.id}:site:${new Date(start).toISOString().replace(".000Z", "Z")}`;
        keys.push(key);
        const payload = JSON.stringify({ idempotencyKey: key, seq: i, secretMarker: "PAYLOAD-BODY" });
        store.closeInterval(
          {
            start,
            end: start + L,
            aggregates: [],
            outbox: [{ key, meterId: null, intervalStart: start, payload }],
          },
          clock.now(),
        );
      }
      sender.notify();
      return keys;
    },
    async runUntil(done, maxSteps = 400) {
      const began = clock.now();
      for (let step = 0; step < maxSteps; step++) {
        await sender.settled();
        if (done()) break;
        const next = clock.nextTimerAt();
        if (next === undefined) break;
        clock.advanceTo(next);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await sender.settled();
      return clock.now() - began;
    },
    async close() {
      await sender.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
