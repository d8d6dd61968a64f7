// The dashboard in a real headless Chromium: the table, live updates without reload, offline meters, the
// config round trip (refused without auth, comments and .bak kept on disk), a 360-px phone without horizontal
// scroll, an inert script-injection attempt through a meter name, and screenshots in test-artifacts/.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SiteConfigEditor } from "../../engine/config-edit/index.js";
import { createWebServer, type WebServer } from "../../engine/web/server.js";
import { ARTIFACTS, launchChromium } from "./browser.js";
import { FakeLive, meterValues } from "./fixtures.js";
import { WEB_TOKEN, siteYaml, writeSiteFile, type SiteFile } from "./site-file.js";

const XSS_NAME = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

let browser: Browser;
let web: WebServer;
let live: FakeLive;
let sf: SiteFile;
let feed: NodeJS.Timeout;
const quiet = new Set<string>();
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  sf = writeSiteFile(siteYaml({ kitchen: XSS_NAME }));
  live = new FakeLive(sf.site.meters.map((m) => m.id));
  web = await createWebServer({ site: sf.site, live, configEditor: new SiteConfigEditor(sf.site) });
  // The "poller": every meter answers every 250 ms with slowly changing values (unless taken offline).
  let n = 0;
  const tick = (): void => {
    n++;
    sf.site.meters.forEach((m, i) => {
      if (!quiet.has(m.id))
        live.samples(m.id, { ...meterValues(i, n), active_power_total: 1000 + i * 750 + n });
    });
  };
  tick();
  feed = setInterval(tick, 250);
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  clearInterval(feed);
  await browser?.close();
  await web?.close();
  sf?.cleanup();
});

async function open(
  width: number,
  height: number,
  hash = "#/",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: "en-US",
    timezoneId: "UTC",
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  await page.goto(web.url + hash);
  return { context, page };
}

const powerCell = (id: string) => `#meters tr[data-meter="${id}"] td[data-col="power"] .v`;

