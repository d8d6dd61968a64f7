// The dashboard's picture of now: the latest value of every quantity of every meter, its health and a
// status badge, kept from the LiveSource's events. It reports what changed (for the WebSocket fan-out) and,
// when there is no store, keeps a coarse last hour in memory so the chart still works.
import { EventEmitter } from "node:events";
import type { MeterHealth, Quality, ResolvedMeter, ResolvedSite, Sample } from "../model.js";
import { MemoryHistory } from "./memory-history.js";
import type { LiveSource } from "./sources.js";

/** A value as the dashboard sends it: value, quality, timestamp (epoch ms). */
export interface WireValue {
  v: number | string | null;
  q: Quality;
  t: number;
}

/** online: answering; stale: no answer for 3 poll intervals; offline: the poller gave up for now. */
export type MeterStatus = "online" | "offline" | "stale" | "disabled" | "unknown";

export interface MeterLive {
  id: string;
  status: MeterStatus;
  /** Epoch ms of the newest sample, or null. */
  lastUpdate: number | null;
  values: Record<string, WireValue>;
  health: MeterHealth | null;
}

/** What changed on one meter since the last report; absent fields did not change. */
export interface MeterDelta {
  status?: MeterStatus;
  lastUpdate?: number;
  values?: Record<string, WireValue>;
  health?: MeterHealth;
}

export interface LiveStateOptions {
  /** Keep a last hour in memory for charts (when there is no HistorySource). @default false */
  memoryHistory?: boolean;
  /** How often statuses are re-evaluated (a meter turns stale without any event). @default 1000 */
  statusCheckMs?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface MeterEntry {
  meter: ResolvedMeter;
  staleAfterMs: number;
  live: MeterLive;
  healthJson: string;
}

/** A meter is stale after missing this many reads of its fastest poll class. */
const STALE_AFTER_READS = 3;
const MIN_STALE_AFTER_MS = 5_000;

/** Emits "change"(meterId: string, delta: MeterDelta). */
export class LiveState extends EventEmitter {
  readonly history: MemoryHistory | undefined;
  private readonly entries = new Map<string, MeterEntry>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private readonly onSamples = (samples: Sample[]): void => this.addSamples(samples);
  private readonly onHealth = (health: MeterHealth): void => this.setHealth(health);
  /** Samples for meters the site does not know (a sign of a wiring mistake). */
  unknownSamples = 0;

  constructor(
    site: ResolvedSite,
    private readonly source: LiveSource,
    options: LiveStateOptions = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.history = options.memoryHistory ? new MemoryHistory() : undefined;
    this.setSite(site);
    for (const health of source.health()) this.setHealth(health);
    source.on("samples", this.onSamples);
    source.on("health", this.onHealth);
    this.timer = setInterval(() => this.checkStatuses(), options.statusCheckMs ?? 1000);
    this.timer.unref();
  }

  /** Follows a changed site (renamed meters, new poll intervals, meters added or removed). */
  setSite(site: ResolvedSite): void {
    const ids = new Set(site.meters.map((m) => m.id));
    for (const id of this.entries.keys()) if (!ids.has(id)) this.entries.delete(id);
    for (const meter of site.meters) {
      const staleAfterMs = staleAfter(site, meter);
      const entry = this.entries.get(meter.id);
      if (entry) {
        entry.meter = meter;
        entry.staleAfterMs = staleAfterMs;
      } else {
        this.entries.set(meter.id, {
          meter,
          staleAfterMs,
          live: { id: meter.id, status: "unknown", lastUpdate: null, values: {}, health: null },
          healthJson: "",
        });
      }
    }
    this.checkStatuses();
  }

  meters(): MeterLive[] {
    return [...this.entries.values()].map((e) => e.live);
  }

  meter(id: string): MeterLive | undefined {
    return this.entries.get(id)?.live;
  }

  close(): void {
    clearInterval(this.timer);
    this.source.off("samples", this.onSamples);
    this.source.off("health", this.onHealth);
  }

  private addSamples(samples: Sample[]): void {
    const deltas = new Map<string, MeterDelta>();
    for (const s of samples) {
      const entry = this.entries.get(s.meterId);
      if (!entry) {
        this.unknownSamples++;
        continue;
      }
      const live = entry.live;
      const old = live.values[s.quantity];
      const value: WireValue = { v: s.value, q: s.quality, t: s.timestamp };
      live.values[s.quantity] = value;
      let delta = deltas.get(s.meterId);
      if (!delta) deltas.set(s.meterId, (delta = {}));
      if (!old || old.v !== value.v || old.q !== value.q) (delta.values ??= {})[s.quantity] = value;
      if (live.lastUpdate === null || s.timestamp > live.lastUpdate) {
        live.lastUpdate = s.timestamp;
        delta.lastUpdate = s.timestamp;
      }
      if (this.history && typeof s.value === "number" && s.quality === "good") {
        this.history.add(s.meterId, s.quantity, s.timestamp, s.value);
      }
    }
    for (const [id, delta] of deltas) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      const status = this.statusOf(entry);
      if (status !== entry.live.status) delta.status = entry.live.status = status;
      if (delta.values || delta.lastUpdate !== undefined || delta.status) this.emit("change", id, delta);
    }
  }

  private setHealth(health: MeterHealth): void {
    const entry = this.entries.get(health.meterId);
    if (!entry) return;
    const json = JSON.stringify(health);
    if (json === entry.healthJson) return;
    entry.healthJson = json;
    entry.live.health = { ...health };
    const delta: MeterDelta = { health: entry.live.health };
    const status = this.statusOf(entry);
    if (status !== entry.live.status) delta.status = entry.live.status = status;
    this.emit("change", health.meterId, delta);
  }

  private checkStatuses(): void {
    for (const [id, entry] of this.entries) {
      const status = this.statusOf(entry);
      if (status === entry.live.status) continue;
      entry.live.status = status;
      this.emit("change", id, { status });
    }
  }

  private statusOf(entry: MeterEntry): MeterStatus {
    const state = entry.live.health?.state;
    if (!entry.meter.enabled || state === "disabled") return "disabled";
    if (state === "offline") return "offline";
    const last = entry.live.lastUpdate;
    if (last === null) return state === "online" ? "online" : "unknown";
    return this.now() - last > entry.staleAfterMs ? "stale" : "online";
  }
}

/** 3 reads of the meter's fastest poll class, at least 5 s. */
export function staleAfter(site: ResolvedSite, meter: ResolvedMeter): number {
  let fastest = Infinity;
  for (const reg of meter.profile.registers) {
    const interval = site.pollClasses[reg.pollClass]?.intervalMs;
    if (interval !== undefined && interval < fastest) fastest = interval;
  }
  if (!Number.isFinite(fastest)) fastest = 2_000;
  return Math.max(MIN_STALE_AFTER_MS, STALE_AFTER_READS * fastest);
}
