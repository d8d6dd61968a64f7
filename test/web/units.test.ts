// The small pure pieces of engine/web, one behaviour per test.
import { describe, expect, it } from "vitest";
import { checkAuthorization, safeEqual } from "../../engine/web/auth.js";
import { parseConfigChange } from "../../engine/web/config-change.js";
import { LiveState, staleAfter, type MeterDelta } from "../../engine/web/live-state.js";
import { MemoryHistory } from "../../engine/web/memory-history.js";
import { originAllowed } from "../../engine/web/origin.js";
import { redactUrl } from "../../engine/web/redact-url.js";
import { downsample, parseTime } from "../../engine/web/time-query.js";
import { FakeLive, testSite } from "./fixtures.js";

describe("LiveState statuses", () => {
  it("goes unknown → online → stale → online → offline, and reports each change once", () => {
    let now = 1_000_000;
    const site = testSite({ meters: [{ id: "a" }, { id: "off", enabled: false }] });
    const live = new FakeLive(["a", "off"]);
    const state = new LiveState(site, live, { now: () => now, statusCheckMs: 60_000 });
    const changes: [string, MeterDelta][] = [];
    state.on("change", (id: string, d: MeterDelta) => changes.push([id, d]));
    expect(state.meter("a")?.status).toBe("unknown");
    expect(state.meter("off")?.status).toBe("disabled");

    live.samples("a", { frequency: 50 }, now);
    expect(state.meter("a")?.status).toBe("online");
    expect(changes.find(([, d]) => d.status === "online")).toBeDefined();

    // live class 1 s → stale after max(5 s, 3 × 1 s) without samples.
    expect(staleAfter(site, site.meters[0]!)).toBe(5000);
    now += 5001;
    (state as unknown as { checkStatuses(): void }).checkStatuses();
    expect(state.meter("a")?.status).toBe("stale");
    live.samples("a", { frequency: 50 }, now);
    expect(state.meter("a")?.status).toBe("online");
    live.offline("a");
    expect(state.meter("a")?.status).toBe("offline");
    expect(changes.filter(([, d]) => d.status).map(([, d]) => d.status)).toEqual([
      "online",
      "stale",
      "online",
      "offline",
    ]);
    state.close();
  });

  it("reports only values whose value or quality changed, and ignores unknown meters", () => {
    const site = testSite({ meters: [{ id: "a" }] });
    const live = new FakeLive(["a"]);
    const state = new LiveState(site, live);
    live.samples("a", { frequency: 50, voltage_l1: 230 });
    const deltas: MeterDelta[] = [];
    state.on("change", (_id: string, d: MeterDelta) => deltas.push(d));
    live.samples("a", { frequency: 50, voltage_l1: 231 });
    const withValues = deltas.filter((d) => d.values);
    expect(withValues).toHaveLength(1);
    expect(Object.keys(withValues[0]!.values!)).toEqual(["voltage_l1"]);
    live.samples("ghost", { frequency: 1 });
    expect(state.unknownSamples).toBe(1);
    state.close();
  });
});

describe("MemoryHistory", () => {
  it("keeps one point per resolution step and forgets beyond its capacity", () => {
    const h = new MemoryHistory({ windowMs: 100_000, resolutionMs: 10_000 });
    for (let t = 0; t <= 200_000; t += 1000) h.add("a", "q", t, t / 1000);
    const points = h.since("a", "q", 0);
    expect(points.length).toBe(11);
    expect(points[0]).toEqual([100_000, 100]);
    expect(points.at(-1)).toEqual([200_000, 200]);
    expect(h.since("a", "other", 0)).toEqual([]);
  });
});

