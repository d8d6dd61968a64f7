// Modbus RTU on one serial port: one request at a time whatever the number of meters, bus silence before
// each request, frames checked byte for byte (CRC, unit id, function, byte count) before any data is used.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { SerialPort } from "serialport";
import type { ResolvedRtuTransport } from "../model.js";
import { BaseTransport } from "./base-transport.js";
import { crcMatches, withCrc } from "./crc16.js";
import {
  ConnectionLostError,
  CrcError,
  InvalidResponseError,
  TimeoutError,
  TransportError,
} from "./errors/index.js";
import { describe, expectedResponseLength, parseResponse } from "./pdu.js";
import type { RequestShape } from "./pdu.js";
import { serialOpenError } from "./serial-errors.js";

export type RtuTransportOptions = Omit<ResolvedRtuTransport, "type"> & {
  /** First wait before opening the port again after a failure; doubles up to reopenDelayMaxMs. @default 1000 */
  reopenDelayMs?: number;
  /** @default 30000 */
  reopenDelayMaxMs?: number;
};

type Outcome = { words: number[] } | { error: TransportError } | undefined;

/** Bits on the wire per character: start bit, data bits, parity bit if any, stop bits. */
export function bitsPerCharacter(
  options: Pick<ResolvedRtuTransport, "dataBits" | "parity" | "stopBits">,
): number {
  return 1 + options.dataBits + (options.parity === "none" ? 0 : 1) + options.stopBits;
}

export class RtuTransport extends BaseTransport {
  readonly kind = "rtu" as const;
  readonly name: string;
  private port: SerialPort | undefined;
  private rx: Buffer = Buffer.alloc(0);
  private lastRxAt = 0;
  private lastTxAt = 0;
  private onBytes: (() => void) | undefined;
  private onLost: ((error: ConnectionLostError) => void) | undefined;
  /** The last exchange ended badly: bytes of it may still be on the line. */
  private dirty = false;
  private openFailures = 0;
  private nextOpenAt = 0;
  private lastOpenError: TransportError | undefined;

  constructor(private readonly settings: RtuTransportOptions) {
    super({ responseTimeoutMs: settings.responseTimeoutMs, retries: settings.retries });
    this.name = settings.port;
  }

  /** Milliseconds `bytes` take on the wire at the configured baud rate. */
  wireTimeMs(bytes: number): number {
    return (bytes * bitsPerCharacter(this.settings) * 1000) / this.settings.baudRate;
  }

  /** Opens the port now instead of at the first request, to report a wrong path or a busy port early. */
  async open(): Promise<void> {
    await this.queue.run(() => this.ensureOpen());
  }

  protected async exchange(pdu: Buffer, shape: RequestShape, timeoutMs: number): Promise<number[]> {
    const port = await this.ensureOpen();
    await this.waitForBus(timeoutMs);
    this.rx = Buffer.alloc(0);
    const frame = withCrc(Buffer.concat([Buffer.from([shape.unitId]), pdu]));
    const outcome = new Promise<number[]>((resolve, reject) => {
      let stray: number | undefined;
      // The response timeout runs from the moment the request has left the UART: its wire time later.
      // (Not from drain(): on a port that closes meanwhile, drain waits for a reopen that never comes.)
      const sendMs = this.wireTimeMs(frame.length);
      this.lastTxAt = performance.now() + sendMs;
      const timer = setTimeout(
        () => finish({ error: this.timeoutError(shape, timeoutMs, stray) }),
        timeoutMs + sendMs,
      );
      const finish = (result: Outcome): void => {
        if (!result) return;
        clearTimeout(timer);
        clearTimeout(settle);
        this.onBytes = undefined;
        this.onLost = undefined;
        if ("words" in result) resolve(result.words);
        else {
          this.dirty = true;
          reject(result.error);
        }
      };
      let settle: NodeJS.Timeout | undefined;
      const settleMs = Math.max(this.settings.interFrameDelayMs, 5);
      this.onBytes = () => {
        clearTimeout(settle);
        const result = this.parse(shape);
        if (result.stray !== undefined) stray = result.stray;
        if (result.badCrc) {
          settle = setTimeout(() => finish({ error: this.crcError(shape, stray) }), settleMs);
        } else finish(result.outcome);
      };
      this.onLost = (error) => finish({ error });
      port.write(frame, (error) => {
        if (error) finish({ error: new ConnectionLostError(`${this.name}: write failed: ${error.message}`) });
      });
    });
    return outcome;
  }

