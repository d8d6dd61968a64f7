// The composed gateway in-process against the simulator and a real sink: a change made on the dashboard
// (rename, faster poll class) applies without a restart — the read plan is rebuilt, polling goes on, the
// store-backed dashboard panels answer — and stop() leaves a database that a restart continues from.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import { startGateway } from "../../engine/gateway/gateway.js";
import type { Gateway } from "../../engine/gateway/gateway.js";
import { Simulator } from "../../engine/sim/index.js";
import { Sink } from "../../engine/sink/index.js";
import { freePort } from "../helpers/free-port.js";

const TOKEN = "test-token-7f3a";
const logger = pino({ level: "silent" });

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("gateway", () => {
  let dir: string;
  let file: string;
  let simulator: Simulator;
  let sink: Sink;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ampx-gateway-"));
    sink = await Sink.start({ port: 0 });
    const ports = [await freePort(), await freePort()];
    file = join(dir, "site.yaml");
    writeFileSync(
      file,
      "# a comment the dashboard must keep\n" +
        stringify({
          id: "gw-test",
          name: "Gateway test",
          transport: { type: "tcp", responseTimeout: "500ms", connectTimeout: "500ms" },
          pollClasses: { live: { interval: "1s" }, energy: { interval: "2s" }, identity: { interval: "1h" } },
          meters: [
            { id: "main", name: "Main", profile: "meatrol/mp440", host: "127.0.0.1", port: ports[0] },
            { id: "pv", name: "PV", profile: "eastron/sdm630", host: "127.0.0.1", port: ports[1] },
          ],
          upload: { url: `${sink.url}ingest`, interval: "2s", retryDelay: "1s" },
          web: { port: 0, bind: "127.0.0.1", auth: { token: TOKEN } },
          storage: { path: "gw.db" },
        }),
    );
    const site = loadSiteOrThrow(file);
    simulator = new Simulator({ site, seed: 3 });
    await simulator.start();
    gateway = await startGateway(site, { logger });
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    await simulator?.stop();
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("uploads intervals and shows them and the upload status on the dashboard API", async () => {
    const web = gateway.web!.url;
    await until("an upload", () => (sink.unique().length >= 1 ? true : undefined));
    const upload = (await (await fetch(`${web}api/upload`)).json()) as { lastSuccessAt: number | null };
    expect(upload.lastSuccessAt).not.toBeNull();
    const now = Date.now();
    const intervals = (await (
      await fetch(`${web}api/meters/main/intervals?from=${now - 60_000}&to=${now}`)
    ).json()) as { intervals?: unknown[] } | unknown[];
    const list = Array.isArray(intervals) ? intervals : (intervals.intervals ?? []);
    expect(list.length).toBeGreaterThan(0);
  });

  it("applies a rename and a faster poll class from the dashboard without a restart", async () => {
    const web = gateway.web!.url;
    const before = gateway.poller();
    const answer = await fetch(`${web}api/config`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ meters: [{ id: "pv", name: "Rooftop PV" }], pollClasses: { live: "500ms" } }),
    });
    expect(answer.status).toBe(200);
    await until("the new read plan", () => (gateway.poller() !== before ? true : undefined));
    expect(gateway.site().pollClasses.live?.intervalMs).toBe(500);
    expect(gateway.site().meters.find((m) => m.id === "pv")?.name).toBe("Rooftop PV");
    expect(readFileSync(file, "utf8")).toContain("# a comment the dashboard must keep");
    // The new poller reads: requests of the new plan keep arriving for both meters.
    const requests = () =>
      gateway
        .poller()
        .health()
        .map((h) => h.responses);
    const first = requests();
    await until("reads by the new poller", () => {
      const now = requests();
      return now.every((n, i) => n >= (first[i] ?? 0) + 3) ? true : undefined;
    });
    const meters = (await (await fetch(`${web}api/meters`)).json()) as {
      meters: { id: string; name: string }[];
    };
    expect(meters.meters.find((m) => m.id === "pv")?.name).toBe("Rooftop PV");
  });

  it("refuses the same change without credentials", async () => {
    const answer = await fetch(`${gateway.web!.url}api/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ meters: [{ id: "pv", name: "Hacked" }] }),
    });
    expect(answer.status).toBe(401);
    expect(gateway.site().meters.find((m) => m.id === "pv")?.name).toBe("Rooftop PV");
  });

  it("stops in order and a restart continues the same database without re-sending", async () => {
    await gateway.stop();
    const sent = sink.unique().length;
    const keys = new Set(sink.unique().map((r) => r.key));
    gateway = await startGateway(loadSiteOrThrow(file), { logger });
    await until("a new upload after the restart", () => (sink.unique().length > sent ? true : undefined));
    const all = sink.received();
    expect(all.filter((r) => r.duplicate)).toEqual([]);
    expect(sink.unique().length).toBeGreaterThan(keys.size);
  });
});
