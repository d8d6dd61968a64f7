// Per-meter health: counters from every transport attempt, the online/offline state and its backoff.
import type { MeterHealth, MeterState } from "../model.js";
import {
  ConnectFailedError,
  ConnectionLostError,
  CrcError,
  InvalidResponseError,
  ModbusExceptionError,
  PermissionDeniedError,
  PortBusyError,
  PortNotFoundError,
  TimeoutError,
} from "../transport/index.js";
import type { AttemptEvent } from "../transport/index.js";
import { LatencyWindow } from "./latency-window.js";

export class MeterHealthTracker {
  private readonly health: MeterHealth;
  private readonly latency: LatencyWindow;
  /** Failed retries since the meter went offline, for the backoff. */
  offlineRetries = 0;

  constructor(meterId: string, enabled: boolean, latencyWindow = 100) {
    this.latency = new LatencyWindow(latencyWindow);
    this.health = {
      meterId,
      state: enabled ? "unknown" : "disabled",
      requests: 0,
      responses: 0,
      timeouts: 0,
      crcErrors: 0,
      exceptions: 0,
      connectionErrors: 0,
      invalidResponses: 0,
      consecutiveFailures: 0,
      lastGoodRead: null,
      lastError: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
      backoffUntil: null,
      missedCycles: 0,
    };
  }

  get state(): MeterState {
    return this.health.state;
  }

  get consecutiveFailures(): number {
    return this.health.consecutiveFailures;
  }

  get backoffUntil(): number | null {
    return this.health.backoffUntil;
  }

  /** Counts one attempt on the wire (retries included). */
  attempt(event: AttemptEvent): void {
    const h = this.health;
    h.requests++;
    const error = event.error;
    if (!error) {
      h.responses++;
      this.latency.add(event.latencyMs);
      h.latencyP50Ms = this.latency.percentile(50);
      h.latencyP95Ms = this.latency.percentile(95);
    } else if (error instanceof TimeoutError) h.timeouts++;
    else if (error instanceof CrcError) h.crcErrors++;
    else if (error instanceof ModbusExceptionError) {
      // The meter did answer, with an exception.
      h.responses++;
      h.exceptions++;
    } else if (error instanceof InvalidResponseError) h.invalidResponses++;
    else if (
      error instanceof ConnectFailedError ||
      error instanceof ConnectionLostError ||
      error instanceof PortNotFoundError ||
      error instanceof PermissionDeniedError ||
      error instanceof PortBusyError
    ) {
      h.connectionErrors++;
    }
  }

  /** A block was read and decoded. Returns the previous state when the meter came back online. */
  goodRead(at: number): MeterState | undefined {
    const h = this.health;
    h.lastGoodRead = at;
    h.consecutiveFailures = 0;
    this.offlineRetries = 0;
    h.backoffUntil = null;
    if (h.state === "online") return undefined;
    const from = h.state;
    h.state = "online";
    return from;
  }

  /**
   * A block read failed after its retries. After `offlineAfter` failures in a row the meter goes offline
   * and is retried after a backoff. Returns the previous state when the state changed.
   */
  failedRead(
    error: { code: string; message: string },
    at: number,
    rules: { offlineAfter: number; backoff: (n: number) => number },
  ): MeterState | undefined {
    const h = this.health;
    h.consecutiveFailures++;
    h.lastError = { code: error.code, message: error.message, at };
    if (h.state === "offline") {
      this.offlineRetries++;
      h.backoffUntil = at + rules.backoff(this.offlineRetries + 1);
      return undefined;
    }
    if (h.consecutiveFailures < rules.offlineAfter) return undefined;
    const from = h.state;
    h.state = "offline";
    this.offlineRetries = 0;
    h.backoffUntil = at + rules.backoff(1);
    return from;
  }

  missed(cycles: number): void {
    this.health.missedCycles = (this.health.missedCycles ?? 0) + cycles;
  }

  snapshot(): MeterHealth {
    return { ...this.health, lastError: this.health.lastError && { ...this.health.lastError } };
  }
}
