// The poller: reads every enabled meter's blocks on time, one request at a time per RTU bus, TCP hosts in
// parallel, backs off meters that keep failing, keeps their health, and emits decoded samples.
import { EventEmitter } from "node:events";
import { decodeBlock } from "../decode/index.js";
import type { MeterHealth, MeterState, ResolvedMeter, ResolvedSite, Sample } from "../model.js";
import { planMeter, pollClassesOf } from "../plan/index.js";
import type { Block } from "../plan/index.js";
import {
  ConnectFailedError,
  ConnectionLostError,
  PermissionDeniedError,
  PortBusyError,
  PortNotFoundError,
  TimeoutError,
  TransportError,
  TransportSet,
} from "../transport/index.js";
import type { Transport } from "../transport/index.js";
import { systemClock } from "./clock.js";
import type { Clock } from "./clock.js";
import { MeterHealthTracker } from "./meter-health.js";
import { nextDue, nextWake, offlineBackoff, pickNext, retryDelay } from "./schedule.js";
import type { Schedulable } from "./schedule.js";

export interface PollerOptions {
  /** Transports to use; by default the poller creates them from the site and closes them on stop(). */
  transports?: TransportSet;
  clock?: Clock;
  /** Failed block reads in a row after which a meter is marked offline. @default 3 */
  offlineAfter?: number;
  /** First wait before retrying an offline meter; doubles on each failed retry. @default 5000 */
  offlineBackoffMs?: number;
  /** @default 300000 */
  offlineBackoffMaxMs?: number;
  /**
   * Longest a retry of an offline meter waits for a gap in the schedule of the meters that answer
   * before it takes the bus anyway. @default 10000
   */
  offlineRetryMaxWaitMs?: number;
  /** Good reads the latency percentiles are computed over. @default 100 */
  latencyWindow?: number;
  /** Interval of a poll class the site does not define. @default 60000 */
  defaultIntervalMs?: number;
}

/** A block read that failed after its retries. */
export interface ReadFailure {
  meterId: string;
  pollClass: string;
  block: Pick<Block, "function" | "start" | "count">;
  error: { code: string; message: string };
  at: number;
}

export interface StateChange {
  meterId: string;
  from: MeterState;
  to: MeterState;
  at: number;
  /** The error that took the meter offline. */
  error?: { code: string; message: string };
}

export interface PollerEvents {
  /** One batch per block read, stamped with the time the answer arrived. */
  samples: [samples: Sample[]];
  /** A meter's health after each of its reads. */
  health: [health: MeterHealth];
  /** A meter went online or offline. */
  state: [change: StateChange];
  /** A block read failed (after retries). */
  failure: [failure: ReadFailure];
}

interface MeterSlot {
  meter: ResolvedMeter;
  tracker: MeterHealthTracker;
  /** Sequence number of the last time the meter was served on its bus. */
  lastServed: number;
}

class PollItem implements Schedulable {
  constructor(
    readonly slot: MeterSlot,
    readonly pollClass: string,
    readonly intervalMs: number,
    readonly blocks: Block[],
    public dueAt: number,
  ) {}

  get priority(): number {
    return this.slot.meter.priority;
  }

  get lastServed(): number {
    return this.slot.lastServed;
  }

  get availableAt(): number {
    return this.slot.tracker.backoffUntil ?? 0;
  }

  get retrying(): boolean {
    return this.slot.tracker.state === "offline";
  }
}

/** Errors that mean the meter (or the way to it) is not there: reading its other blocks now is pointless. */
function unreachable(error: TransportError): boolean {
  return (
    error instanceof TimeoutError ||
    error instanceof ConnectFailedError ||
    error instanceof ConnectionLostError ||
    error instanceof PortNotFoundError ||
    error instanceof PermissionDeniedError ||
    error instanceof PortBusyError
  );
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof TransportError) return { code: error.code, message: error.message };
  const e = error as { code?: unknown; message?: unknown };
  return {
    code: typeof e?.code === "string" ? e.code : "POLL_E_INTERNAL",
    message: typeof e?.message === "string" ? e.message : String(error),
  };
}

export class Poller extends EventEmitter<PollerEvents> {
  private readonly clock: Clock;
  private readonly transports: TransportSet;
  private readonly ownsTransports: boolean;
  private readonly slots: MeterSlot[];
  /** Poll items grouped by transport (one RTU bus, or one TCP host:port). */
  private readonly lanes = new Map<string, { transport: Transport; items: PollItem[]; seq: number }>();
  private readonly rules: { offlineAfter: number; backoff: (n: number) => number };
  /** Longest a retry of an offline meter can hold the bus: every attempt timing out. */
  private readonly retryCostMs: number;
  private readonly retryMaxWaitMs: number;
  private abort: AbortController | undefined;
  private running: Promise<void>[] = [];
  private stopping = false;

