// What an answer means for an outbox entry, and how long to wait before the next attempt.

export type Verdict = "sent" | "retry" | "reject";

/**
 * success: one of upload.successStatus, or any 2xx when that list is empty. retry: 408, 429 and 5xx
 * (the API may recover). reject (park): every other status — resending the same request cannot help.
 */
export function verdictFor(status: number, successStatus: readonly number[]): Verdict {
  if (successStatus.length > 0 ? successStatus.includes(status) : status >= 200 && status < 300)
    return "sent";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "reject";
}

/** Longest Retry-After honoured; a larger value is clamped so a bad header cannot stop uploads for days. */
export const RETRY_AFTER_MAX_MS = 3_600_000;

/** Retry-After as delta-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = /^\s*(\d+)\s*$/.exec(value);
  const ms = seconds ? Number(seconds[1]) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}

/**
 * Wait before attempt number `failures + 1`: retryDelay × 2^(failures − 1), capped at retryDelayMax, with
 * "equal jitter" (between half and all of it) so many gateways recovering together do not retry in lockstep.
 */
export function backoffMs(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 30);
  const capped = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(capped / 2 + random() * (capped / 2));
}
