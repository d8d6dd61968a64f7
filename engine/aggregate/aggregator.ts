// Turns the poller's samples into closed intervals. Every sample is written to the store before it enters an
// open interval, so after a crash the open intervals are rebuilt from the store and nothing closed twice or lost.
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { IntervalAggregate, QuantityName, ResolvedSite, Sample } from "../model.js";
import type { NewOutboxEntry, Store, StoredSample } from "../store/index.js";
import { systemClock } from "./clock.js";
import type { Clock, TimerHandle } from "./clock.js";
import { accumulate, createAccumulator, finishAggregate, intervalStartOf } from "./rules.js";
import type { Accumulator, AggregateSpec } from "./rules.js";
import { aggregatePlan } from "./plan.js";
import type { PlannedQuantity } from "./plan.js";

/** One closed interval: what closeInterval committed. */
export interface ClosedInterval {
  start: number;
  end: number;
  aggregates: IntervalAggregate[];
  outbox: NewOutboxEntry[];
}

/** Builds the outbox entries (rendered payloads) of a closed interval; engine/upload provides one. */
export type OutboxBuilder = (interval: {
  start: number;
  end: number;
  aggregates: IntervalAggregate[];
}) => NewOutboxEntry[];

export interface AggregatorOptions {
  site: ResolvedSite;
  store: Store;
  /** Interval length. @default site.upload.intervalMs, else 15 min */
  intervalMs?: number;
  outbox?: OutboxBuilder;
  clock?: Clock;
  /** How long after an interval's end samples for it are still accepted. @default 2000 */
  graceMs?: number;
  /** How often the aggregator checks for intervals to close. @default 1000 */
  tickMs?: number;
  logger?: Logger;
}

export interface AggregatorEvents {
  closed: [interval: ClosedInterval];
  error: [error: Error];
}

const DEFAULT_INTERVAL_MS = 15 * 60_000;

export class Aggregator extends EventEmitter<AggregatorEvents> {
  readonly intervalMs: number;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly tickMs: number;
  private readonly logger: Logger | undefined;
  private outboxBuilder: OutboxBuilder | undefined;
  private plan: Map<string, PlannedQuantity>;
  private planList: PlannedQuantity[];
  /** Open intervals by start: accumulators by meter + quantity. */
  private readonly open = new Map<number, Map<string, Accumulator>>();
  private closedUntil: number | undefined;
  /** The alive marker found at restart, and the interval the gateway (re)started in. */
  private aliveAtRestart: number | undefined;
  private startedInterval = 0;
  private aliveMarked: number | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  /** Samples dropped because their interval was already closed. */
  lateSamples = 0;

  constructor(options: AggregatorOptions) {
    super();
    this.store = options.store;
    this.intervalMs = options.intervalMs ?? options.site.upload?.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.graceMs ?? 2000;
    this.tickMs = options.tickMs ?? 1000;
    this.logger = options.logger;
    this.outboxBuilder = options.outbox;
    this.planList = aggregatePlan(options.site);
    this.plan = new Map(this.planList.map((p) => [planKey(p.meterId, p.quantity), p]));
  }

