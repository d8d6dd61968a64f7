// Sends outbox entries to the central API, oldest first, one at a time. A retryable failure of the oldest
// entry holds the queue (so the API receives intervals in order) until its backoff expires; a rejected entry
// is parked and the queue moves on. Runs on the event loop only between awaits: polling is never blocked.
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { ResolvedSite } from "../model.js";
import type { OutboxEntry, Store, UploadStatus } from "../store/index.js";
import { systemClock } from "../aggregate/clock.js";
import type { Clock, TimerHandle } from "../aggregate/clock.js";
import { resolveSecret as configResolveSecret } from "../config/secrets.js";
import { requestHeaders } from "./auth.js";
import type { SecretResolver } from "./auth.js";
import { HttpFailure, postJson } from "./http.js";
import type { HttpResponse } from "./http.js";
import { backoffMs, RETRY_AFTER_MAX_MS, retryAfterMs, verdictFor } from "./policy.js";

export interface SenderOptions {
  site: ResolvedSite;
  store: Store;
  clock?: Clock;
  logger?: Logger;
  /** @default engine/config/secrets resolveSecret */
  resolveSecret?: SecretResolver;
  /** Jitter source, for tests. @default Math.random */
  random?: () => number;
  /** With nothing to send, look at the outbox again after this long even without notify(). @default 30000 */
  idleCheckMs?: number;
  userAgent?: string;
}

export interface DrainResult {
  sent: number;
  rejected: number;
  /** An entry failed and waits for its backoff. */
  retrying: boolean;
  /** When the head entry may be tried again (epoch ms), if it is waiting. */
  waitUntil: number | null;
  /** The batch was full: more entries may be pending. */
  more: boolean;
}

/** The outbox status plus what only the running sender knows. */
export interface SenderStatus extends UploadStatus {
  enabled: boolean;
  url: string | null;
  running: boolean;
  nextAttemptAt: number | null;
  consecutiveFailures: number;
}

export class Sender {
  private site: ResolvedSite;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly resolveSecret: SecretResolver;
  private readonly random: () => number;
  private readonly idleCheckMs: number;
  private readonly userAgent: string;
  private agent: http.Agent | undefined;
  private timer: TimerHandle | undefined;
  private pass: Promise<DrainResult> | undefined;
  private abort: AbortController | undefined;
  private running = false;
  private stopRequested = false;
  private again = false;
  private nextAttemptAt: number | null = null;
  private consecutiveFailures = 0;

  constructor(options: SenderOptions) {
    this.site = options.site;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.resolveSecret = options.resolveSecret ?? ((value, site) => configResolveSecret(value, site));
    this.random = options.random ?? Math.random;
    this.idleCheckMs = options.idleCheckMs ?? 30_000;
    this.userAgent = options.userAgent ?? "ampx-gateway";
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Stops sending; an in-flight request is aborted (its entry stays pending, unchanged). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopRequested = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.abort?.abort();
    await this.pass?.catch(() => undefined);
    this.agent?.destroy();
    this.agent = undefined;
  }

  /** New outbox entries exist (the aggregator closed an interval): send now unless a backoff is running. */
  notify(): void {
    if (!this.running) return;
    if (this.pass) this.again = true;
    else if (this.nextAttemptAt === null || this.nextAttemptAt <= this.clock.now()) this.schedule(0);
  }

  /** A changed upload config (URL, auth, CA, interval) applies from the next request on. */
  setSite(site: ResolvedSite): void {
    this.site = site;
    this.agent?.destroy();
    this.agent = undefined;
    this.nextAttemptAt = null;
    this.notify();
  }

