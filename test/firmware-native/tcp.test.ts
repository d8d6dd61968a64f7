// The native firmware over Modbus TCP against the simulator, uploading to the sink (real processes,
// real sockets): its payloads equal, byte for byte, what the engine renders from the same meter
// answers; a meter that times out; the sink down for a while with the backlog kept in the ring
// file; a crash (SIGKILL) mid-backlog and a restart; the backlog drained in order, nothing lost,
// nothing sent twice.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulator } from "../../engine/sim/index.js";
import { Sink } from "../../engine/sink/index.js";
import { freePort } from "../helpers/free-port.js";
import { buildNative, GatewayProcess, getJson, writeSite } from "./native.js";
import type { GatewayEvent, NativeBuild } from "./native.js";
import { enginePayloadsByKey, isRead, readLog } from "./replay.js";

const INTERVAL_MS = 3000;
const dir = mkdtempSync(join(tmpdir(), "ampx-fw-tcp-"));
const stateDir = join(dir, "state");
const readLogFile = join(dir, "reads.jsonl");
let build: NativeBuild;
let sim: Simulator;
let sink: Sink;
let sinkPort: number;
let gateway: GatewayProcess | undefined;

const env = () => ({
  AMPX_STATE_DIR: stateDir,
  AMPX_UPLOAD_URL: `http://127.0.0.1:${sinkPort}/ingest`,
  AMPX_READ_LOG: readLogFile,
  AMPX_TEST_TOKEN: "t0ken",
});

interface Snapshot {
  meters: {
    id: string;
    status: string;
    values: Record<string, { v: unknown; q: string }>;
    health: Record<string, number>;
  }[];
}

beforeAll(async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  const siteFile = writeSite(dir, {
    id: "fw-tcp",
    name: "Native firmware over TCP",
    timezone: "UTC",
    transport: {
      type: "tcp",
      connectTimeout: "500ms",
      responseTimeout: "300ms",
      reconnectDelay: "200ms",
      reconnectDelayMax: "1s",
      retries: 1,
    },
    pollClasses: { live: { interval: "500ms" }, energy: { interval: "1s" }, identity: { interval: "2s" } },
    meters: [
      {
        id: "main",
        name: "Main incomer",
        profile: "meatrol/mp440",
        host: "127.0.0.1",
        port: ports[0],
        unitId: 1,
      },
      {
        id: "pv",
        name: 'PV "roof"',
        profile: "eastron/sdm630",
        host: "127.0.0.1",
        port: ports[1],
        unitId: 2,
      },
      {
        id: "tenant",
        name: "Tenant",
        profile: "chint/dtsu666",
        host: "127.0.0.1",
        port: ports[2],
        unitId: 1,
      },
    ],
    upload: {
      url: "http://127.0.0.1:9/unused",
      interval: "3s",
      template: "default",
      mode: "site",
      timeout: "2s",
      retryDelay: "300ms",
      retryDelayMax: "1s",
      auth: { type: "bearer", token: "${env:AMPX_TEST_TOKEN}" },
    },
  });
  [build, sink] = await Promise.all([buildNative(siteFile, dir), Sink.start({ port: 0 })]);
  sinkPort = sink.port;
  sim = new Simulator({ site: build.site, seed: 7 });
  await sim.start();
}, 60_000);

