// A Modbus TCP server for simulated meters on one host:port. Several unit ids may share it, as
// behind a TCP-to-RS485 gateway. Requests on one connection are answered in order, one at a time.
import { createServer, type Server, type Socket } from "node:net";
import type { SimEventListener } from "./events.js";
import { MbapDecoder, MbapFramingError, encodeMbap, type MbapFrame } from "./mbap.js";
import type { SimulatedMeter } from "./simulated-meter.js";

export interface SimTcpServerOptions {
  /** Address to listen on; only loopback addresses make sense for a simulator. @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  meters: SimulatedMeter[];
  onEvent?: SimEventListener;
}

/** A loopback address the simulator may listen on. */
export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1";
}

export class SimTcpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly byUnit = new Map<number, SimulatedMeter>();
  private readonly host: string;
  private boundPort = 0;

  constructor(private readonly options: SimTcpServerOptions) {
    this.host = options.host === undefined || options.host === "localhost" ? "127.0.0.1" : options.host;
    for (const meter of options.meters) this.byUnit.set(meter.unitId, meter);
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once("error", onError);
      this.server.listen(this.options.port, this.host, () => {
        this.server.off("error", onError);
        const address = this.server.address();
        this.boundPort = typeof address === "object" && address !== null ? address.port : this.options.port;
        resolve(this.address());
      });
    });
  }

  address(): { host: string; port: number } {
    return { host: this.host, port: this.boundPort };
  }

  /** Open client connections. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
  }

  private emit(event: Parameters<SimEventListener>[0]): void {
    this.options.onEvent?.(event);
  }

  private accept(socket: Socket): void {
    const remote = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    this.emit({ type: "connection", state: "open", remote, at: Date.now() });
    const decoder = new MbapDecoder();
    let queue = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      let frames: MbapFrame[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        if (!(error instanceof MbapFramingError)) throw error;
        this.emit({
          type: "discard",
          transport: "tcp",
          bytes: chunk.length,
          reason: error.message,
          at: Date.now(),
        });
        socket.destroy();
        return;
      }
      for (const frame of frames) queue = queue.then(() => this.serve(socket, frame));
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.sockets.delete(socket);
      this.emit({ type: "connection", state: "close", remote, at: Date.now() });
    });
  }

  private meterFor(unitId: number): SimulatedMeter | undefined {
    const meter = this.byUnit.get(unitId);
    // Unit 255 addresses "the device itself" on Modbus TCP: fine when only one meter answers here.
    if (meter === undefined && unitId === 0xff && this.byUnit.size === 1) return [...this.byUnit.values()][0];
    return meter;
  }

  private async serve(socket: Socket, frame: MbapFrame): Promise<void> {
    if (socket.destroyed) return;
    const fn = frame.pdu[0] ?? 0;
    const base = { type: "request", transport: "tcp", unitId: frame.unitId, function: fn } as const;
    if (frame.unitId === 0) {
      // Broadcast: every meter acts, none answers.
      if (fn === 0x06 || fn === 0x10) for (const meter of this.byUnit.values()) meter.handle(frame.pdu);
      this.emit({ ...base, outcome: "broadcast", at: Date.now() });
      return;
    }
    const meter = this.meterFor(frame.unitId);
    if (meter === undefined) {
      this.emit({ ...base, outcome: "unknown-unit", at: Date.now() });
      return;
    }
    const reply = meter.handle(frame.pdu);
    const event = { ...base, meterId: meter.id };
    if (reply.action === "drop") {
      this.emit({ ...event, outcome: "drop", at: Date.now() });
      socket.destroy();
      return;
    }
    if (reply.delayMs > 0) await sleep(reply.delayMs);
    if (reply.action === "silence") {
      this.emit({ ...event, outcome: "silence", at: Date.now() });
      return;
    }
    const exception = ((reply.pdu[0] ?? 0) & 0x80) !== 0;
    this.emit({ ...event, outcome: exception ? "exception" : "reply", at: Date.now() });
    if (!socket.destroyed) socket.write(encodeMbap(frame.transactionId, reply.unitId, reply.pdu));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
