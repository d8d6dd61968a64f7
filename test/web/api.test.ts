// The JSON API over a real HTTP server: every endpoint, its bad requests (4xx JSON, never a stack), auth and
// Origin checks on writes, /metrics, static files and security headers.
import { readFileSync } from "node:fs";
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { SiteConfigEditor } from "../../engine/config-edit/index.js";
import type { IntervalAggregate, Sample } from "../../engine/model.js";
import { createWebServer, type WebServer, type WebServerOptions } from "../../engine/web/server.js";
import type { HistorySource, UploadStatus } from "../../engine/web/sources.js";
import { FakeLive, meterValues, testSite } from "./fixtures.js";
import { UPLOAD_TOKEN, WEB_PASSWORD, WEB_TOKEN, writeSiteFile, type SiteFile } from "./site-file.js";

let web: WebServer | undefined;
let sf: SiteFile | undefined;
afterEach(async () => {
  await web?.close();
  web = undefined;
  sf?.cleanup();
  sf = undefined;
});

async function start(options: Partial<WebServerOptions> = {}): Promise<{ web: WebServer; live: FakeLive }> {
  const site = options.site ?? testSite({ upload: true });
  const live = new FakeLive(site.meters.map((m) => m.id));
  web = await createWebServer({ site, live, ...options });
  return { web, live };
}

// JSON bodies are inspected freely here; the API's shapes are documented in docs/api.md.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function get(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(new URL(path, web!.url), init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

function expectJsonError(r: { status: number; body: Json }, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe("string");
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+|node:internal|stack/);
}

/** A HistorySource over arrays (what the store offers, in memory). */
class ArrayHistory implements HistorySource {
  samplesList: Sample[] = [];
  intervalList: IntervalAggregate[] = [];
  samples(meterId: string, quantity: string, since: number): Sample[] {
    return this.samplesList.filter(
      (s) => s.meterId === meterId && s.quantity === quantity && s.timestamp >= since,
    );
  }
  intervals(meterId: string, from: number, to: number): IntervalAggregate[] {
    return this.intervalList.filter((i) => i.meterId === meterId && i.start >= from && i.start < to);
  }
}