  protected async shutdown(): Promise<void> {
    this.onLost?.(new ConnectionLostError(`${this.name} is closed`));
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Frames the bytes received so far; skips whole frames of other units (a late answer to an earlier request). */
  private parse(shape: RequestShape): { outcome: Outcome; stray?: number; badCrc?: boolean } {
    let stray: number | undefined;
    for (;;) {
      const buffer = this.rx;
      if (buffer.length < 2) return { outcome: undefined, stray };
      const pduLength = expectedResponseLength(buffer.subarray(1), shape.functionCode);
      // An unknown function byte cannot be framed: wait for the timeout, which then judges the whole buffer.
      if (pduLength === undefined || pduLength === null) return { outcome: undefined, stray };
      const total = 1 + pduLength + 2;
      if (total > 256 || buffer.length < total) return { outcome: undefined, stray };
      const frame = buffer.subarray(0, total);
      if (!crcMatches(frame)) {
        // Either noise, or a frame whose byte count lies about its length: the caller judges the whole
        // answer once the line falls silent.
        return { outcome: undefined, stray, badCrc: true };
      }
      if (frame[0] !== shape.unitId) {
        stray = frame[0];
        this.rx = buffer.subarray(total);
        continue;
      }
      try {
        return { outcome: { words: parseResponse(frame.subarray(1, total - 2), shape, this.name) }, stray };
      } catch (error) {
        if (error instanceof TransportError) return { outcome: { error }, stray };
        throw error;
      }
    }
  }

  /** At the timeout, says the most precise thing about what did arrive. */
  private timeoutError(shape: RequestShape, timeoutMs: number, stray: number | undefined): TransportError {
    const context = describe(shape, this.name);
    if (this.rx.length > 0 && !crcMatches(this.rx)) {
      return new CrcError(
        `${context}: incomplete or garbled answer within ${timeoutMs} ms (${hex(this.rx)})`,
      );
    }
    return this.judge(shape, stray) ?? new TimeoutError(`${context}: no answer within ${timeoutMs} ms`);
  }

  /** Once the line fell quiet after a frame that failed its CRC. */
  private crcError(shape: RequestShape, stray: number | undefined): TransportError {
    if (crcMatches(this.rx)) return this.judge(shape, stray)!;
    return new CrcError(`${describe(shape, this.name)}: CRC error in the answer (${hex(this.rx)})`);
  }

  /**
   * Judges a quiet line: a whole frame whose length disagrees with its own byte count or function, or
   * an answer that came from another unit; undefined when nothing arrived.
   */
  private judge(shape: RequestShape, stray: number | undefined): TransportError | undefined {
    const context = describe(shape, this.name);
    const buffer = this.rx;
    if (buffer.length >= 4 && crcMatches(buffer)) {
      if (buffer[0] !== shape.unitId) {
        return new InvalidResponseError("unit-id", `${context}: the answer came from unit ${buffer[0]}`);
      }
      try {
        parseResponse(buffer.subarray(1, buffer.length - 2), shape, this.name);
      } catch (error) {
        if (error instanceof TransportError) return error;
      }
      return new InvalidResponseError("length", `${context}: malformed answer (${hex(buffer)})`);
    }
    if (stray !== undefined) {
      return new InvalidResponseError(
        "unit-id",
        `${context}: the answer came from unit ${stray}, not ${shape.unitId}`,
      );
    }
    return undefined;
  }

  /** Waits for the turnaround delay and the inter-frame silence; after an error, for the line to fall quiet. */
  private async waitForBus(timeoutMs: number): Promise<void> {
    const { interFrameDelayMs, turnaroundDelayMs } = this.settings;
    const quietMs = this.dirty ? Math.max(interFrameDelayMs, 20) : interFrameDelayMs;
    const giveUpAt = performance.now() + timeoutMs;
    for (;;) {
      const now = performance.now();
      const readyAt = Math.max(
        this.lastRxAt + Math.max(quietMs, turnaroundDelayMs),
        this.lastTxAt + interFrameDelayMs,
      );
      if (now >= readyAt || now >= giveUpAt) break;
      // Timers fire a millisecond or two late; at 9600 baud that is bus time lost on every request, so
      // the last millisecond is waited out on the event loop's check phase instead.
      if (readyAt - now > 1) await sleep(readyAt - now - 1);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.dirty = false;
  }

  private async ensureOpen(): Promise<SerialPort> {
    if (this.closed) throw new ConnectionLostError(`${this.name} is closed`);
    if (this.port?.isOpen) return this.port;
    if (this.lastOpenError && performance.now() < this.nextOpenAt) throw this.lastOpenError;
    const { port: path, baudRate, parity, dataBits, stopBits } = this.settings;
    const port = new SerialPort({
      path,
      baudRate,
      parity,
      dataBits: dataBits as 5 | 6 | 7 | 8,
      stopBits: stopBits as 1 | 2,
      autoOpen: false,
      lock: true,
    });
    try {
      await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      this.openFailures++;
      const base = this.settings.reopenDelayMs ?? 1000;
      const max = this.settings.reopenDelayMaxMs ?? 30_000;
      this.nextOpenAt = performance.now() + Math.min(max, base * 2 ** (this.openFailures - 1));
      this.lastOpenError = serialOpenError(path, error);
      throw this.lastOpenError;
    }
    this.openFailures = 0;
    this.lastOpenError = undefined;
    // Errors also arrive as "close" with a disconnect; without this listener an "error" event would crash.
    port.on("error", () => undefined);
    port.on("data", (chunk: Buffer) => {
      this.lastRxAt = performance.now();
      this.rx = this.rx.length === 0 ? chunk : Buffer.concat([this.rx, chunk]);
      if (this.rx.length > 4096) this.rx = this.rx.subarray(-512);
      this.onBytes?.();
    });
    port.on("close", () => {
      if (this.port === port) this.port = undefined;
      this.onLost?.(new ConnectionLostError(`serial port ${path} was closed or unplugged`));
    });
    this.port = port;
    return port;
  }
}

function hex(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, 16))
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");
  return bytes.length > 16 ? `${shown} … ${bytes.length} bytes` : shown;
}