  /** Restores the open intervals from the store, closes what became due while stopped, then ticks every tickMs. */
  start(): void {
    this.restore();
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** A new site (e.g. a meter renamed or added); open intervals of meters that remain keep accumulating. */
  setSite(site: ResolvedSite, outbox?: OutboxBuilder): void {
    this.planList = aggregatePlan(site);
    this.plan = new Map(this.planList.map((p) => [planKey(p.meterId, p.quantity), p]));
    if (outbox) this.outboxBuilder = outbox;
  }

  /** The poller's "samples" listener: stores the batch, then adds it to its open interval. */
  ingest(samples: readonly Sample[]): void {
    this.restore();
    const closedUntil = this.closedUntil!;
    const fresh = samples.filter((s) => s.timestamp >= closedUntil);
    if (fresh.length < samples.length) {
      this.lateSamples += samples.length - fresh.length;
      this.logger?.debug(
        { dropped: samples.length - fresh.length },
        "samples for an already closed interval dropped",
      );
    }
    this.store.insertSamples(fresh);
    for (const sample of fresh) this.add(sample);
  }

  /** Closes every interval whose end + grace has passed. Called by the timer; safe to call any time. */
  tick(): void {
    this.timer?.cancel();
    this.timer = undefined;
    try {
      this.closeDue();
    } catch (error) {
      this.logger?.error({ err: error }, "closing an interval failed; retrying on the next tick");
      if (this.listenerCount("error") > 0) this.emit("error", error as Error);
    }
    if (this.running) this.timer = this.clock.setTimer(() => this.tick(), this.tickMs);
  }

  /** The open intervals so far (partial aggregates), for the dashboard. */
  openIntervals(): IntervalAggregate[] {
    const out: IntervalAggregate[] = [];
    for (const accumulators of [...this.open.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m)) {
      for (const acc of accumulators.values()) out.push(finishAggregate(acc));
    }
    return out;
  }

  /** End of the last closed interval (epoch ms). */
  get closedUntilMs(): number | undefined {
    return this.closedUntil;
  }

  private restore(): void {
    if (this.closedUntil !== undefined) return;
    const L = this.intervalMs;
    const now = this.clock.now();
    this.startedInterval = intervalStartOf(now, L);
    let closedUntil = this.store.getState("closed_until");
    // First start: begin with the current (partial) interval. A changed interval length: round up, never re-close.
    if (closedUntil === undefined) closedUntil = this.startedInterval;
    else closedUntil = Math.ceil(closedUntil / L) * L;
    this.store.setState("closed_until", closedUntil);
    this.closedUntil = closedUntil;
    this.aliveAtRestart = this.store.getState("alive_interval");
    const restored = this.store.samplesBetween(closedUntil, Number.MAX_SAFE_INTEGER);
    for (const sample of restored) this.add(sample);
    this.logger?.info(
      { closedUntil: new Date(closedUntil).toISOString(), restoredSamples: restored.length },
      "aggregator restored open intervals",
    );
  }

  private add(sample: Sample | StoredSample): void {
    const planned = this.plan.get(planKey(sample.meterId, sample.quantity));
    if (!planned) return;
    const start = intervalStartOf(sample.timestamp, this.intervalMs);
    let accumulators = this.open.get(start);
    if (!accumulators) this.open.set(start, (accumulators = new Map()));
    const key = planKey(sample.meterId, sample.quantity);
    let acc = accumulators.get(key);
    if (!acc) accumulators.set(key, (acc = createAccumulator(this.spec(planned, start))));
    accumulate(acc, sample);
  }

  private spec(planned: PlannedQuantity, start: number): AggregateSpec {
    return { ...planned, start, end: start + this.intervalMs };
  }

  private closeDue(): void {
    this.restore();
    const L = this.intervalMs;
    const now = this.clock.now();
    let skippedTo: number | undefined;
    while (this.closedUntil! + L + this.graceMs <= now) {
      const start = this.closedUntil!;
      // An interval with neither samples nor the alive marker passed entirely while the gateway was stopped.
      const alive = this.open.has(start) || start === this.aliveAtRestart || start >= this.startedInterval;
      if (alive) {
        this.closeOne(start, now);
        skippedTo = undefined;
      } else {
        skippedTo = start + L;
      }
      this.closedUntil = start + L;
    }
    if (skippedTo !== undefined) this.store.setState("closed_until", skippedTo);
    const current = intervalStartOf(now, L);
    if (current !== this.aliveMarked) {
      this.store.setState("alive_interval", current);
      this.aliveMarked = current;
    }
  }

  private closeOne(start: number, now: number): void {
    const accumulators = this.open.get(start);
    const aggregates = this.planList.map((planned) =>
      finishAggregate(
        accumulators?.get(planKey(planned.meterId, planned.quantity)) ??
          createAccumulator(this.spec(planned, start)),
      ),
    );
    const interval = { start, end: start + this.intervalMs, aggregates };
    const outbox = this.outboxBuilder ? this.outboxBuilder(interval) : [];
    const inserted = this.store.closeInterval({ ...interval, outbox }, now);
    this.open.delete(start);
    this.logger?.info(
      { start: new Date(start).toISOString(), quantities: aggregates.length, outbox: inserted },
      "interval closed",
    );
    this.emit("closed", { ...interval, outbox });
  }
}

function planKey(meterId: string, quantity: QuantityName | string): string {
  return `${meterId}\u0000${quantity}`;
}
