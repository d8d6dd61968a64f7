// The /ws fan-out over real sockets: snapshot on connect, then only changes, batched; heartbeats; a client
// that stops reading is switched to drop-to-snapshot instead of queueing without bound.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createWebServer, type WebServer, type WebServerOptions } from "../../engine/web/server.js";
import { FakeLive, meterValues, testSite } from "./fixtures.js";

let web: WebServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await web?.close();
  web = undefined;
});

interface Message {
  type: string;
  serverTime: number;
  // Message bodies are inspected freely here; their shapes are documented in docs/api.md.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

async function start(options: Partial<WebServerOptions> = {}): Promise<{ web: WebServer; live: FakeLive }> {
  const site = options.site ?? testSite();
  const live = new FakeLive(site.meters.map((m) => m.id));
  web = await createWebServer({ site, live, ...options });
  return { web, live };
}

/** A client that records every message. */
async function connect(
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; messages: Message[] }> {
  const ws = new WebSocket(web!.url.replace("http", "ws") + "ws", { headers });
  sockets.push(ws);
  const messages: Message[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data)) as Message));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, messages };
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("/ws", () => {
  it("sends a snapshot on connect with the site and every meter's current values", async () => {
    const { live } = await start();
    live.samples("main", meterValues(0));
    const { messages } = await connect();
    await until(() => messages.length > 0);
    const snap = messages[0]!;
    expect(snap.type).toBe("snapshot");
    expect(snap.site.meters.map((m: { id: string }) => m.id)).toEqual(["main", "hvac", "kitchen"]);
    const main = snap.meters.find((m: { id: string }) => m.id === "main");
    expect(main.values.active_power_total.v).toBe(1000);
    expect(main.status).toBe("online");
    expect(snap.heartbeatMs).toBe(15_000);
  });

  it("then sends only what changed", async () => {
    const { live } = await start();
    const values = meterValues(0);
    live.samples("main", values);
    live.samples("hvac", meterValues(1));
    const { messages } = await connect();
    await until(() => messages.length === 1);
    live.samples("main", { ...values, active_power_total: 1234.5 });
    await until(() => messages.some((m) => m.type === "changes" && m.meters.main?.values));
    const change = messages.find((m) => m.type === "changes" && m.meters.main?.values)!;
    expect(Object.keys(change.meters)).toEqual(["main"]);
    expect(change.meters.main.values).toEqual({
      active_power_total: expect.objectContaining({ v: 1234.5, q: "good" }),
    });
    expect(typeof change.meters.main.lastUpdate).toBe("number");
  });

  it("batches: a burst of 300 sample batches in ~1.5 s reaches a client as at most ~10 messages a second, ending on the last values", async () => {
    const { live } = await start();
    const { messages } = await connect();
    await until(() => messages.length === 1);
    const started = Date.now();
    for (let n = 0; n < 300; n++) {
      live.samples("main", { active_power_total: n });
      live.samples("hvac", { active_power_total: -n });
      await sleep(5);
    }
    const elapsedS = (Date.now() - started) / 1000;
    await until(() =>
      messages.some((m) => m.type === "changes" && m.meters.main?.values?.active_power_total?.v === 299),
    );
    const changes = messages.filter((m) => m.type === "changes");
    expect(changes.length).toBeLessThanOrEqual(Math.ceil(elapsedS * 10) + 2);
    expect(changes.length).toBeGreaterThanOrEqual(Math.floor(elapsedS * 5));
    const last = changes[changes.length - 1]!;
    expect(last.meters.hvac.values.active_power_total.v).toBe(-299);
    // Consecutive change messages are at least ~100 ms apart.
    const gaps = changes.slice(1).map((m, i) => m.serverTime - changes[i]!.serverTime);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90);
  });

  it("drops a client that stops reading to snapshot mode, keeps others live, and resyncs it with a snapshot", async () => {
    const ids = Array.from({ length: 32 }, (_, i) => ({ id: `m${i}` }));
    const { live } = await start({
      site: testSite({ meters: ids }),
      ws: { flushIntervalMs: 10, highWaterBytes: 128 * 1024, heartbeatMs: 60_000 },
    });
    const slow = await connect();
    const fast = await connect();
    await until(() => slow.messages.length === 1 && fast.messages.length === 1);
    const slowSocket = (slow.ws as unknown as { _socket: net.Socket })._socket;
    slowSocket.pause();

    // Every meter changes every few ms: ~40 KB per change message, 100 messages a second.
    let n = 0;
    let emitMs = 0;
    let emits = 0;
    const deadline = Date.now() + 15_000;
    while (web!.wsStats().clientsBehind === 0 && Date.now() < deadline) {
      for (const { id } of ids) {
        const t0 = performance.now();
        live.samples(id, meterValues(n % 7, n));
        emitMs += performance.now() - t0;
        emits++;
      }
      n++;
      await sleep(2);
    }
    expect(web!.wsStats().clientsBehind).toBe(1);
    // Keep going: the slow client's queue must stay bounded while the fast one keeps receiving.
    const fastBefore = fast.messages.length;
    for (let k = 0; k < 50; k++, n++) {
      for (const { id } of ids) live.samples(id, meterValues(n % 7, n));
      await sleep(4);
    }
    await sleep(50);
    const stats = web!.wsStats();
    expect(stats.maxBufferedBytes).toBeLessThan(128 * 1024 + 200 * 1024);
    expect(fast.messages.length - fastBefore).toBeGreaterThan(10);
    // Emitting samples (what the poller does) costs the same with a stuck client: it only merges changes.
    expect(emitMs / emits).toBeLessThan(2);

    // The slow client reads again: it drains, then gets a fresh snapshot and changes after it.
    const snapshotsBefore = slow.messages.filter((m) => m.type === "snapshot").length;
    slowSocket.resume();
    await until(() => slow.messages.filter((m) => m.type === "snapshot").length > snapshotsBefore, 10_000);
    live.samples("m0", { active_power_total: 777 });
    await until(
      () =>
        slow.messages.at(-1)?.type === "changes" &&
        slow.messages.at(-1)?.meters.m0?.values?.active_power_total?.v === 777,
    );
    const resync = slow.messages.filter((m) => m.type === "snapshot").at(-1)!;
    expect(resync.meters).toHaveLength(32);
    expect(web!.wsStats().snapshotsSent).toBeGreaterThanOrEqual(3);
  }, 40_000);

  it("sends app-level heartbeats and protocol pings, and closes a client that never answers", async () => {
    await start({ ws: { heartbeatMs: 150 } });
    const { ws, messages } = await connect();
    let pings = 0;
    ws.on("ping", () => pings++);
    await until(() => messages.some((m) => m.type === "heartbeat") && pings > 0, 2000);

    // A raw client that completes the handshake and then never reads or answers pings.
    const { port } = new URL(web!.url);
    const raw = net.connect(Number(port), "127.0.0.1");
    const closed = new Promise<number>((resolve) => raw.on("close", () => resolve(Date.now())));
    raw.write(
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    raw.on("data", () => undefined);
    const t0 = Date.now();
    await until(() => web!.wsStats().clients === 2);
    const at = await closed;
    expect(at - t0).toBeLessThan(1500);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it("refuses other paths (404) and foreign origins (403); accepts its own and allowed origins", async () => {
    await start({ site: testSite({ allowedOrigins: ["https://portal.example.com"] }) });
    const base = web!.url.replace("http", "ws");
    const status = (url: string, origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        sockets.push(ws);
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => resolve(101));
        ws.on("error", () => undefined);
      });
    expect(await status(base + "nope")).toBe(404);
    expect(await status(base + "ws", "http://evil.example")).toBe(403);
    expect(await status(base + "ws", new URL(web!.url).origin)).toBe(101);
    expect(await status(base + "ws", "https://portal.example.com")).toBe(101);
    expect(await status(base + "ws")).toBe(101);
  });

  it("resyncs every client with a new snapshot when the site changes (a meter renamed)", async () => {
    const site = testSite();
    await start({ site });
    const { messages } = await connect();
    await until(() => messages.length === 1);
    web!.setSite({
      ...site,
      meters: site.meters.map((m) => (m.id === "hvac" ? { ...m, name: "Chillers" } : m)),
    });
    await until(() => messages.filter((m) => m.type === "snapshot").length === 2);
    const snap = messages.filter((m) => m.type === "snapshot")[1]!;
    expect(snap.site.meters.find((m: { id: string }) => m.id === "hvac").name).toBe("Chillers");
  });
});