  constructor(
    readonly site: Pick<ResolvedSite, "transport" | "pollClasses" | "meters">,
    private readonly options: PollerOptions = {},
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.ownsTransports = !options.transports;
    this.transports = options.transports ?? TransportSet.forSite(site);
    const initial = options.offlineBackoffMs ?? 5000;
    const max = options.offlineBackoffMaxMs ?? 300_000;
    const { responseTimeoutMs, retries } = site.transport;
    this.retryCostMs = responseTimeoutMs * (retries + 1);
    this.retryMaxWaitMs = options.offlineRetryMaxWaitMs ?? 10_000;
    this.rules = { offlineAfter: options.offlineAfter ?? 3, backoff: (n) => offlineBackoff(n, initial, max) };
    this.slots = site.meters.map((meter) => ({
      meter,
      tracker: new MeterHealthTracker(meter.id, meter.enabled, options.latencyWindow),
      lastServed: 0,
    }));
    for (const slot of this.slots) {
      if (!slot.meter.enabled) continue;
      const key = this.transports.keyOf(slot.meter);
      let lane = this.lanes.get(key);
      if (!lane) {
        const transport = this.transports.forMeter(slot.meter);
        lane = { transport, items: [], seq: 0 };
        this.lanes.set(key, lane);
      }
      for (const pollClass of pollClassesOf(slot.meter.profile)) {
        const intervalMs = site.pollClasses[pollClass]?.intervalMs ?? options.defaultIntervalMs ?? 60_000;
        lane.items.push(
          new PollItem(slot, pollClass, intervalMs, planMeter(slot.meter.profile, pollClass), 0),
        );
      }
    }
    for (const [key, lane] of this.lanes) this.countAttempts(lane.transport, key);
  }

  /** Starts polling: every poll class of every enabled meter is due at once, then every interval. */
  start(): void {
    if (this.abort) return;
    this.stopping = false;
    this.abort = new AbortController();
    const now = this.clock.now();
    for (const lane of this.lanes.values()) {
      for (const item of lane.items) item.dueAt = now;
      this.running.push(this.runLane(lane, this.abort.signal));
    }
  }

  /** Stops after the reads in flight and closes the transports the poller created. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort?.abort();
    await Promise.all(this.running);
    this.running = [];
    this.abort = undefined;
    if (this.ownsTransports) await this.transports.close();
  }

  health(): MeterHealth[] {
    return this.slots.map((slot) => slot.tracker.snapshot());
  }

  /** Blocks per meter and poll class, as planned from the profiles (for logs and diagnostics). */
  plan(): { meterId: string; pollClass: string; intervalMs: number; blocks: Block[] }[] {
    return [...this.lanes.values()].flatMap((lane) =>
      lane.items.map((item) => ({
        meterId: item.slot.meter.id,
        pollClass: item.pollClass,
        intervalMs: item.intervalMs,
        blocks: item.blocks,
      })),
    );
  }

  /**
   * Reads every block of every enabled meter once (buses one request at a time, TCP hosts in parallel) and
   * returns the samples; events are emitted as during start(). Offline backoff is ignored.
   */
  async pollOnce(): Promise<Sample[]> {
    const samples: Sample[] = [];
    const collect = (batch: Sample[]): void => void samples.push(...batch);
    this.on("samples", collect);
    try {
      await Promise.all(
        [...this.lanes.values()].map(async (lane) => {
          for (const item of lane.items) await this.read(item, lane);
        }),
      );
    } finally {
      this.off("samples", collect);
    }
    return samples;
  }

  /** Health counts every attempt on the wire, retries included, for the meter at that unit id. */
  private countAttempts(transport: Transport, laneKey: string): void {
    const byUnit = new Map<number, MeterHealthTracker>();
    for (const slot of this.slots) {
      if (slot.meter.enabled && this.transports.keyOf(slot.meter) === laneKey)
        byUnit.set(slot.meter.unitId, slot.tracker);
    }
    transport.onAttempt((event) => {
      if (!this.stopping) byUnit.get(event.unitId)?.attempt(event);
    });
  }

  private async runLane(
    lane: { transport: Transport; items: PollItem[]; seq: number },
    signal: AbortSignal,
  ): Promise<void> {
    while (!signal.aborted) {
      const now = this.clock.now();
      const item = pickNext(lane.items, now);
      if (!item) {
        const wake = nextWake(lane.items);
        await this.clock.sleep(Number.isFinite(wake) ? wake - now : 60_000, signal);
        continue;
      }
      if (item.retrying) {
        const wait = retryDelay(lane.items, item, now, this.retryCostMs, this.retryMaxWaitMs);
        if (wait > 0) {
          await this.clock.sleep(wait, signal);
          continue;
        }
      }
      const wasOffline = item.slot.tracker.state === "offline";
      await this.read(item, lane);
      if (signal.aborted) break;
      const { dueAt, missed } = nextDue(item.dueAt, item.intervalMs, this.clock.now());
      item.dueAt = dueAt;
      // Cycles an offline meter skipped are its backoff, not a busy bus.
      if (missed > 0 && !wasOffline) item.slot.tracker.missed(missed);
    }
  }

  /** Reads the blocks of one poll item; never throws. */
  private async read(item: PollItem, lane: { transport: Transport; seq: number }): Promise<void> {
    const { slot } = item;
    const { meter, tracker } = slot;
    slot.lastServed = ++lane.seq;
    for (const block of item.blocks) {
      if (this.stopping) return;
      let samples: Sample[];
      let at: number;
      try {
        const words = await lane.transport.read(meter.unitId, block.function, block.start, block.count);
        at = this.clock.now();
        samples = decodeBlock(block, words, meter.id, at);
      } catch (error) {
        if (this.stopping) return;
        const at = this.clock.now();
        const described = describeError(error);
        const from = tracker.failedRead(described, at, this.rules);
        this.emit("failure", {
          meterId: meter.id,
          pollClass: item.pollClass,
          block: { function: block.function, start: block.start, count: block.count },
          error: described,
          at,
        });
        if (from !== undefined)
          this.emit("state", { meterId: meter.id, from, to: "offline", at, error: described });
        if (!(error instanceof TransportError) || unreachable(error)) break;
        continue;
      }
      const from = tracker.goodRead(at);
      this.emit("samples", samples);
      if (from !== undefined) this.emit("state", { meterId: meter.id, from, to: "online", at });
    }
    this.emit("health", tracker.snapshot());
  }
}
