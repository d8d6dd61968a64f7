// The dashboard subscribes once; the poller behind it may be replaced (a config change rebuilds it).
// The relay forwards the current poller's events and answers health() from it.
import { EventEmitter } from "node:events";
import type { MeterHealth } from "../model.js";
import type { Poller, PollerEvents } from "../poller/index.js";

const FORWARDED = ["samples", "health", "state", "failure"] as const;

export class LiveRelay extends EventEmitter<PollerEvents> {
  private poller: Poller | undefined;
  private detach: (() => void) | undefined;

  /** Follows `poller` from now on (and stops following the previous one). */
  follow(poller: Poller): void {
    this.detach?.();
    this.poller = poller;
    const handlers = FORWARDED.map((event) => {
      const handler = (...args: unknown[]): boolean => this.emit(event, ...(args as [never]));
      poller.on(event, handler);
      return () => poller.off(event, handler);
    });
    this.detach = () => handlers.forEach((off) => off());
    for (const health of poller.health()) this.emit("health", health);
  }

  health(): MeterHealth[] {
    return this.poller?.health() ?? [];
  }
}
