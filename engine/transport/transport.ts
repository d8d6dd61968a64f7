// The one interface both transports implement, and the attempt events the poller counts health from.
import type { RegisterFunction } from "../model.js";
import type { TransportError } from "./errors/index.js";

/** One try of one request on the wire (a retry is a second attempt). */
export interface AttemptEvent {
  unitId: number;
  operation: "read" | "write";
  /** Register function of a read; undefined for writes. */
  function?: RegisterFunction;
  start: number;
  count: number;
  /** 0 for the first try, 1 for the first retry, … */
  retry: number;
  /** From sending the request to the answer (or the error). */
  latencyMs: number;
  /** Set when the attempt failed. */
  error?: TransportError;
  /** Epoch ms when the attempt ended: for a good read, when the answer arrived. */
  at: number;
}

export type AttemptListener = (event: AttemptEvent) => void;

export interface Transport {
  readonly kind: "rtu" | "tcp";
  /** The serial device, or host:port. */
  readonly name: string;
  /**
   * Reads `count` (1–125) registers. Resolves with exactly `count` 16-bit words, or rejects with a
   * TransportError after the configured retries. `timeoutMs` overrides the response timeout.
   */
  read(
    unitId: number,
    fn: RegisterFunction,
    start: number,
    count: number,
    timeoutMs?: number,
  ): Promise<number[]>;
  /** Writes holding registers with function 16 (write multiple registers). */
  writeRegisters(unitId: number, start: number, values: readonly number[], timeoutMs?: number): Promise<void>;
  /** Closes the port or connection; pending and later requests reject with ConnectionLostError. */
  close(): Promise<void>;
  /** Calls `listener` after every attempt; returns the function that removes it. */
  onAttempt(listener: AttemptListener): () => void;
}
