// What RTU and TCP share: the request queue, retries and attempt events. Subclasses do one exchange.
import { performance } from "node:perf_hooks";
import type { RegisterFunction } from "../model.js";
import { ConnectionLostError, CrcError, TimeoutError, TransportError } from "./errors/index.js";
import { FUNCTION_CODE, WRITE_MULTIPLE_REGISTERS, checkUnitId, readRequest, writeRequest } from "./pdu.js";
import type { RequestShape } from "./pdu.js";
import { SerialQueue } from "./serial-queue.js";
import type { AttemptEvent, AttemptListener, Transport } from "./transport.js";

export interface BaseTransportOptions {
  responseTimeoutMs: number;
  /** Extra attempts after a timeout, CRC error or lost connection. */
  retries: number;
}

/** Errors after which asking again can help; an exception or a wrong answer will be the same next time. */
export function isRetryable(error: TransportError): boolean {
  return error instanceof TimeoutError || error instanceof CrcError || error instanceof ConnectionLostError;
}

export abstract class BaseTransport implements Transport {
  abstract readonly kind: "rtu" | "tcp";
  abstract readonly name: string;
  protected readonly queue = new SerialQueue();
  protected closed = false;
  private readonly listeners = new Set<AttemptListener>();

  constructor(protected readonly options: BaseTransportOptions) {}

  /** One request on the wire: send the PDU to `shape.unitId` and return the checked registers. */
  protected abstract exchange(pdu: Buffer, shape: RequestShape, timeoutMs: number): Promise<number[]>;

  protected abstract shutdown(): Promise<void>;

  onAttempt(listener: AttemptListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  read(
    unitId: number,
    fn: RegisterFunction,
    start: number,
    count: number,
    timeoutMs?: number,
  ): Promise<number[]> {
    checkUnitId(unitId);
    const pdu = readRequest(fn, start, count);
    const shape = { unitId, functionCode: FUNCTION_CODE[fn], start, count };
    return this.request(pdu, shape, timeoutMs, { unitId, operation: "read", function: fn, start, count });
  }

  async writeRegisters(
    unitId: number,
    start: number,
    values: readonly number[],
    timeoutMs?: number,
  ): Promise<void> {
    checkUnitId(unitId);
    const pdu = writeRequest(start, values);
    const shape = { unitId, functionCode: WRITE_MULTIPLE_REGISTERS, start, count: values.length };
    await this.request(pdu, shape, timeoutMs, { unitId, operation: "write", start, count: values.length });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shutdown();
  }

  private request(
    pdu: Buffer,
    shape: RequestShape,
    timeoutMs: number | undefined,
    event: Pick<AttemptEvent, "unitId" | "operation" | "function" | "start" | "count">,
  ): Promise<number[]> {
    const timeout = timeoutMs ?? this.options.responseTimeoutMs;
    return this.queue.run(async () => {
      for (let retry = 0; ; retry++) {
        if (this.closed) throw new ConnectionLostError(`${this.name} is closed`);
        const started = performance.now();
        try {
          const words = await this.exchange(pdu, shape, timeout);
          this.emit({ ...event, retry, latencyMs: performance.now() - started, at: Date.now() });
          return words;
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          this.emit({ ...event, retry, latencyMs: performance.now() - started, error, at: Date.now() });
          if (retry >= this.options.retries || !isRetryable(error) || this.closed) throw error;
        }
      }
    });
  }

  private emit(event: AttemptEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
