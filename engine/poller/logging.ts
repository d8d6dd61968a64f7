// What `ampx run` logs about polling: samples, failures when they start or change, state changes, and a
// periodic health summary. Usable with any pino-like logger.
import type { MeterHealth, Sample } from "../model.js";
import type { Poller } from "./poller.js";

/** The log calls used here; pino's Logger fits. */
export interface PollLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface PollLoggingOptions {
  /** Log every sample batch (one line per block read). @default true */
  samples?: boolean;
  /** Log a health summary of every meter this often; 0 = never. @default 60000 */
  healthEveryMs?: number;
}

function values(samples: Sample[]): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const s of samples) {
    const value = typeof s.value === "number" ? Number(s.value.toPrecision(7)) : s.value;
    out[s.quantity] = s.quality === "good" ? value : `${String(value)} (${s.quality})`;
  }
  return out;
}

function summary(h: MeterHealth): object {
  return {
    meter: h.meterId,
    state: h.state,
    requests: h.requests,
    responses: h.responses,
    timeouts: h.timeouts,
    crcErrors: h.crcErrors,
    exceptions: h.exceptions,
    invalidResponses: h.invalidResponses,
    connectionErrors: h.connectionErrors,
    missedCycles: h.missedCycles ?? 0,
    latencyP50Ms: h.latencyP50Ms,
    latencyP95Ms: h.latencyP95Ms,
    lastGoodRead: h.lastGoodRead === null ? null : new Date(h.lastGoodRead).toISOString(),
  };
}

/** Subscribes `logger` to the poller's events; returns the function that unsubscribes. */
export function logPollerEvents(
  poller: Poller,
  logger: PollLogger,
  options: PollLoggingOptions = {},
): () => void {
  const lastFailure = new Map<string, string>();
  const onSamples = (samples: Sample[]): void => {
    const meter = samples[0]?.meterId;
    if (meter === undefined) return;
    lastFailure.delete(meter);
    if (options.samples !== false) logger.info({ meter, values: values(samples) }, "samples");
  };
  const onFailure: Parameters<typeof poller.on<"failure">>[1] = (failure) => {
    // A failing meter fails every cycle: log when it starts failing or the error changes, then quietly count.
    const key = failure.error.code;
    if (lastFailure.get(failure.meterId) === key) {
      logger.debug({ meter: failure.meterId, code: key, error: failure.error.message }, "read failed again");
      return;
    }
    lastFailure.set(failure.meterId, key);
    logger.warn({ meter: failure.meterId, code: key, error: failure.error.message }, "read failed");
  };
  const onState: Parameters<typeof poller.on<"state">>[1] = (change) => {
    const health = poller.health().find((h) => h.meterId === change.meterId);
    if (change.to === "offline") {
      logger.warn(
        {
          meter: change.meterId,
          code: change.error?.code,
          error: change.error?.message,
          retryAt: health?.backoffUntil ? new Date(health.backoffUntil).toISOString() : undefined,
        },
        "meter offline",
      );
    } else logger.info({ meter: change.meterId, was: change.from }, "meter online");
  };
  poller.on("samples", onSamples);
  poller.on("failure", onFailure);
  poller.on("state", onState);
  const every = options.healthEveryMs ?? 60_000;
  const timer =
    every > 0
      ? setInterval(() => {
          for (const h of poller.health()) logger.info(summary(h), "health");
        }, every)
      : undefined;
  timer?.unref();
  return () => {
    clearInterval(timer);
    poller.off("samples", onSamples);
    poller.off("failure", onFailure);
    poller.off("state", onState);
  };
}

export { summary as healthSummary };