describe("reads", () => {
  it("GET /api/site describes the site without secrets", async () => {
    await start();
    const r = await get("/api/site");
    expect(r.status).toBe(200);
    expect(r.body.id).toBe("test-site");
    expect(r.body.gatewayId).toBe("100001");
    expect(r.body.meters.map((m: { id: string }) => m.id)).toEqual(["main", "hvac", "kitchen"]);
    expect(r.body.quantities.active_power_total).toEqual({
      label: "Active power total",
      unit: "W",
      kind: "instantaneous",
    });
    expect(r.body.upload.url).toBe("https://****@api.example.com/ingest?key=****");
    const text = JSON.stringify(r.body);
    for (const secret of ["hunter2", "abc123", "upload-secret-token"]) expect(text).not.toContain(secret);
  });

  it("GET /api/meters and /api/meters/:id carry the live values, status and health", async () => {
    const { live } = await start();
    live.samples("main", meterValues(0));
    const list = await get("/api/meters");
    expect(list.status).toBe(200);
    const main = list.body.meters.find((m: { id: string }) => m.id === "main");
    expect(main.status).toBe("online");
    expect(main.values.active_power_total.v).toBe(1000);
    expect(main.values.active_power_total.q).toBe("good");
    expect(main.health.responses).toBe(1);
    expect(list.body.meters.find((m: { id: string }) => m.id === "hvac").status).toBe("unknown");

    const one = await get("/api/meters/main");
    expect(one.status).toBe(200);
    expect(one.body.meter.values.serial_number.v).toBe("SN-1000");
    expect(one.body.quantities.frequency.unit).toBe("Hz");
  });

  it("unknown meter → 404 JSON on every meter endpoint", async () => {
    await start();
    for (const path of [
      "/api/meters/nope",
      "/api/meters/nope/history?quantity=frequency",
      "/api/meters/nope/intervals",
    ]) {
      expectJsonError(await get(path), 404, "WEB_E_UNKNOWN_METER");
    }
    expectJsonError(await get("/api/meters/%E0%A4%A"), 404, "WEB_E_UNKNOWN_METER");
  });

  it("GET /api/health counts meters by status and includes bus and storage", async () => {
    const { live } = await start({
      storage: { storageStats: () => ({ sizeBytes: 123456, path: "/data/x.db" }) },
    });
    live.samples("main", meterValues(0));
    live.offline("hvac");
    const r = await get("/api/health");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("degraded");
    expect(r.body.bus).toMatchObject({
      type: "rtu",
      port: "/dev/ttyTEST0",
      metersOnline: 1,
      metersEnabled: 3,
    });
    expect(r.body.meters.find((m: { id: string }) => m.id === "hvac").status).toBe("offline");
    expect(r.body.storage).toEqual({ sizeBytes: 123456, path: "/data/x.db" });
    expect(r.body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("history: from the store when there is one, validated quantity and since", async () => {
    const history = new ArrayHistory();
    const now = Date.now();
    for (let i = 0; i < 5; i++) {
      history.samplesList.push({
        meterId: "main",
        quantity: "active_power_total",
        value: i === 2 ? null : 100 * i,
        unit: "W",
        quality: i === 2 ? "invalid" : "good",
        timestamp: now - (5 - i) * 60_000,
      });
    }
    await start({ history });
    const r = await get(`/api/meters/main/history?quantity=active_power_total&since=${now - 3.5 * 60_000}`);
    expect(r.status).toBe(200);
    expect(r.body.source).toBe("store");
    expect(r.body.unit).toBe("W");
    expect(r.body.points).toEqual([
      [now - 3 * 60_000, null],
      [now - 2 * 60_000, 300],
      [now - 60_000, 400],
    ]);
    expectJsonError(await get("/api/meters/main/history"), 400, "WEB_E_BAD_REQUEST");
    expectJsonError(
      await get("/api/meters/main/history?quantity=reactive_power_total"),
      404,
      "WEB_E_UNKNOWN_QUANTITY",
    );
    expectJsonError(
      await get("/api/meters/main/history?quantity=frequency&since=yesterday"),
      400,
      "WEB_E_BAD_TIME",
    );
    expectJsonError(
      await get(`/api/meters/main/history?quantity=frequency&since=${now + 3_600_000}`),
      400,
      "WEB_E_BAD_RANGE",
    );
    expectJsonError(
      await get(`/api/meters/main/history?quantity=frequency&since=${now - 2 * 86_400_000}`),
      400,
      "WEB_E_BAD_RANGE",
    );
  });

  it("history without a store comes from the in-memory hour", async () => {
    const { live } = await start();
    const t0 = Date.now() - 60_000;
    live.samples("main", { frequency: 50 }, t0);
    live.samples("main", { frequency: 50.1 }, t0 + 1000); // within 10 s: not kept
    live.samples("main", { frequency: 49.9 }, t0 + 20_000);
    const r = await get("/api/meters/main/history?quantity=frequency");
    expect(r.body.source).toBe("memory");
    expect(r.body.points).toEqual([
      [t0, 50],
      [t0 + 20_000, 49.9],
    ]);
  });

  it("intervals: by meter and time range (epoch ms or ISO), bad ranges refused", async () => {
    const history = new ArrayHistory();
    const base = Date.UTC(2026, 11, 4, 10, 0, 0);
    for (let k = 0; k < 4; k++) {
      history.intervalList.push({
        meterId: "main",
        quantity: "active_energy_import",
        kind: "counter",
        unit: "kWh",
        start: base + k * 900_000,
        end: base + (k + 1) * 900_000,
        count: 15,
        badCount: 0,
        coverage: 1,
        quality: "good",
        first: k,
        last: k + 1,
        delta: 1,
      });
    }
    await start({ history });
    const r = await get(`/api/meters/main/intervals?from=2026-12-04T10:15:00Z&to=${base + 3 * 900_000}`);
    expect(r.status).toBe(200);
    expect(r.body.intervals.map((i: IntervalAggregate) => i.start)).toEqual([
      base + 900_000,
      base + 1_800_000,
    ]);
    expect(r.body.from).toBe(base + 900_000);
    expectJsonError(await get(`/api/meters/main/intervals?from=${base}&to=${base}`), 400, "WEB_E_BAD_RANGE");
    expectJsonError(
      await get(`/api/meters/main/intervals?from=${base}&to=${base - 1}`),
      400,
      "WEB_E_BAD_RANGE",
    );
    expectJsonError(await get(`/api/meters/main/intervals?from=0&to=${base}`), 400, "WEB_E_BAD_RANGE");
    expectJsonError(await get("/api/meters/main/intervals?from=soon"), 400, "WEB_E_BAD_TIME");
    expectJsonError(await get("/api/meters/main/intervals?from=1&from=2"), 400, "WEB_E_BAD_TIME");
  });

  it("intervals and upload status without their sources → 503 JSON; no upload section → configured false", async () => {
    await start();
    expectJsonError(await get("/api/meters/main/intervals"), 503, "WEB_E_UNAVAILABLE");
    expectJsonError(await get("/api/upload"), 503, "WEB_E_UNAVAILABLE");
    await web!.close();
    web = undefined;
    await start({ site: testSite() });
    expect((await get("/api/upload")).body).toEqual({ configured: false });
  });

  it("GET /api/upload merges the uploader's status with the (redacted) settings", async () => {
    const status: UploadStatus = {
      enabled: true,
      lastSuccessAt: 1_800_000_000_000,
      lastAttemptAt: 1_800_000_060_000,
      lastError: { message: "HTTP 503 from the API", at: 1_800_000_060_000, status: 503 },
      backlog: 7,
      oldestPendingStart: 1_799_999_100_000,
      nextAttemptAt: 1_800_000_120_000,
      parked: [
        {
          key: "test-site/main/1799998200000",
          meterId: "main",
          intervalStart: 1_799_998_200_000,
          parkedAt: 1,
          reason: "HTTP 422: unknown meter",
          attempts: 3,
        },
      ],
    };
    await start({ upload: { uploadStatus: async () => status } });
    const r = await get("/api/upload");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      configured: true,
      intervalMs: 900_000,
      backlog: 7,
      parked: status.parked,
    });
    expect(r.body.url).not.toContain("hunter2");
  });

  it("unknown API paths and pages → 404 JSON; a failing source → 500 without details", async () => {
    await start({
      storage: {
        storageStats: () => {
          throw new Error("secret internals at /srv/x.ts:12");
        },
      },
      upload: {
        uploadStatus: () => {
          throw new Error("boom at engine/upload/x.ts:1");
        },
      },
    });
    expectJsonError(await get("/api/nope"), 404, "WEB_E_NOT_FOUND");
    expectJsonError(await get("/nope.html"), 404, "WEB_E_NOT_FOUND");
    const r = await get("/api/upload");
    expectJsonError(r, 500, "WEB_E_INTERNAL");
    expect(JSON.stringify(r.body)).not.toContain("boom");
    // A failing storage only blanks its part of /api/health.
    expect((await get("/api/health")).body.storage).toBeNull();
  });
});

describe("/metrics", () => {
  it("exposes per-meter gauges and counters in Prometheus text format", async () => {
    const { live } = await start({
      upload: {
        uploadStatus: () => ({
          enabled: true,
          lastSuccessAt: 1_800_000_000_000,
          lastAttemptAt: null,
          lastError: null,
          backlog: 4,
          oldestPendingStart: null,
          nextAttemptAt: null,
          parked: [],
        }),
      },
      storage: { storageStats: () => ({ sizeBytes: 4096 }) },
    });
    live.samples("main", meterValues(0));
    live.offline("hvac");
    const r = await get("/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/plain");
    const text = r.body as string;
    expect(text).toContain('ampx_meter_up{meter="main",status="online"} 1');
    expect(text).toContain('ampx_meter_up{meter="hvac",status="offline"} 0');
    expect(text).toContain('ampx_meter_timeouts_total{meter="hvac"} 3');
    expect(text).toContain('ampx_meter_requests_total{meter="main"} 1');
    expect(text).toContain('ampx_quantity_value{meter="main",quantity="active_power_total",unit="W"} 1000');
    expect(text).toContain('ampx_meter_latency_seconds{meter="main",quantile="0.5"} 0.018');
    expect(text).toContain("ampx_upload_backlog 4");
    expect(text).toContain("ampx_upload_last_success_timestamp_seconds 1800000000");
    expect(text).toContain("ampx_storage_size_bytes 4096");
    expect(text).toMatch(/ampx_build_info\{version="[^"]+",site="test-site"\} 1/);
    expect(text).toContain("# TYPE ampx_meter_timeouts_total counter");
  });
});

describe("pages and headers", () => {
  it("serves the page, its modules and uPlot with CSP, ETag and gzip", async () => {
    await start();
    const page = await fetch(web!.url, { headers: { "accept-encoding": "gzip" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    const app = await fetch(new URL("/app.js", web!.url));
    expect(app.headers.get("content-type")).toContain("text/javascript");
    const etag = app.headers.get("etag")!;
    const again = await fetch(new URL("/app.js", web!.url), { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const uplot = await fetch(new URL("/vendor/uPlot.iife.min.js", web!.url));
    expect(uplot.status).toBe(200);
    expect((await uplot.text()).length).toBeGreaterThan(10_000);
    // No path outside the served set is reachable.
    expect((await fetch(new URL("/../package.json", web!.url))).status).toBe(404);
    expect((await fetch(new URL("/%2e%2e/package.json", web!.url))).status).toBe(404);
  });
});

describe("POST /api/config", () => {
  async function startWithFile(options: Partial<WebServerOptions> = {}): Promise<string> {
    sf = writeSiteFile();
    const editor = new SiteConfigEditor(sf.site);
    await start({ site: sf.site, configEditor: editor, ...options });
    return sf.file;
  }
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    get("/api/config", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  /** POSTs from a chosen local address (fetch cannot pick one); resolves with the status. */
  const postFrom = (localAddress: string, body: unknown, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        new URL("/api/config", web!.url),
        { method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(body));
    });

  it("GET /api/config shows the redacted file and the editable values", async () => {
    await startWithFile();
    const r = await get("/api/config");
    expect(r.status).toBe(200);
    expect(r.body.writable).toBe(true);
    expect(r.body.yaml).toContain("# The main board.");
    for (const secret of [WEB_TOKEN, WEB_PASSWORD, UPLOAD_TOKEN])
      expect(JSON.stringify(r.body)).not.toContain(secret);
  });

  it("applies a change with the bearer token or basic auth, and the site follows without restart", async () => {
    const file = await startWithFile();
    const ok = await post(
      { meters: [{ id: "main", name: "Incomer A" }] },
      { authorization: `Bearer ${WEB_TOKEN}` },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(readFileSync(file, "utf8")).toContain('name: "Incomer A"');
    expect((await get("/api/meters/main")).body.meter.name).toBe("Incomer A");
    const basic = "Basic " + Buffer.from(`admin:${WEB_PASSWORD}`).toString("base64");
    const ok2 = await post({ pollClasses: { live: "2s" } }, { authorization: basic });
    expect(ok2.status).toBe(200);
    expect((await get("/api/site")).body.pollClasses.live).toBe(2000);
  });

  it("refuses writes without or with wrong credentials (401), leaving the file as it was", async () => {
    const file = await startWithFile();
    const before = readFileSync(file, "utf8");
    const change = { meters: [{ id: "main", name: "Hacked" }] };
    const none = await post(change);
    expectJsonError(none, 401, "WEB_E_UNAUTHORIZED");
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expectJsonError(await post(change, { authorization: "Bearer wrong" }), 401, "WEB_E_UNAUTHORIZED");
    expectJsonError(await post(change, { authorization: `Bearer ${WEB_TOKEN}x` }), 401, "WEB_E_UNAUTHORIZED");
    const wrongUser = "Basic " + Buffer.from(`root:${WEB_PASSWORD}`).toString("base64");
    expectJsonError(await post(change, { authorization: wrongUser }), 401, "WEB_E_UNAUTHORIZED");
    expectJsonError(await post(change, { authorization: "Basic !!!" }), 401, "WEB_E_UNAUTHORIZED");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("pauses an address after 5 wrong credentials a minute (429 + Retry-After); others and a later retry pass", async () => {
    let clock = 1_000_000;
    const file = await startWithFile({ loginLimiter: { now: () => clock } });
    const before = readFileSync(file, "utf8");
    const change = { meters: [{ id: "main", name: "Guessed" }] };
    const right = { authorization: `Bearer ${WEB_TOKEN}` };
    // A missing header is not a guess and does not count.
    expectJsonError(await post(change), 401, "WEB_E_UNAUTHORIZED");
    for (let i = 0; i < 5; i++) {
      expectJsonError(await post(change, { authorization: `Bearer guess${i}` }), 401, "WEB_E_UNAUTHORIZED");
    }
    const blocked = await post(change, right);
    expectJsonError(blocked, 429, "WEB_E_TOO_MANY_ATTEMPTS");
    expect(blocked.headers.get("retry-after")).toBe("60");
    expect(readFileSync(file, "utf8")).toBe(before);
    clock += 30_000;
    expect((await post(change, right)).headers.get("retry-after")).toBe("30");
    // Another client address (127.0.0.2 is loopback too on Linux) is not affected.
    expect(await postFrom("127.0.0.2", change, right)).toBe(200);
    clock += 30_000;
    expect((await post({ meters: [{ id: "main", name: "After the pause" }] }, right)).status).toBe(200);
    // The success started the address afresh: four new failures do not block it.
    for (let i = 0; i < 4; i++) {
      expectJsonError(await post(change, { authorization: "Bearer again" }), 401, "WEB_E_UNAUTHORIZED");
    }
    expect((await post({ meters: [{ id: "main", name: "Still allowed" }] }, right)).status).toBe(200);
    expect(readFileSync(file, "utf8")).toContain('name: "Still allowed"');
  });

  it("refuses foreign origins (403) even with the right token; accepts allowed ones", async () => {
    await startWithFile();
    const auth = { authorization: `Bearer ${WEB_TOKEN}` };
    const change = { meters: [{ id: "main", name: "X" }] };
    expectJsonError(await post(change, { ...auth, origin: "http://evil.example" }), 403, "WEB_E_ORIGIN");
    expectJsonError(await post(change, { ...auth, origin: "null" }), 403, "WEB_E_ORIGIN");
    const own = new URL(web!.url).origin;
    expect((await post(change, { ...auth, origin: own })).status).toBe(200);
  });

  it("refuses bad bodies (400/413/415) and invalid results (422 with the problems)", async () => {
    await startWithFile();
    const auth = { authorization: `Bearer ${WEB_TOKEN}` };
    expectJsonError(await post("{not json", auth), 400, "WEB_E_BAD_BODY");
    expectJsonError(await post({ web: { auth: null } }, auth), 400, "WEB_E_BAD_BODY");
    expectJsonError(await post({ meters: [{ id: "main", name: "" }] }, auth), 400, "WEB_E_BAD_BODY");
    expectJsonError(await post({ pollClasses: { live: "fast" } }, auth), 400, "WEB_E_BAD_BODY");
    expectJsonError(await post({ upload: { url: "ftp://x" } }, auth), 400, "WEB_E_BAD_BODY");
    expectJsonError(
      await post({ meters: [{ id: "main", name: "x".repeat(70_000) }] }, auth),
      413,
      "WEB_E_BODY_TOO_LARGE",
    );
    const form = await get("/api/config", {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: "meters=1",
    });
    expectJsonError(form, 415, "WEB_E_UNSUPPORTED_MEDIA_TYPE");
    const invalid = await post({ meters: [{ id: "ghost", name: "Ghost" }] }, auth);
    expectJsonError(invalid, 422, "WEB_E_INVALID_CONFIG");
    expect(invalid.body.error.problems[0].code).toBe("EDIT_E_UNKNOWN_METER");
  });

  it("without web.auth every write is refused (403) and the page says so", async () => {
    await start({ site: testSite() });
    const r = await get("/api/config", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expectJsonError(r, 403, "WEB_E_WRITES_DISABLED");
    expect((await get("/api/site")).body.writable).toBe(false);
  });
});
