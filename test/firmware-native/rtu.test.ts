// The native firmware on an RS485 bus: the simulator serves three meters on one end of a socat
// pseudo-terminal pair with RS485 wire times, the firmware opens the other end with termios. Meter
// mode with the AmpX portal template (one request per meter, API key header, 201 only), a meter
// with a configured serial number; CRC errors and a timeout injected on the bus. Every payload
// equals, byte for byte, what the engine renders from the same answers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulation } from "../../engine/sim/index.js";
import type { RunningSimulation } from "../../engine/sim/index.js";
import { Sink } from "../../engine/sink/index.js";
import { buildNative, GatewayProcess, getJson, writeSite } from "./native.js";
import type { NativeBuild } from "./native.js";
import { enginePayloadsByKey, isRead, readLog } from "./replay.js";

const INTERVAL_MS = 3000;
const dir = mkdtempSync(join(tmpdir(), "ampx-fw-rtu-"));
const readLogFile = join(dir, "reads.jsonl");
let build: NativeBuild;
let sim: RunningSimulation;
let sink: Sink;
let gateway: GatewayProcess | undefined;

interface Snapshot {
  meters: { id: string; values: Record<string, { v: unknown; q: string }>; health: Record<string, number> }[];
}

beforeAll(async () => {
  const siteFile = writeSite(dir, {
    id: "fw-rtu",
    name: "Native firmware on RS485",
    timezone: "UTC",
    transport: {
      type: "rtu",
      port: "/dev/ttyAMPX-unused",
      baudRate: 38400,
      parity: "even",
      responseTimeout: "250ms",
      turnaroundDelay: "2ms",
      retries: 1,
    },
    pollClasses: { live: { interval: "1s" }, energy: { interval: "1s" }, identity: { interval: "2s" } },
    meters: [
      { id: "m1", name: "Main DB", profile: "meatrol/mp440", unitId: 1 },
      { id: "m2", name: "Geyser", profile: "meatrol/mp440", unitId: 2, serialNumber: "SN-42" },
      { id: "m3", name: "Lights", profile: "meatrol/me237", unitId: 3 },
    ],
    upload: {
      url: "http://127.0.0.1:9/unused",
      interval: "3s",
      template: "ampx-portal-v2",
      mode: "meter",
      timeout: "2s",
      retryDelay: "300ms",
      auth: { type: "header", header: "X-AmpX-Api-Key", value: "${env:AMPX_PORTAL_API_KEY}" },
      successStatus: [201],
      variables: { gateway_id: "100001" },
    },
  });
  [build, sink] = await Promise.all([buildNative(siteFile, dir), Sink.start({ port: 0 })]);
  sim = await startSimulation({ site: build.site, pty: true, seed: 11 });
}, 60_000);

afterAll(async () => {
  await gateway?.stop("SIGKILL");
  await sink?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("native firmware on an RS485 bus (socat pty)", () => {
  it("polls over RTU through CRC errors and a timeout, and uploads per meter what the engine would", async () => {
    gateway = await GatewayProcess.start(build.binary, {
      AMPX_STATE_DIR: join(dir, "state"),
      AMPX_UPLOAD_URL: `http://127.0.0.1:${sink.port}/portal`,
      AMPX_SERIAL_PORT: sim.clientRtuPort!,
      AMPX_READ_LOG: readLogFile,
      AMPX_PORTAL_API_KEY: "k3y",
    });
    expect(gateway.ready["serial"]).toBe(sim.clientRtuPort);
    await gateway.waitFor((e) => e.event === "interval", INTERVAL_MS + 2000, "first interval");
    sim.simulator.meter("m1").inject({ kind: "bad-crc", times: 4 });
    sim.simulator.meter("m3").inject({ kind: "timeout", times: 2 });
    // Three meters, one payload each per interval: three more intervals.
    await gateway.waitForCount((e) => e.event === "interval", 4, 4 * INTERVAL_MS, "intervals");
    await gateway.waitFor(
      (e) => e.event === "upload" && e["queued"] === 0 && (e["accepted"] as number) > 0,
      3000,
      "upload",
    );

    const reads = readLog(readLogFile).filter(isRead);
    expect(reads.filter((r) => r.meter === "m1" && r.result === "crc_error").length).toBeGreaterThanOrEqual(
      4,
    );
    expect(reads.filter((r) => r.meter === "m3" && r.result === "timeout").length).toBeGreaterThanOrEqual(2);
    const snapshot = await getJson<Snapshot>(`${gateway.url}/api/snapshot`);
    const health = (id: string) => snapshot.meters.find((m) => m.id === id)!.health;
    expect(health("m1")["crcErrors"]).toBeGreaterThanOrEqual(4);
    expect(health("m3")["timeouts"]).toBeGreaterThanOrEqual(2);
    expect(snapshot.meters.find((m) => m.id === "m1")!.values["voltage_l1"]!.q).toBe("good");

    const expected = enginePayloadsByKey(build.site, readLog(readLogFile));
    const records = sink.received();
    expect(records.length).toBeGreaterThanOrEqual(9);
    expect(new Set(records.map((r) => r.key!.split(":")[1])).size).toBe(3);
    for (const record of records) {
      const engine = expected.get(record.key ?? "");
      expect(engine, `the engine's payload for ${record.key}`).toBeDefined();
      expect(record.body).toBe(engine!.body);
    }
    const m2 = records.find((r) => r.key!.includes(":m2:"))!;
    expect((JSON.parse(m2.body) as { serial_number: string }).serial_number).toBe("SN-42");
    const m1 = JSON.parse(records.at(-3)!.body) as { values: Record<string, number | null> };
    expect(typeof m1.values["m1_voltage_L1"]).toBe("number");
    expect(sink.rawRequests().every((r) => r.headers["x-ampx-api-key"] === "k3y")).toBe(true);
  }, 30_000);
});
