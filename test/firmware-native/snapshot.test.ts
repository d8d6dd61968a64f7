// The native firmware's local web endpoints against the engine's dashboard API, for the same
// simulator state: the simulator's clock is frozen (every read returns the same words) and a few
// values are pinned or made implausible, then the firmware's GET /api/snapshot and the engine's
// GET /api/meters (its Poller and web server, polling the same simulated meters) must list the same
// meters with the same quantities, values and qualities. Also: GET / serves the table page as the
// gzipped bytes of firmware/src/app/table_page.h, which unpack to table.html.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Poller } from "../../engine/poller/index.js";
import { Simulator } from "../../engine/sim/index.js";
import { createWebServer } from "../../engine/web/server.js";
import type { WebServer } from "../../engine/web/server.js";
import { freePort } from "../helpers/free-port.js";
import { buildNative, GatewayProcess, getJson, writeSite } from "./native.js";
import type { NativeBuild } from "./native.js";
import { headerBytes, headerFile, pageFile } from "./table-page.js";

interface Value {
  v: number | string | null;
  q: string;
  t: number | null;
}
interface MeterValues {
  id: string;
  name: string;
  status: string;
  values: Record<string, Value>;
}
interface Listing {
  quantities: Record<string, { unit: string; kind: string }>;
  meters: MeterValues[];
}

const dir = mkdtempSync(join(tmpdir(), "ampx-fw-snapshot-"));
const FROZEN = Date.UTC(2026, 11, 4, 13, 7, 30, 250);
let build: NativeBuild;
let sim: Simulator;
let poller: Poller;
let web: WebServer;
let gateway: GatewayProcess;

beforeAll(async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  const siteFile = writeSite(dir, {
    id: "fw-snapshot",
    name: "Snapshot comparison",
    timezone: "UTC",
    transport: { type: "tcp", connectTimeout: "500ms", responseTimeout: "300ms" },
    pollClasses: {
      live: { interval: "300ms" },
      energy: { interval: "300ms" },
      identity: { interval: "300ms" },
    },
    meters: [
      { id: "main", name: "Main", profile: "meatrol/mp440", host: "127.0.0.1", port: ports[0], unitId: 1 },
      { id: "pv", name: "PV", profile: "eastron/sdm630", host: "127.0.0.1", port: ports[1], unitId: 1 },
      { id: "hvac", name: "HVAC", profile: "meatrol/me631", host: "127.0.0.1", port: ports[2], unitId: 1 },
    ],
    web: { port: 0, bind: "127.0.0.1" },
  });
  build = await buildNative(siteFile, dir);
  sim = new Simulator({ site: build.site, seed: 5, now: () => FROZEN });
  await sim.start();
  sim.meter("main").set("voltage_l1", 231.25).set("active_power_total", 12500);
  sim.meter("pv").inject({ kind: "out-of-range", quantity: "voltage_l2", value: 9999 });
  sim.meter("hvac").inject({ kind: "nan", quantity: "frequency" });
  poller = new Poller(build.site);
  poller.start();
  web = await createWebServer({ site: build.site, live: poller });
  gateway = await GatewayProcess.start(build.binary, { AMPX_STATE_DIR: join(dir, "state") });
}, 60_000);

afterAll(async () => {
  await gateway?.stop("SIGKILL");
  await web?.close();
  await poller?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Both sides, once every meter of both has a value for each of its profile's quantities. */
async function bothComplete(): Promise<{ firmware: Listing; engine: Listing }> {
  const expected = new Map(
    build.site.meters.map((m) => [m.id, new Set(m.profile.registers.map((r) => r.quantity)).size]),
  );
  const complete = (l: Listing) => l.meters.every((m) => Object.keys(m.values).length === expected.get(m.id));
  const until = Date.now() + 8000;
  for (;;) {
    const [firmware, engine] = await Promise.all([
      getJson<Listing>(`${gateway.url}/api/snapshot`),
      getJson<Listing>(`${web.url}api/meters`),
    ]);
    if (complete(firmware) && complete(engine)) return { firmware, engine };
    if (Date.now() > until) throw new Error("the firmware or the engine did not read every quantity in 8 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("native firmware local web endpoints", () => {
  it("GET /api/snapshot lists the same meters, quantities, values and qualities as the engine's GET /api/meters", async () => {
    const { firmware, engine } = await bothComplete();
    expect(firmware.meters.map((m) => m.id)).toEqual(engine.meters.map((m) => m.id));
    let compared = 0;
    for (const fw of firmware.meters) {
      const en = engine.meters.find((m) => m.id === fw.id)!;
      expect(fw.name).toBe(en.name);
      expect(fw.status).toBe(en.status);
      expect(Object.keys(fw.values).sort()).toEqual(Object.keys(en.values).sort());
      for (const [quantity, value] of Object.entries(fw.values)) {
        expect({ quantity, v: value.v, q: value.q }).toEqual({
          quantity,
          v: en.values[quantity]!.v,
          q: en.values[quantity]!.q,
        });
        expect(value.t).toBeGreaterThan(FROZEN - 60_000);
        const info = firmware.quantities[quantity]!;
        expect({ unit: info.unit, kind: info.kind }).toEqual({
          unit: engine.quantities[quantity]!.unit,
          kind: engine.quantities[quantity]!.kind,
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
    const main = firmware.meters.find((m) => m.id === "main")!;
    expect(main.values["voltage_l1"]).toMatchObject({ v: 231.25, q: "good" });
    expect(main.values["active_power_total"]).toMatchObject({ v: 12500, q: "good" });
    expect(firmware.meters.find((m) => m.id === "pv")!.values["voltage_l2"]).toMatchObject({
      v: 9999,
      q: "out_of_range",
    });
    expect(firmware.meters.find((m) => m.id === "hvac")!.values["frequency"]).toMatchObject({
      v: null,
      q: "invalid",
    });
  }, 20_000);

  it("GET / serves the gzipped table page, and the committed header unpacks to table.html", async () => {
    const header = readFileSync(headerFile, "utf8");
    expect(gunzipSync(headerBytes(header)).toString("utf8")).toBe(readFileSync(pageFile, "utf8"));
    const response = await fetch(`${gateway.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(await response.text()).toBe(readFileSync(pageFile, "utf8"));
    expect((await fetch(`${gateway.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/api/snapshot`, { method: "POST" })).status).toBe(405);
  });
});
