// Time to drain a 7-day backlog for 32 meters (672 intervals × 32 meters, upload.mode meter, default
// template) to a local sink over HTTP with the default batch size, after an outage.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aggregatePlan } from "../engine/aggregate/index.js";
import { loadProfile } from "../engine/config/index.js";
import type { IntervalAggregate, ResolvedSite } from "../engine/model.js";
import { packageRoot, profilesDir, templatesDir } from "../engine/paths.js";
import { Store } from "../engine/store/index.js";
import { createOutboxBuilder, Sender } from "../engine/upload/index.js";

const METERS = Number(process.env.BENCH_METERS ?? 32);
const INTERVALS = Number(process.env.BENCH_INTERVALS ?? 672);
const L = 900_000;

function site(url: string): ResolvedSite {
  const { profile } = loadProfile(join(profilesDir, "meatrol/mp440.yaml"));
  if (!profile) throw new Error("profiles/meatrol/mp440.yaml did not load");
  return {
    id: "bench",
    name: "Bench",
    timezone: "UTC",
    file: join(packageRoot, "sites/bench.yaml"),
    transport: {
      type: "tcp",
      connectTimeoutMs: 1000,
      responseTimeoutMs: 1000,
      reconnectDelayMs: 1000,
      reconnectDelayMaxMs: 10_000,
      retries: 1,
    },
    pollClasses: {
      live: { intervalMs: 2000 },
      energy: { intervalMs: 60_000 },
      identity: { intervalMs: 3_600_000 },
    },
    meters: Array.from({ length: METERS }, (_, i) => ({
      id: `m${i + 1}`,
      name: `Meter ${i + 1}`,
      profile,
      unitId: i + 1,
      priority: 0,
      enabled: true,
    })),
    upload: {
      enabled: true,
      url,
      intervalMs: L,
      templateFile: join(templatesDir, "upload/default.json.hbs"),
      mode: "meter",
      headers: {},
      variables: {},
      timeoutMs: 30_000,
      batchSize: 20,
      retryDelayMs: 5000,
      retryDelayMaxMs: 900_000,
      successStatus: [],
      source: { url },
    },
    web: { enabled: false, port: 0, bind: "127.0.0.1", allowedOrigins: [] },
    storage: { path: "", sampleRetentionMs: 2 * 86_400_000, intervalRetentionMs: 400 * 86_400_000 },
    source: {} as ResolvedSite["source"],
  };
}

/** `ampx sink` in its own process, as the demo runs it, so the sender and the receiver do not share a CPU thread. */
async function startSink(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [join(packageRoot, "bin/ampx.js"), "sink", "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`ampx sink exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ampx-bench-drain-"));
  const sink = await startSink();
  const store = Store.open(join(dir, "gw.db"));
  try {
    const s = site(sink.url);
    const plan = aggregatePlan(s);
    const build = createOutboxBuilder(s, () => "12345678")!;
    const t0 = Math.floor(Date.now() / L) * L - INTERVALS * L; // the 7 days before now
    let rendered = performance.now();
    let bytes = 0;
    for (let i = 0; i < INTERVALS; i++) {
      const start = t0 + i * L;
      const aggregates: IntervalAggregate[] = plan.map((p) => {
        const base = {
          ...p,
          start,
          end: start + L,
          count: 450,
          badCount: 0,
          coverage: 1,
          quality: "good" as const,
        };
        return p.kind === "counter"
          ? { ...base, kind: "counter", first: 1000 + i, last: 1000.75 + i, delta: 0.75, reset: false }
          : { ...base, kind: "instantaneous", avg: 230.1 + i / 1000, min: 228.2, max: 232.4 };
      });
      const outbox = build({ start, end: start + L, aggregates });
      bytes += outbox.reduce((n, e) => n + e.payload.length, 0);
      // Interval rows do not matter for draining; only the payloads go into the outbox.
      store.closeInterval({ start, end: start + L, aggregates: [], outbox }, Date.now());
    }
    rendered = (performance.now() - rendered) / 1000;
    const entries = INTERVALS * METERS;
    console.log(
      `backlog: ${entries.toLocaleString("en")} payloads (${INTERVALS} intervals × ${METERS} meters, ${plan.length / METERS} quantities each, avg ${(bytes / entries / 1024).toFixed(1)} KiB) rendered and queued in ${rendered.toFixed(1)} s`,
    );

    const sender = new Sender({ site: s, store });
    const started = performance.now();
    sender.start();
    while (store.uploadStatus().pending > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (performance.now() - started) / 1000;
    await sender.stop();
    console.log(
      `drained to a local ampx sink in ${seconds.toFixed(1)} s = ${Math.round(entries / seconds).toLocaleString("en")} requests/s (batchSize 20, one keep-alive connection, sequential)`,
    );
    const status = store.uploadStatus();
    console.log(
      `outbox after drain: sent ${status.sent}, pending ${status.pending}, rejected ${status.rejected}`,
    );
  } finally {
    sink.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
