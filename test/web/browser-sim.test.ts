// End to end with the real parts: the meter simulator serving Modbus TCP, the real Poller reading it, and
// the dashboard in Chromium. A value set in the simulator reaches the page within 2 s without reload, and a
// meter whose simulator stops answering turns offline.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolvedSite } from "../../engine/model.js";
import { Poller } from "../../engine/poller/index.js";
import { Simulator } from "../../engine/sim/index.js";
import { createWebServer, type WebServer } from "../../engine/web/server.js";
import { launchChromium } from "./browser.js";
import { writeSiteFile, type SiteFile } from "./site-file.js";

let sf: SiteFile;
let sim: Simulator;
let poller: Poller;
let web: WebServer;
let browser: Browser;

beforeAll(async () => {
  sf = writeSiteFile();
  // Each simulated meter on a free port; the poller is pointed at the ports the simulator got.
  const simSite: ResolvedSite = { ...sf.site, meters: sf.site.meters.map((m) => ({ ...m, port: 0 })) };
  sim = new Simulator({ site: simSite, seed: 7 });
  const endpoints = await sim.start();
  const portOf = new Map(endpoints.map((e) => [e.meterId, e.transport === "tcp" ? e.port : 0]));
  const site: ResolvedSite = {
    ...sf.site,
    transport: { ...sf.site.transport, responseTimeoutMs: 200, retries: 0 } as ResolvedSite["transport"],
    meters: sf.site.meters.map((m) => ({ ...m, port: portOf.get(m.id) ?? 0 })),
  };
  poller = new Poller(site, { offlineAfter: 2, offlineBackoffMs: 60_000 });
  web = await createWebServer({ site, live: poller });
  poller.start();
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await poller?.stop();
  await web?.close();
  await sim?.stop();
  sf?.cleanup();
});

describe("dashboard with the simulator and the poller", () => {
  it("renders every simulator meter, shows a changed value within 2 s, and shows a silent meter as offline", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const page = await context.newPage();
    await page.goto(web.url);
    await page.waitForSelector("#meters tbody tr");
    const ids = await page.$$eval("#meters tbody tr", (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset["meter"]),
    );
    expect(ids).toEqual(sf.site.meters.map((m) => m.id));
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll("#meters .badge")).every((b) => b.textContent === "online"),
      undefined,
      { timeout: 10_000 },
    );

    const started = Date.now();
    sim.meter("main").set("active_power_total", 54_321);
    await page.waitForFunction(
      () =>
        document.querySelector('#meters tr[data-meter="main"] td[data-col="power"] .v')?.textContent ===
        "54.32",
      undefined,
      { timeout: 2000 },
    );
    expect(Date.now() - started).toBeLessThan(2000);

    sim.meter("hvac").inject({ kind: "timeout" });
    await page.waitForFunction(
      () => document.querySelector('#meters tr[data-meter="hvac"] .badge')?.textContent === "offline",
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.textContent('#meters tr[data-meter="main"] .badge')).toBe("online");
    await context.close();
  }, 40_000);
});
