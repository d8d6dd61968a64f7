// WebSocket fan-out of the live state: a snapshot on connect, then only changes, merged and sent at most
// once per flush interval (one JSON string shared by every client). A client whose socket is not draining
// (bufferedAmount above the high-water mark) stops getting changes and gets a fresh snapshot once it has
// caught up, so nothing queues up without bound and the poller never waits for a browser.
import { WebSocket } from "ws";
import type { LiveState, MeterDelta } from "./live-state.js";

export interface WsHubOptions {
  /** Minimum time between two change messages to a client. @default 100 (at most 10 messages/s) */
  flushIntervalMs?: number;
  /** Protocol ping + app-level heartbeat period; a client that missed a whole period is closed. @default 15000 */
  heartbeatMs?: number;
  /** Bytes waiting in a client's socket above which it counts as behind. @default 524288 */
  highWaterBytes?: number;
  /** A client behind for longer than this is closed (it will reconnect and get a snapshot). @default 30000 */
  maxBehindMs?: number;
}

interface Client {
  ws: WebSocket;
  /** True while behind: changes are skipped and a snapshot is owed. */
  behind: boolean;
  behindSince: number;
  alive: boolean;
}

export interface WsHubStats {
  clients: number;
  messagesSent: number;
  changeMessages: number;
  /** Largest number of bytes waiting in one client's socket right now. */
  maxBufferedBytes: number;
  /** Times a client was found behind and switched to drop-to-snapshot. */
  clientsBehind: number;
  snapshotsSent: number;
  clientsClosedBehind: number;
}

export class WsHub {
  private readonly clients = new Set<Client>();
  private readonly pending = new Map<string, MeterDelta>();
  private readonly flushIntervalMs: number;
  private readonly heartbeatMs: number;
  private readonly highWaterBytes: number;
  private readonly maxBehindMs: number;
  private readonly heartbeat: NodeJS.Timeout;
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private readonly onChange = (id: string, delta: MeterDelta): void => this.merge(id, delta);
  readonly stats: WsHubStats = {
    clients: 0,
    messagesSent: 0,
    changeMessages: 0,
    maxBufferedBytes: 0,
    clientsBehind: 0,
    snapshotsSent: 0,
    clientsClosedBehind: 0,
  };

  constructor(
    private readonly live: LiveState,
    /** Builds the snapshot message body (site description + every meter's live state). */
    private readonly snapshot: () => object,
    options: WsHubOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.highWaterBytes = options.highWaterBytes ?? 512 * 1024;
    this.maxBehindMs = options.maxBehindMs ?? 30_000;
    live.on("change", this.onChange);
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** The counters, with maxBufferedBytes measured now. */
  snapshotStats(): WsHubStats {
    let max = 0;
    for (const client of this.clients) max = Math.max(max, client.ws.bufferedAmount);
    this.stats.maxBufferedBytes = max;
    return { ...this.stats };
  }

  add(ws: WebSocket): void {
    const client: Client = { ws, behind: false, behindSince: 0, alive: true };
    this.clients.add(client);
    this.stats.clients = this.clients.size;
    ws.on("pong", () => (client.alive = true));
    // Browsers cannot see protocol pings; any message from them also proves the connection is alive.
    ws.on("message", () => (client.alive = true));
    ws.on("close", () => {
      this.clients.delete(client);
      this.stats.clients = this.clients.size;
    });
    ws.on("error", () => ws.terminate());
    this.send(client, this.snapshotText());
    this.stats.snapshotsSent++;
  }

  /** Sends every client a fresh snapshot (after the site changed, e.g. a meter was renamed). */
  resync(): void {
    for (const client of this.clients) client.behind = true;
    this.pending.clear();
    this.schedule();
  }

  close(): void {
    this.live.off("change", this.onChange);
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    this.stats.clients = 0;
  }

  private merge(id: string, delta: MeterDelta): void {
    const into = this.pending.get(id);
    if (!into) {
      this.pending.set(id, { ...delta, ...(delta.values ? { values: { ...delta.values } } : {}) });
    } else {
      if (delta.values) into.values = Object.assign(into.values ?? {}, delta.values);
      if (delta.status !== undefined) into.status = delta.status;
      if (delta.lastUpdate !== undefined) into.lastUpdate = delta.lastUpdate;
      if (delta.health !== undefined) into.health = delta.health;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer || this.clients.size === 0) {
      if (this.clients.size === 0) this.pending.clear();
      return;
    }
    const wait = Math.max(0, this.lastFlush + this.flushIntervalMs - Date.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushTimer = null;
    const now = Date.now();
    this.lastFlush = now;
    let changes: Buffer | null = null;
    if (this.pending.size > 0) {
      changes = encode({ type: "changes", serverTime: now, meters: Object.fromEntries(this.pending) });
      this.pending.clear();
      this.stats.changeMessages++;
    }
    let snapshot: Buffer | null = null;
    let owed = false;
    for (const client of this.clients) {
      const ws = client.ws;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (client.behind) {
        if (ws.bufferedAmount <= this.highWaterBytes / 2) {
          snapshot ??= this.snapshotText();
          client.behind = false;
          this.send(client, snapshot);
          this.stats.snapshotsSent++;
        } else if (now - client.behindSince > this.maxBehindMs) {
          this.stats.clientsClosedBehind++;
          ws.terminate();
        } else {
          owed = true;
        }
        continue;
      }
      if (changes === null) continue;
      if (ws.bufferedAmount > this.highWaterBytes) {
        client.behind = true;
        client.behindSince = now;
        this.stats.clientsBehind++;
        owed = true;
        continue;
      }
      this.send(client, changes);
    }
    // Clients owed a snapshot are re-checked even when no new change arrives.
    if (owed) this.flushTimer = setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  private beat(): void {
    const text = encode({ type: "heartbeat", serverTime: Date.now() });
    for (const client of this.clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
      if (!client.behind) this.send(client, text);
    }
  }

  private snapshotText(): Buffer {
    return encode({
      type: "snapshot",
      serverTime: Date.now(),
      heartbeatMs: this.heartbeatMs,
      ...this.snapshot(),
    });
  }

  private send(client: Client, data: Buffer): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    client.ws.send(data, { binary: false });
    this.stats.messagesSent++;
  }
}

/** Encoded once, sent to every client as a text frame. */
function encode(message: object): Buffer {
  return Buffer.from(JSON.stringify(message));
}
