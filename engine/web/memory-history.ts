// A coarse last hour of every numeric quantity, in fixed-size rings, for the chart when the gateway runs
// without a store. One point per resolution step keeps it small: 360 points per series at 10 s.

export interface MemoryHistoryOptions {
  /** @default 3_600_000 (one hour) */
  windowMs?: number;
  /** Minimum time between two kept points of one series. @default 10_000 */
  resolutionMs?: number;
}

class Ring {
  private readonly t: Float64Array;
  private readonly v: Float64Array;
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  last(): number | undefined {
    return this.length === 0 ? undefined : this.t[(this.start + this.length - 1) % this.capacity];
  }

  push(t: number, v: number): void {
    const i = (this.start + this.length) % this.capacity;
    this.t[i] = t;
    this.v[i] = v;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
  }

  since(since: number): [number, number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < this.length; k++) {
      const i = (this.start + k) % this.capacity;
      const t = this.t[i] ?? 0;
      if (t >= since) out.push([t, this.v[i] ?? 0]);
    }
    return out;
  }
}

export class MemoryHistory {
  readonly windowMs: number;
  readonly resolutionMs: number;
  private readonly rings = new Map<string, Ring>();

  constructor(options: MemoryHistoryOptions = {}) {
    this.windowMs = options.windowMs ?? 3_600_000;
    this.resolutionMs = options.resolutionMs ?? 10_000;
  }

  add(meterId: string, quantity: string, t: number, v: number): void {
    const key = meterId + "\u0000" + quantity;
    let ring = this.rings.get(key);
    if (!ring) this.rings.set(key, (ring = new Ring(Math.ceil(this.windowMs / this.resolutionMs) + 1)));
    const last = ring.last();
    if (last !== undefined && t - last < this.resolutionMs) return;
    ring.push(t, v);
  }

  /** Points [t, v] with t >= since, oldest first. */
  since(meterId: string, quantity: string, since: number): [number, number][] {
    return this.rings.get(meterId + "\u0000" + quantity)?.since(since) ?? [];
  }
}
