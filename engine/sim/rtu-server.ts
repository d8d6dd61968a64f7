// A Modbus RTU server for the simulated meters of one RS485 bus, on a serial device (a real port
// or one end of a socat pseudo-terminal pair). One frame at a time on the bus; with wire-time
// emulation each reply leaves when it would have finished on a real wire at the bus's baud rate.
import { performance } from "node:perf_hooks";
import { SerialPort } from "serialport";
import type { SimEvent, SimEventListener } from "./events.js";
import { encodeRtu, RtuFrameDetector } from "./rtu-frame.js";
import type { SimulatedMeter } from "./simulated-meter.js";
import { frameSilenceMs, frameTimeMs, type SerialSettings } from "./wire-time.js";
import { sleep } from "./tcp-server.js";

export interface SimRtuServerOptions {
  /** Serial device, e.g. /dev/ttyUSB0 or one end of a socat pty pair. */
  path: string;
  serial: Required<SerialSettings>;
  meters: SimulatedMeter[];
  /**
   * Delay every reply by the request's and the reply's time on the wire plus the turnaround, and
   * keep the bus busy meanwhile, so that bus timing can be measured on a pty. @default true
   */
  wireTime?: boolean;
  /** The meter's think time between request and reply (wire-time emulation only). @default 3.5 character times */
  turnaroundMs?: number;
  /** Line silence that ends a frame of unknown length. @default frameSilenceMs(serial) */
  silenceMs?: number;
  onEvent?: SimEventListener;
}

interface Arrival {
  frame: Buffer;
  /** performance.now() when the frame was complete. */
  at: number;
}

/** The serial device could not be opened (missing, busy, permission denied). */
export class SerialOpenError extends Error {
  override name = "SerialOpenError" as const;
  readonly code = "SIM_E_SERIAL_OPEN";
}

export class SimRtuServer {
  private readonly port: SerialPort;
  private readonly byUnit = new Map<number, SimulatedMeter>();
  private readonly detector: RtuFrameDetector;
  private readonly arrivals: Arrival[] = [];
  private pumping = false;
  private closed = false;
  /** performance.now() at which the emulated bus is free again. */
  private busFreeAt = 0;
  readonly wireTime: boolean;
  readonly turnaroundMs: number;

  constructor(private readonly options: SimRtuServerOptions) {
    for (const meter of options.meters) this.byUnit.set(meter.unitId, meter);
    this.wireTime = options.wireTime ?? true;
    this.turnaroundMs = options.turnaroundMs ?? 3.5 * frameTimeMs(1, options.serial);
    this.port = new SerialPort({
      path: options.path,
      baudRate: options.serial.baudRate,
      parity: options.serial.parity,
      dataBits: options.serial.dataBits as 8 | 7,
      stopBits: options.serial.stopBits as 1 | 2,
      autoOpen: false,
    });
    this.detector = new RtuFrameDetector({
      silenceMs: options.silenceMs ?? frameSilenceMs(options.serial),
      onFrame: (frame) => this.enqueue(frame),
      onDiscard: (bytes, reason) =>
        this.emit({ type: "discard", transport: "rtu", bytes: bytes.length, reason, at: Date.now() }),
    });
  }

  get path(): string {
    return this.options.path;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.open((error) => {
        if (error) {
          reject(new SerialOpenError(`cannot open ${this.options.path}: ${error.message}`, { cause: error }));
          return;
        }
        this.port.on("data", (chunk: Buffer) => this.detector.push(chunk));
        this.port.on("error", (e: Error) => this.emit({ type: "error", message: e.message, at: Date.now() }));
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.detector.close();
    return new Promise((resolve) => {
      if (!this.port.isOpen) resolve();
      else this.port.close(() => resolve());
    });
  }

  private emit(event: SimEvent): void {
    this.options.onEvent?.(event);
  }

  private enqueue(frame: Buffer): void {
    this.arrivals.push({ frame, at: performance.now() });
    if (!this.pumping) void this.pump();
  }

  /** Serves queued frames one at a time: the bus carries one transaction at a time. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (
        let next = this.arrivals.shift();
        next !== undefined && !this.closed;
        next = this.arrivals.shift()
      ) {
        await this.serve(next);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async serve({ frame, at }: Arrival): Promise<void> {
    const serial = this.options.serial;
    const unitId = frame[0] ?? 0;
    const pdu = frame.subarray(1, frame.length - 2);
    const fn = pdu[0] ?? 0;
    const start = Math.max(at, this.busFreeAt);
    const requestDone = start + (this.wireTime ? frameTimeMs(frame.length, serial) : 0);
    const base = { type: "request", transport: "rtu", unitId, function: fn } as const;
    this.busFreeAt = requestDone;

    if (unitId === 0) {
      if (fn === 0x06 || fn === 0x10) for (const meter of this.byUnit.values()) meter.handle(pdu);
      this.emit({ ...base, outcome: "broadcast", at: Date.now() });
      return;
    }
    const meter = this.byUnit.get(unitId);
    if (meter === undefined) {
      this.emit({ ...base, outcome: "unknown-unit", at: Date.now() });
      return;
    }
    const reply = meter.handle(pdu);
    const event = { ...base, meterId: meter.id };
    if (reply.action !== "reply") {
      this.emit({ ...event, outcome: reply.action === "drop" ? "drop" : "silence", at: Date.now() });
      return;
    }
    const bytes = encodeRtu(reply.unitId, reply.pdu, reply.corruptCrc);
    const sendAt = this.wireTime
      ? requestDone + this.turnaroundMs + reply.delayMs + frameTimeMs(bytes.length, serial)
      : performance.now() + reply.delayMs;
    this.busFreeAt = sendAt;
    const wait = sendAt - performance.now();
    if (wait > 0) await sleep(wait);
    if (this.closed) return;
    const exception = ((reply.pdu[0] ?? 0) & 0x80) !== 0;
    this.emit({ ...event, outcome: exception ? "exception" : "reply", at: Date.now() });
    this.port.write(bytes);
  }
}
