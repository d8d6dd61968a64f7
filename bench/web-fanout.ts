// Dashboard figures: WebSocket fan-out latency from a sample to its arrival at 50 connected clients
// (p50/p99, with the 32-meter RS485 example site polled in full every cycle), message sizes, and in
// Debian Chromium the page's transferred bytes and time to the first filled table (cold cache).
import { EventEmitter } from "node:events";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { Worker } from "node:worker_threads";
import { loadSiteOrThrow } from "../engine/config/index.js";
import type { MeterHealth, QuantityName, ResolvedSite, Sample } from "../engine/model.js";
import { sitesDir } from "../engine/paths.js";
import { createWebServer, type WebServer } from "../engine/web/server.js";
import type { LiveSource } from "../engine/web/sources.js";

const CLIENTS = 50;

interface ClientResults {
  done: true;
  latencies: number[];
  snapshotBytes: number;
  changeBytes: number;
  changeMessages: number;
}

/** CommonJS run by the worker: N ws clients that time the marker value's arrival. */
const CLIENT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const WebSocket = require("ws");
const { url, clients } = workerData;
const latencies = [];
let snapshotBytes = 0, changeBytes = 0, changeMessages = 0, open = 0;
const sockets = [];
for (let c = 0; c < clients; c++) {
  const ws = new WebSocket(url);
  ws.on("open", () => { if (++open === clients) parentPort.postMessage({ ready: true }); });
  ws.on("message", (data) => {
    const at = performance.timeOrigin + performance.now();
    const text = data.toString();
    const msg = JSON.parse(text);
    if (msg.type === "snapshot") { snapshotBytes = text.length; return; }
    if (msg.type !== "changes") return;
    if (c === 0) { changeBytes += text.length; changeMessages++; }
    // Marker values are send times (epoch ms); every other value is small.
    for (const meter of Object.values(msg.meters)) {
      for (const v of Object.values(meter.values || {})) if (typeof v.v === "number" && v.v > 1e12) latencies.push(at - v.v);
    }
  });
  sockets.push(ws);
}
parentPort.on("message", () => {
  for (const ws of sockets) ws.terminate();
  parentPort.postMessage({ done: true, latencies, snapshotBytes, changeBytes, changeMessages });
});
`;

class BenchLive extends EventEmitter implements LiveSource {
  health(): MeterHealth[] {
    return [];
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One block read of meter i: each numeric quantity of its profile; the first one carries the marker. */
function meterBatch(site: ResolvedSite, i: number, k: number, marker: number): Sample[] {
  const m = site.meters[i]!;
  const now = Date.now();
  return m.profile.registers
    .filter((r) => r.kind !== "identity")
    .map((r, j) => ({
      meterId: m.id,
      quantity: r.quantity as QuantityName,
      value: j === 0 ? marker : Math.round(1000 * Math.sin(k + i + j)) / 10,
      unit: r.canonicalUnit,
      quality: "good" as const,
      timestamp: now,
    }));
}

/** Emits `rounds` rounds of the given meters' batches, `periodMs` apart, and prints the arrival latency at 50 clients. */
async function scenario(
  web: WebServer,
  live: BenchLive,
  site: ResolvedSite,
  title: string,
  periodMs: number,
  rounds: number,
  metersOf: (round: number) => number[],
): Promise<void> {
  // The clients live in a worker thread, so parsing 50 copies of each message does not queue behind the
  // server's own work: the figure is the server's fan-out, not this process's JSON.parse.
  const worker = new Worker(CLIENT_WORKER, {
    eval: true,
    workerData: { url: web.url.replace("http", "ws") + "ws", clients: CLIENTS },
  });
  const ready = new Promise<void>((resolve) => worker.once("message", () => resolve()));
  const results = new Promise<ClientResults>((resolve) =>
    worker.on("message", (m: ClientResults) => m.done && resolve(m)),
  );
  await ready;
  await new Promise((r) => setTimeout(r, 200));
  const before = web.wsStats();
  let emitMs = 0;
  let batches = 0;
  for (let k = 0; k < rounds; k++) {
    // Each batch's first quantity is its send time (epoch ms, sub-ms resolution): the worker times arrivals.
    const sentAt = performance.timeOrigin + performance.now();
    const t0 = performance.now();
    for (const i of metersOf(k)) {
      live.emit("samples", meterBatch(site, i, k, sentAt));
      batches++;
    }
    emitMs += performance.now() - t0;
    await new Promise((r) => setTimeout(r, periodMs));
  }
  await new Promise((r) => setTimeout(r, 300));
  worker.postMessage("stop");
  const { latencies, changeBytes, changeMessages } = await results;
  await worker.terminate();
  latencies.sort((a, b) => a - b);
  const after = web.wsStats();
  console.log(`${title}, ${CLIENTS} clients:`);
  console.log(
    `  sample → client latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms ` +
      `(${latencies.length}/${CLIENTS * batches} arrivals; batching window 100 ms)`,
  );
  console.log(
    `  ${after.changeMessages - before.changeMessages} change messages, ${(changeBytes / Math.max(1, changeMessages) / 1024).toFixed(1)} KiB avg; ` +
      `emit cost ${((emitMs / batches) * 1000).toFixed(0)} µs per batch; clients behind ${after.clientsBehind - before.clientsBehind}`,
  );
}

export async function run(): Promise<void> {
  const loaded = loadSiteOrThrow(join(sitesDir, "rs485-32.yaml"));
  const site: ResolvedSite = {
    ...loaded,
    web: { ...loaded.web, port: 0, bind: "127.0.0.1", allowedOrigins: [] },
  };
  const live = new BenchLive();
  const web = await createWebServer({ site, live });
  try {
    // Realistic: the RS485 bus delivers one meter's block every 50 ms (20 reads/s), round robin.
    await scenario(web, live, site, "bus rate: one meter's block every 50 ms", 50, 120, (k) => [
      k % site.meters.length,
    ]);
    // Stress: every meter's every quantity changes at once, once a second (72 KiB change messages).
    await scenario(web, live, site, "burst: all 32 meters at once every 1 s", 1000, 8, () =>
      site.meters.map((_, i) => i),
    );

    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
      ],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const requests: Promise<number>[] = [];
      page.on("requestfinished", (request) =>
        requests.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)),
      );
      let wsBytes = 0;
      page.on("websocket", (ws) => ws.on("framereceived", (f) => (wsBytes += Buffer.byteLength(f.payload))));
      const started = performance.now();
      await page.goto(web.url);
      await page.waitForFunction(() => performance.getEntriesByName("ampx:table-rendered").length > 0);
      const wall = performance.now() - started;
      const rendered = await page.evaluate(
        () => performance.getEntriesByName("ampx:table-rendered")[0]?.startTime ?? NaN,
      );
      const httpBytes = (await Promise.all(requests)).reduce((a, b) => a + b, 0);
      console.log(
        `page (${site.meters.length} meters): ${(httpBytes / 1024).toFixed(1)} KiB over HTTP in ${requests.length} requests (gzip) + ` +
          `${(wsBytes / 1024).toFixed(1)} KiB snapshot over WebSocket; first filled table at ${rendered.toFixed(0)} ms after navigation start ` +
          `(${wall.toFixed(0)} ms wall, cold cache)`,
      );
      await context.close();
    } finally {
      await browser.close();
    }
  } finally {
    await web.close();
  }
}
