// Virtual time for scheduling tests: reads take real time, but once every lane sleeps, time jumps to
// the earliest wake-up. Hours of schedule run in seconds, and lateness shows exactly as it would.
import type { Clock } from "../../engine/poller/index.js";

export class WarpClock implements Clock {
  private offset = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];

  /** `participants`: how many loops sleep on this clock (the poller's lanes). */
  constructor(private readonly participants: number) {}

  now(): number {
    return Date.now() + this.offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const entry = { at: this.now() + Math.max(0, ms), resolve };
      this.sleepers.push(entry);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== entry);
          resolve();
        },
        { once: true },
      );
      setImmediate(() => this.advance());
    });
  }

  private advance(): void {
    if (this.sleepers.length < this.participants) return;
    const earliest = Math.min(...this.sleepers.map((s) => s.at));
    const now = this.now();
    if (earliest > now) this.offset += earliest - now;
    const due = this.sleepers.filter((s) => s.at <= this.now());
    this.sleepers = this.sleepers.filter((s) => s.at > this.now());
    for (const sleeper of due) sleeper.resolve();
  }
}