  /** Resolves when no drain pass is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pass) await this.pass.catch(() => undefined);
  }

  status(): SenderStatus {
    return {
      ...this.store.uploadStatus(),
      enabled: this.site.upload?.enabled ?? false,
      url: this.site.upload?.url ?? null,
      running: this.running,
      nextAttemptAt: this.nextAttemptAt,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  /** One drain pass: up to upload.batchSize entries, oldest first, stopping at the first retryable failure. */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, rejected: 0, retrying: false, waitUntil: null, more: false };
    const upload = this.site.upload;
    if (!upload || !upload.enabled) return result;
    const entries = this.store.pendingEntries(upload.batchSize);
    result.more = entries.length === upload.batchSize;
    let headers: Record<string, string>;
    try {
      headers = requestHeaders(this.site, this.resolveSecret);
      this.agent ??= this.createAgent();
    } catch (error) {
      // A configuration problem (unset variable, unreadable CA file): not the entries' fault, so none is
      // parked; wait and try again (the config may be fixed at runtime).
      const head = entries[0];
      if (head)
        this.retryLater(
          head,
          { status: null, error: `upload configuration: ${(error as Error).message}` },
          result,
        );
      return result;
    }
    for (const entry of entries) {
      if (this.stopRequested) break;
      const now = this.clock.now();
      // A wait longer than any backoff can ask for means the clock went back (e.g. NTP corrected a wrong
      // boot time): the entry is due now, or the queue would stall until the old time comes round again.
      const plausibleWait = Math.max(upload.retryDelayMaxMs, RETRY_AFTER_MAX_MS);
      if (entry.nextAttempt > now && entry.nextAttempt - now <= plausibleWait) {
        // The head waits for its backoff (possibly set before a restart): keep the order, wait too.
        this.nextAttemptAt = entry.nextAttempt;
        result.retrying = true;
        result.waitUntil = entry.nextAttempt;
        result.more = false;
        break;
      }
      const outcome = await this.attempt(entry, headers);
      if (outcome === "sent") result.sent++;
      else if (outcome === "rejected") result.rejected++;
      else if (outcome === "aborted") break;
      else {
        result.retrying = true;
        result.waitUntil = this.nextAttemptAt;
        result.more = false;
        break;
      }
    }
    return result;
  }

  private async attempt(
    entry: OutboxEntry,
    headers: Record<string, string>,
  ): Promise<"sent" | "rejected" | "retry" | "aborted"> {
    const upload = this.site.upload!;
    const started = this.clock.now();
    const realStart = performance.now();
    const attempt = entry.attempts + 1;
    this.abort = new AbortController();
    let response: HttpResponse;
    try {
      response = await postJson(
        new URL(upload.url),
        entry.payload,
        { ...headers, "idempotency-key": entry.key, "user-agent": this.userAgent },
        { timeoutMs: upload.timeoutMs, agent: this.agent, signal: this.abort.signal },
      );
    } catch (error) {
      const failure =
        error instanceof HttpFailure ? error : new HttpFailure("UPLOAD_E_NETWORK", String(error));
      if (failure.code === "UPLOAD_E_ABORTED") return "aborted";
      const wait = this.retryLater(entry, { status: null, error: failure.message });
      this.logger?.warn(
        {
          key: entry.key,
          entry: entry.id,
          attempt,
          error: failure.message,
          code: failure.code,
          ms: elapsed(realStart),
          retryInMs: wait,
        },
        "upload failed, will retry",
      );
      return "retry";
    } finally {
      this.abort = undefined;
    }
    const verdict = verdictFor(response.status, upload.successStatus);
    const log = { key: entry.key, entry: entry.id, attempt, status: response.status, ms: elapsed(realStart) };
    this.logger?.debug({ ...log, response: response.body.slice(0, 500) }, "upload response");
    if (verdict === "sent") {
      this.store.markSent(entry.id, response.status, response.body, started);
      this.consecutiveFailures = 0;
      this.nextAttemptAt = null;
      this.logger?.info(log, "upload accepted");
      return "sent";
    }
    if (verdict === "reject") {
      this.store.markRejected(
        entry.id,
        {
          status: response.status,
          error: `HTTP ${response.status}: rejected by the API (parked)`,
          response: response.body,
        },
        started,
      );
      this.logger?.error(log, "upload rejected; entry parked (see the dashboard's upload status)");
      return "rejected";
    }
    const wait = this.retryLater(
      entry,
      { status: response.status, error: `HTTP ${response.status}`, response: response.body },
      undefined,
      response.status === 429 || response.status === 503
        ? retryAfterMs(response.headers["retry-after"], Date.now())
        : undefined,
    );
    this.logger?.warn({ ...log, retryInMs: wait }, "upload failed, will retry");
    return "retry";
  }

  /** Records a retryable failure of the head entry and sets its next attempt; returns the wait in ms. */
  private retryLater(
    entry: OutboxEntry,
    failure: { status: number | null; error: string; response?: string },
    result?: DrainResult,
    retryAfter?: number,
  ): number {
    const upload = this.site.upload!;
    this.consecutiveFailures++;
    // The head entry's own attempt count drives the backoff, so it survives a restart and starts small
    // again for the next entry once the API accepted one.
    const wait =
      retryAfter ?? backoffMs(entry.attempts + 1, upload.retryDelayMs, upload.retryDelayMaxMs, this.random);
    const now = this.clock.now();
    this.nextAttemptAt = now + wait;
    this.store.markRetry(entry.id, failure, now, this.nextAttemptAt);
    if (result) {
      result.retrying = true;
      result.waitUntil = this.nextAttemptAt;
    }
    return wait;
  }

  private createAgent(): http.Agent {
    const upload = this.site.upload!;
    if (new URL(upload.url).protocol === "https:") {
      return new https.Agent({
        keepAlive: true,
        maxSockets: 1,
        ca: upload.caFile ? readFileSync(upload.caFile) : undefined,
      });
    }
    return new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  private schedule(delayMs: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      void this.runPass();
    }, delayMs);
  }

  private async runPass(): Promise<void> {
    if (!this.running || this.pass) return;
    this.again = false;
    this.pass = this.drain();
    let result: DrainResult | undefined;
    try {
      result = await this.pass;
    } catch (error) {
      this.logger?.error({ err: error }, "upload drain failed");
    } finally {
      this.pass = undefined;
    }
    if (!this.running) return;
    const now = this.clock.now();
    if (result?.waitUntil != null && result.waitUntil > now) this.schedule(result.waitUntil - now);
    else if (result?.more || this.again || (result?.sent ?? 0) > 0) this.schedule(0);
    else if (result?.retrying) this.schedule(0);
    else this.schedule(this.idleCheckMs);
  }
}

const elapsed = (start: number): number => Math.round(performance.now() - start);