describe("time parameters", () => {
  it("accepts epoch ms and ISO 8601, refuses the rest", () => {
    expect(parseTime("1796400000000", "from", 0)).toBe(1_796_400_000_000);
    expect(parseTime("2026-12-04T10:00:00Z", "from", 0)).toBe(Date.UTC(2026, 11, 4, 10));
    expect(parseTime(undefined, "from", 42)).toBe(42);
    expect(() => parseTime("tomorrow", "from", 0)).toThrow(/ISO 8601/);
    expect(() => parseTime("-5", "from", 0)).toThrow();
  });

  it("downsamples into averaged buckets, keeping gaps", () => {
    const points: [number, number | null][] = Array.from({ length: 100 }, (_, i) => [i, i < 50 ? 1 : null]);
    const out = downsample(points, 10);
    expect(out).toHaveLength(10);
    expect(out[0]).toEqual([0, 1]);
    expect(out[9]?.[1]).toBeNull();
    expect(downsample(points.slice(0, 5), 10)).toHaveLength(5);
  });
});

describe("auth and origin", () => {
  const site = testSite({ auth: { token: "tok", username: "admin", password: "pw" } });
  const resolve = (v: string) => v;
  it("accepts the bearer token and basic credentials, nothing else", () => {
    expect(checkAuthorization("Bearer tok", site, resolve)).toBe("ok");
    expect(checkAuthorization("bearer tok", site, resolve)).toBe("ok");
    expect(checkAuthorization("Basic " + Buffer.from("admin:pw").toString("base64"), site, resolve)).toBe(
      "ok",
    );
    expect(checkAuthorization("Basic " + Buffer.from("admin:pw2").toString("base64"), site, resolve)).toBe(
      "wrong",
    );
    expect(checkAuthorization("Bearer to", site, resolve)).toBe("wrong");
    expect(checkAuthorization("Token tok", site, resolve)).toBe("wrong");
    expect(checkAuthorization(undefined, site, resolve)).toBe("missing");
    expect(checkAuthorization("Bearer tok", testSite(), resolve)).toBe("not-configured");
    const failing = () => {
      throw new Error("unset");
    };
    expect(checkAuthorization("Bearer tok", site, failing)).toBe("secret-error");
    expect(safeEqual("", "")).toBe(false);
  });

  it("allows the own origin, listed origins and no origin; refuses others and null", () => {
    const h = (origin?: string) => ({ host: "10.0.0.5:8080", ...(origin ? { origin } : {}) });
    expect(originAllowed(h("http://10.0.0.5:8080"), [])).toBe(true);
    expect(originAllowed(h(), [])).toBe(true);
    expect(originAllowed(h("http://10.0.0.5:9090"), [])).toBe(false);
    expect(originAllowed(h("https://gw.example.com"), ["https://gw.example.com/"])).toBe(true);
    expect(originAllowed(h("null"), ["null"])).toBe(false);
  });

  it("redacts credentials and query values of URLs", () => {
    expect(redactUrl("https://u:p@x.example/a?key=1&b=2")).toBe("https://****@x.example/a?key=****&b=****");
    expect(redactUrl("https://x.example/a")).toBe("https://x.example/a");
    expect(redactUrl("not a url")).toBe("****");
  });
});

describe("parseConfigChange", () => {
  it("takes only names, poll intervals and the upload URL and interval", () => {
    expect(parseConfigChange({ meters: [{ id: "a", name: " A " }], pollClasses: { live: "2s" } })).toEqual({
      meters: [{ id: "a", name: "A" }],
      pollClasses: { live: "2s" },
    });
    expect(() => parseConfigChange({ transport: {} })).toThrow(/cannot be changed/);
    expect(() => parseConfigChange({ upload: { template: "x" } })).toThrow(/cannot be changed/);
    expect(() => parseConfigChange({ meters: [{ id: "a", name: "A", unitId: 3 }] })).toThrow(
      /cannot be changed/,
    );
    expect(() => parseConfigChange([])).toThrow(/JSON object/);
    expect(() => parseConfigChange({ upload: { interval: "15 minutes" } })).toThrow(/duration/);
  });
});