afterAll(async () => {
  await gateway?.stop("SIGKILL");
  await sink?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every payload the sink holds, checked against the engine's rendering of the replayed reads. */
function expectPayloadsEqualEngine(): number {
  const expected = enginePayloadsByKey(build.site, readLog(readLogFile));
  const records = sink.received();
  for (const record of records) {
    const engine = expected.get(record.key ?? "");
    expect(engine, `the engine's payload for ${record.key}`).toBeDefined();
    expect(JSON.parse(record.body)).toEqual(JSON.parse(engine!.body));
    expect(record.body).toBe(engine!.body);
  }
  return records.length;
}

const intervalEvents = (g: GatewayProcess) => g.events.filter((e) => e.event === "interval");

describe("native firmware over Modbus TCP", () => {
  it("polls the simulated meters, survives a meter timing out, and uploads what the engine would", async () => {
    gateway = await GatewayProcess.start(build.binary, env());
    expect(gateway.ready).toMatchObject({ site: "fw-tcp", meters: 3, ring: { queued: 0 } });
    await gateway.waitFor((e) => e.event === "interval", INTERVAL_MS + 2000, "first interval");
    sim.meter("pv").inject({ kind: "timeout", times: 4 });
    await gateway.waitForCount(
      (e) => e.event === "upload" && (e["accepted"] as number) > 0,
      3,
      4 * INTERVAL_MS,
      "uploads",
    );

    const snapshot = await getJson<Snapshot>(`${gateway.url}/api/snapshot`);
    const pv = snapshot.meters.find((m) => m.id === "pv")!;
    expect(pv.health["timeouts"]).toBeGreaterThanOrEqual(4);
    expect(pv.status).toBe("online");
    const reads = readLog(readLogFile).filter(isRead);
    expect(reads.filter((r) => r.meter === "pv" && r.result === "timeout").length).toBeGreaterThanOrEqual(4);
    expect(reads.filter((r) => r.result === "ok").length).toBeGreaterThan(30);

    expect(sink.received().length).toBeGreaterThanOrEqual(3);
    for (const request of sink.rawRequests()) {
      expect(request.headers["authorization"]).toBe("Bearer t0ken");
      expect(request.headers["idempotency-key"]).toBe(
        (JSON.parse(request.body) as { idempotencyKey: string }).idempotencyKey,
      );
    }
    expect(expectPayloadsEqualEngine()).toBeGreaterThanOrEqual(3);
    // A full interval after the first has every live quantity of every meter with samples.
    const full = JSON.parse(sink.received().at(-1)!.body) as {
      meters: { id: string; instantaneous: Record<string, { count: number; quality: string }> }[];
    };
    for (const meter of full.meters) {
      expect(
        Object.values(meter.instantaneous).every((q) => q.count > 0),
        meter.id,
      ).toBe(true);
    }
  }, 30_000);

  it("keeps the backlog in the ring file while the sink is down, across a crash, and drains it in order", async () => {
    await sink.stop();
    const before = intervalEvents(gateway!).length;
    await gateway!.waitForCount(
      (e) => e.event === "interval",
      before + 2,
      3 * INTERVAL_MS,
      "intervals while down",
    );
    const last = intervalEvents(gateway!).at(-1)!;
    expect(last["queued"]).toBeGreaterThanOrEqual(2);
    expect(gateway!.events.some((e) => e.event === "upload" && (e["status"] as number) < 0)).toBe(true);
    const ring = join(stateDir, "ring.bin");
    expect(existsSync(ring) && statSync(ring).size > 0).toBe(true);

    // Crash part-way through an interval, so that the open interval holds samples that die with the
    // process (the restarted firmware sends that interval with what it read after the restart).
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 0.4));
    const closedBeforeCrash = intervalEvents(gateway!);
    const log = readLog(readLogFile);
    const lastClose = log.map((l) => "closed" in l).lastIndexOf(true);
    expect(log.slice(lastClose + 1).filter((l) => isRead(l) && l.result === "ok").length).toBeGreaterThan(3);
    expect(await gateway!.stop("SIGKILL")).toBeNull();
    gateway = await GatewayProcess.start(build.binary, env());
    expect((gateway.ready["ring"] as { queued: number }).queued).toBe(last["queued"]);
    // One more interval while the sink is still down, then the sink comes back on its port.
    await gateway.waitFor((e) => e.event === "interval", INTERVAL_MS + 2000, "interval after restart");
    sink = await Sink.start({ port: sinkPort });
    await gateway.waitFor((e) => e.event === "upload" && e["queued"] === 0, 5000, "drained backlog");

    const records = sink.received();
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(records.every((r) => !r.duplicate)).toBe(true);
    const starts = records.map((r) =>
      Date.parse((JSON.parse(r.body) as { interval: { start: string } }).interval.start),
    );
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(new Set(starts).size).toBe(starts.length);
    // Every interval the first process closed while the sink was down arrived after the restart.
    const queuedBeforeCrash = closedBeforeCrash.slice(before).map((e: GatewayEvent) => e["start"] as number);
    for (const start of queuedBeforeCrash) expect(starts).toContain(start);
    expect(expectPayloadsEqualEngine()).toBe(records.length);
    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(gateway.events.at(-1)).toEqual({ event: "stopped" });
  }, 40_000);
});
