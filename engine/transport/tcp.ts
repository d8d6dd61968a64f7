// Modbus TCP to one host:port, shared by every unit id behind it: one connection, one request at a time,
// reconnect with exponential backoff and jitter, and a half-open socket detected by consecutive timeouts.
import net from "node:net";
import { performance } from "node:perf_hooks";
import type { ResolvedTcpTransport } from "../model.js";
import { BaseTransport } from "./base-transport.js";
import {
  ConnectFailedError,
  ConnectionLostError,
  InvalidResponseError,
  TimeoutError,
  TransportError,
} from "./errors/index.js";
import { describe, parseResponse } from "./pdu.js";
import type { RequestShape } from "./pdu.js";

export type TcpTransportOptions = Omit<ResolvedTcpTransport, "type"> & {
  host: string;
  port: number;
  /** Timeouts in a row, with no answer in between, after which the socket is taken for dead. @default 3 */
  halfOpenTimeouts?: number;
  /** Random source for the reconnect jitter, 0 ≤ x < 1. @default Math.random */
  random?: () => number;
};

const MBAP_LENGTH = 7;

interface Pending {
  transactionId: number;
  shape: RequestShape;
  resolve(words: number[]): void;
  reject(error: TransportError): void;
}

/** Reconnect delay after `failures` failed connects: doubling, capped, with "equal jitter" (half fixed, half random). */
export function reconnectDelay(failures: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + (ceiling / 2) * random;
}

export class TcpTransport extends BaseTransport {
  readonly kind = "tcp" as const;
  readonly name: string;
  private socket: net.Socket | undefined;
  private rx: Buffer = Buffer.alloc(0);
  private transactionId = 0;
  private pending: Pending | undefined;
  private connectFailures = 0;
  private nextConnectAt = 0;
  private lastConnectError: ConnectFailedError | undefined;
  private timeoutsInARow = 0;
  /** Connections made so far (a reconnect counts), for health and tests. */
  connects = 0;

  constructor(private readonly settings: TcpTransportOptions) {
    super({ responseTimeoutMs: settings.responseTimeoutMs, retries: settings.retries });
    this.name = `${settings.host}:${settings.port}`;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  protected async exchange(pdu: Buffer, shape: RequestShape, timeoutMs: number): Promise<number[]> {
    const socket = await this.ensureConnected();
    this.transactionId = (this.transactionId + 1) & 0xffff;
    const transactionId = this.transactionId;
    const adu = Buffer.alloc(MBAP_LENGTH + pdu.length);
    adu.writeUInt16BE(transactionId, 0);
    adu.writeUInt16BE(0, 2);
    adu.writeUInt16BE(pdu.length + 1, 4);
    adu[6] = shape.unitId;
    pdu.copy(adu, MBAP_LENGTH);
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.timeoutsInARow++;
        const limit = this.settings.halfOpenTimeouts ?? 3;
        let note = "";
        if (this.timeoutsInARow >= limit) {
          note = `; ${this.timeoutsInARow} timeouts in a row, reconnecting`;
          this.drop(socket);
        }
        reject(new TimeoutError(`${describe(shape, this.name)}: no answer within ${timeoutMs} ms${note}`));
      }, timeoutMs);
      this.pending = {
        transactionId,
        shape,
        resolve: (words) => {
          clearTimeout(timer);
          resolve(words);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      socket.write(adu);
    });
  }

  protected async shutdown(): Promise<void> {
    this.fail(new ConnectionLostError(`${this.name} is closed`));
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      });
    }
  }

  private async ensureConnected(): Promise<net.Socket> {
    if (this.closed) throw new ConnectionLostError(`${this.name} is closed`);
    if (this.socket && !this.socket.destroyed) return this.socket;
    const now = performance.now();
    if (this.lastConnectError && now < this.nextConnectAt) {
      const wait = Math.ceil(this.nextConnectAt - now);
      throw new ConnectFailedError(`${this.lastConnectError.message} (next attempt in ${wait} ms)`);
    }
    try {
      const socket = await this.connect();
      this.connectFailures = 0;
      this.lastConnectError = undefined;
      this.timeoutsInARow = 0;
      this.connects++;
      return socket;
    } catch (error) {
      this.connectFailures++;
      const { reconnectDelayMs, reconnectDelayMaxMs } = this.settings;
      const random = (this.settings.random ?? Math.random)();
      this.nextConnectAt =
        performance.now() +
        reconnectDelay(this.connectFailures, reconnectDelayMs, reconnectDelayMaxMs, random);
      this.lastConnectError = error as ConnectFailedError;
      throw error;
    }
  }

  private connect(): Promise<net.Socket> {
    const { host, port, connectTimeoutMs } = this.settings;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new ConnectFailedError(`cannot connect to ${this.name}: no answer within ${connectTimeoutMs} ms`),
        );
      }, connectTimeoutMs);
      socket.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new ConnectFailedError(`cannot connect to ${this.name}: ${connectErrorText(error)}`));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        socket.setNoDelay(true);
        // Keepalive finds a dead peer even when the line is idle between polls.
        socket.setKeepAlive(true, 10_000);
        this.attach(socket);
        resolve(socket);
      });
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    this.rx = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.rx = this.rx.length === 0 ? chunk : Buffer.concat([this.rx, chunk]);
      this.parse(socket);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.fail(new ConnectionLostError(`${this.name}: connection closed by the peer`));
    });
  }

  private parse(socket: net.Socket): void {
    while (this.rx.length >= MBAP_LENGTH) {
      const length = this.rx.readUInt16BE(4);
      if (length < 2 || length > 254) {
        this.fail(
          new InvalidResponseError("protocol", `${this.name}: answer with impossible MBAP length ${length}`),
        );
        this.drop(socket);
        return;
      }
      if (this.rx.length < 6 + length) return;
      const adu = this.rx.subarray(0, 6 + length);
      this.rx = this.rx.subarray(6 + length);
      const pending = this.pending;
      // A late answer to a request that already timed out: not ours, drop it.
      if (!pending || adu.readUInt16BE(0) !== pending.transactionId) continue;
      this.pending = undefined;
      this.timeoutsInARow = 0;
      const context = describe(pending.shape, this.name);
      if (adu.readUInt16BE(2) !== 0) {
        pending.reject(
          new InvalidResponseError("protocol", `${context}: protocol id ${adu.readUInt16BE(2)}, expected 0`),
        );
      } else if (adu[6] !== pending.shape.unitId) {
        pending.reject(
          new InvalidResponseError("unit-id", `${context}: the answer came from unit ${adu[6]}`),
        );
      } else {
        try {
          pending.resolve(parseResponse(adu.subarray(MBAP_LENGTH), pending.shape, this.name));
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          pending.reject(error);
        }
      }
    }
  }

  private fail(error: TransportError): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }

  private drop(socket: net.Socket): void {
    if (this.socket === socket) this.socket = undefined;
    socket.destroy();
  }
}

function connectErrorText(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused (nothing listens on that port)";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host name";
    case "ETIMEDOUT":
      return "connect timed out";
    default:
      return error.code ? `${error.code} ${error.message}` : error.message;
  }
}
