// Pure scheduling rules: drift-free due times, which due read goes next on a bus, offline backoff.

/**
 * The next due time after a read that was due at `dueAt`: one interval later, never `now + interval`, so
 * the schedule does not drift. When the bus is so late that whole intervals passed, those cycles are
 * skipped (not read in a burst) and counted as missed.
 */
export function nextDue(dueAt: number, intervalMs: number, now: number): { dueAt: number; missed: number } {
  let next = dueAt + intervalMs;
  let missed = 0;
  if (now - next >= intervalMs) {
    missed = Math.floor((now - next) / intervalMs);
    next += missed * intervalMs;
  }
  return { dueAt: next, missed };
}

export interface Schedulable {
  dueAt: number;
  priority: number;
  /** Interval of the item's poll class: among equal priorities, the more frequent class goes first. */
  intervalMs: number;
  /** When this item's meter was last served on its bus (a sequence number; lower = longer ago). */
  lastServed: number;
  /** The item's meter is backed off until then (epoch ms). */
  availableAt: number;
  /** The item's meter is offline: its read is a retry, served after the reads of meters that answer. */
  retrying: boolean;
}

/** Negative when `a` should be read before `b`. */
function compare(a: Schedulable, b: Schedulable): number {
  return (
    Number(a.retrying) - Number(b.retrying) ||
    b.priority - a.priority ||
    a.intervalMs - b.intervalMs ||
    a.lastServed - b.lastServed ||
    a.dueAt - b.dueAt
  );
}

/**
 * The due item to read next: meters that answer before retries of offline meters (so a dead meter
 * cannot push the live ones off their schedule); then highest priority; then the shorter poll class
 * interval (rate-monotonic: a 2 s class is not held up behind 15 s reads); among equals the meter
 * served longest ago (round robin, so 32 meters on one bus share it fairly); then the one due earliest.
 */
export function pickNext<T extends Schedulable>(items: readonly T[], now: number): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (item.dueAt > now || item.availableAt > now) continue;
    if (!best || compare(item, best) < 0) best = item;
  }
  return best;
}

/**
 * How long a retry of an offline meter must wait before it may take the bus for up to `costMs` (its
 * timeouts and retries): it starts only in a gap before the next read of a meter that answers, so dead
 * meters cannot push live ones off their schedule — unless it already waited `maxWaitMs` for a gap
 * (a saturated bus would otherwise never retry). 0 means now.
 */
export function retryDelay(
  items: readonly Schedulable[],
  retry: Schedulable,
  now: number,
  costMs: number,
  maxWaitMs: number,
): number {
  if (now - Math.max(retry.dueAt, retry.availableAt) >= maxWaitMs) return 0;
  let next = Infinity;
  for (const item of items) if (!item.retrying) next = Math.min(next, Math.max(item.dueAt, item.availableAt));
  return next - now >= costMs ? 0 : Math.max(0, next - now);
}

/** When the next item becomes due (or available), for sleeping until then. */
export function nextWake(items: readonly Schedulable[]): number {
  let wake = Infinity;
  for (const item of items) wake = Math.min(wake, Math.max(item.dueAt, item.availableAt));
  return wake;
}

/** Backoff of an offline meter after its n-th failed retry (n ≥ 1): initial, doubling, capped. */
export function offlineBackoff(n: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, n - 1));
}
