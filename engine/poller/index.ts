// The poll engine: schedule, health and sample events. See docs/polling.md.
export { Poller } from "./poller.js";
export type { PollerEvents, PollerOptions, ReadFailure, StateChange } from "./poller.js";
export { systemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { nextDue, pickNext, nextWake, offlineBackoff, retryDelay } from "./schedule.js";
export { LatencyWindow } from "./latency-window.js";
export { logPollerEvents, healthSummary } from "./logging.js";
export type { PollLogger, PollLoggingOptions } from "./logging.js";