describe("dashboard in Chromium", () => {
  it("renders one row per meter with names, profiles, badges and key quantities", async () => {
    const { context, page } = await open(1280, 800);
    await page.waitForSelector("#meters tbody tr");
    const rows = await page.$$eval("#meters tbody tr", (trs) =>
      trs.map((tr) => ({
        id: (tr as HTMLElement).dataset["meter"],
        name: tr.querySelector(".meter-name")?.textContent,
        profile: tr.querySelector(".profile")?.textContent,
      })),
    );
    expect(rows).toEqual(sf.site.meters.map((m) => ({ id: m.id, name: m.name, profile: "meatrol/mp440" })));
    await page.waitForFunction(
      () => document.querySelector('#meters tr[data-meter="main"] .badge')?.textContent === "online",
    );
    expect(await page.textContent('#meters tr[data-meter="main"] td[data-col="voltage"]')).toBe("230.3V");
    expect(await page.textContent("#energy-summary tfoot")).toContain("Site total");
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-desktop.png"), fullPage: true });
    await context.close();
  });

  it("shows a changed value within 2 s without reload", async () => {
    const { context, page } = await open(1280, 800);
    await page.waitForSelector(powerCell("hvac"));
    quiet.add("hvac");
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    live.samples("hvac", { active_power_total: 43_210 });
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === "43.21",
      powerCell("hvac"),
      {
        timeout: 2000,
      },
    );
    const latency = Date.now() - started;
    expect(latency).toBeLessThan(2000);
    expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
    quiet.delete("hvac");
    await context.close();
  });

  it("shows a meter that stops answering as offline", async () => {
    const { context, page } = await open(1280, 800);
    await page.waitForFunction(
      () => document.querySelector('#meters tr[data-meter="main"] .badge')?.textContent === "online",
    );
    quiet.add("main");
    live.offline("main");
    await page.waitForFunction(
      () => document.querySelector('#meters tr[data-meter="main"] .badge')?.textContent === "offline",
      undefined,
      { timeout: 2000 },
    );
    // The meter page shows the health counters and the error.
    await page.goto(web.url + "#/meter/main");
    await page.waitForSelector('#health [data-health="timeouts"]');
    await page.waitForFunction(
      () => document.querySelector('#health [data-health="timeouts"]')?.textContent === "3",
    );
    expect(await page.textContent("#health")).toContain("TRANSPORT_E_TIMEOUT");
    await page.waitForSelector("#chart .uplot", { timeout: 5000 });
    await page.screenshot({ path: join(ARTIFACTS, "meter-desktop.png"), fullPage: true });
    quiet.delete("main");
    await context.close();
  });

  it("keeps a script in a meter name inert (shown as text, never run)", async () => {
    const { context, page } = await open(1280, 800);
    await page.waitForSelector('#meters tr[data-meter="kitchen"] .meter-name');
    expect(await page.textContent('#meters tr[data-meter="kitchen"] .meter-name')).toBe(XSS_NAME);
    await page.goto(web.url + "#/meter/kitchen");
    await page.waitForSelector("#meter-name");
    expect(await page.textContent("#meter-name")).toBe(XSS_NAME);
    await page.goto(web.url + "#/config");
    await page.waitForSelector("#config-yaml");
    expect(await page.inputValue("#name-kitchen")).toBe(XSS_NAME);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.$$eval("main img, main script", (els) => els.length)).toBe(0);
    await context.close();
  });

  it("config edit: refused without credentials, applied with the token, comments and .bak kept on disk", async () => {
    const before = readFileSync(sf.file, "utf8");
    const { context, page } = await open(1280, 900, "#/config");
    await page.waitForSelector("#name-main");
    expect(await page.textContent("#config-yaml")).not.toContain(WEB_TOKEN);

    await page.fill("#name-main", "Main board");
    await page.click("#config-save");
    await page.waitForSelector('#config-result[data-result="error"]');
    expect(await page.textContent("#config-result")).toContain("token");
    expect(readFileSync(sf.file, "utf8")).toBe(before);

    await page.fill("#auth-token", WEB_TOKEN);
    await page.fill("#poll-live", "2s");
    await page.click("#config-save");
    await page.waitForSelector('#config-result[data-result="ok"]');
    const after = readFileSync(sf.file, "utf8");
    expect(after).toContain(`name: "Main board"`);
    expect(after).toContain("live: { interval: 2s } # fast for the dashboard");
    expect(after).toContain("# The main board.");
    expect(readFileSync(sf.file + ".bak", "utf8")).toBe(before);
    await page.screenshot({ path: join(ARTIFACTS, "config-desktop.png"), fullPage: true });

    // Applied without restart: the table shows the new name.
    await page.goto(web.url + "#/");
    await page.waitForFunction(
      () => document.querySelector('#meters tr[data-meter="main"] .meter-name')?.textContent === "Main board",
    );
    await context.close();
  });

  it("has no horizontal scroll on a 360-px phone, on every view", async () => {
    const { context, page } = await open(360, 740);
    for (const [hash, ready, shot] of [
      ["#/", "#meters tbody tr", "dashboard-phone.png"],
      ["#/meter/main", "#quantities tbody tr", "meter-phone.png"],
      ["#/status", "#gateway-facts", "status-phone.png"],
      ["#/config", "#config-yaml", "config-phone.png"],
    ] as const) {
      await page.goto(web.url + hash);
      await page.waitForSelector(ready);
      await page.waitForTimeout(300);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, hash).toBeLessThanOrEqual(360);
      await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
    }
    const dark = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: "dark" });
    const darkPage = await dark.newPage();
    await darkPage.goto(web.url);
    await darkPage.waitForSelector("#meters tbody tr");
    const bg = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(16, 19, 23)");
    await darkPage.screenshot({ path: join(ARTIFACTS, "dashboard-phone-dark.png"), fullPage: true });
    await dark.close();
    await context.close();
    expect(existsSync(join(ARTIFACTS, "dashboard-phone.png"))).toBe(true);
  });

  it("logged no page errors and no CSP violations", () => {
    // Expected HTTP errors (the refused save, intervals without a store) are not page errors.
    expect(pageErrors.filter((e) => !/status of (401|503)/.test(e))).toEqual([]);
  });
});
