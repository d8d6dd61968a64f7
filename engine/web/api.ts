// The JSON API (documented in docs/api.md). Reads are open; POST /api/config needs auth and a same-origin
// (or allowed) Origin. Every failure is a WebError answered as { "error": { code, message } }.
import { Router } from "@koa/router";
import type { Context } from "koa";
import type { ResolvedMeter, ResolvedSite } from "../model.js";
import { authConfigured, checkAuthorization, type SecretResolver } from "./auth.js";
import { parseConfigChange } from "./config-change.js";
import type { LiveState, MeterLive } from "./live-state.js";
import type { LoginLimiter } from "./login-limiter.js";
import { originAllowed } from "./origin.js";
import { readJsonBody } from "./request-body.js";
import { redactUrl } from "./redact-url.js";
import { siteView, type MeterView } from "./site-view.js";
import type {
  ConfigEditor,
  HistorySource,
  StorageInfo,
  StorageStats,
  UploadStatusSource,
  WebLogger,
} from "./sources.js";
import { downsample, parseTime } from "./time-query.js";
import { WebError } from "./web-error.js";

export interface ApiDeps {
  site(): ResolvedSite;
  /** Called after a config change was written and validated. */
  siteChanged(site: ResolvedSite): void;
  version: string;
  startedAt: number;
  live: LiveState;
  history?: HistorySource;
  upload?: UploadStatusSource;
  storage?: StorageInfo;
  configEditor?: ConfigEditor;
  resolveSecret: SecretResolver;
  /** Refuses client addresses after repeated wrong credentials. */
  loginLimiter: LoginLimiter;
  logger?: WebLogger;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Longest history window one request may ask for. */
const MAX_HISTORY_MS = DAY;
const MAX_HISTORY_POINTS = 2000;
/** Longest interval range one request may ask for. */
const MAX_INTERVAL_RANGE_MS = 31 * DAY;
/** Slows down guessing of the write credentials. */
const AUTH_FAILURE_DELAY_MS = 300;

export type MeterJson = MeterView & Omit<MeterLive, "id">;

export function apiRouter(deps: ApiDeps): Router {
  const router = new Router({ prefix: "/api" });

  const meterOf = (ctx: Context): ResolvedMeter => {
    const id = String((ctx as Context & { params: Record<string, string> }).params["id"] ?? "");
    const meter = deps.site().meters.find((m) => m.id === id);
    if (!meter)
      throw new WebError(404, "WEB_E_UNKNOWN_METER", `there is no meter "${id.slice(0, 40)}" on this site`);
    return meter;
  };
  const meterJson = (view: MeterView): MeterJson => {
    const live = deps.live.meter(view.id);
    return {
      ...view,
      status: live?.status ?? "unknown",
      lastUpdate: live?.lastUpdate ?? null,
      values: live?.values ?? {},
      health: live?.health ?? null,
    };
  };

  router.get("/site", (ctx) => {
    ctx.body = { ...siteView(deps.site(), deps.version), serverTime: Date.now() };
  });

  router.get("/meters", (ctx) => {
    const view = siteView(deps.site(), deps.version);
    ctx.body = { serverTime: Date.now(), quantities: view.quantities, meters: view.meters.map(meterJson) };
  });

  router.get("/meters/:id", (ctx) => {
    const meter = meterOf(ctx);
    const view = siteView(deps.site(), deps.version);
    const mv = view.meters.find((m) => m.id === meter.id);
    if (!mv) throw new WebError(404, "WEB_E_UNKNOWN_METER", `there is no meter "${meter.id}" on this site`);
    const quantities = Object.fromEntries(mv.quantities.map((q) => [q, view.quantities[q]]));
    ctx.body = { serverTime: Date.now(), quantities, meter: meterJson(mv) };
  });

  router.get("/meters/:id/history", async (ctx) => {
    const meter = meterOf(ctx);
    const quantity = ctx.query["quantity"];
    if (typeof quantity !== "string" || quantity === "") {
      throw new WebError(400, "WEB_E_BAD_REQUEST", "give the quantity, e.g. ?quantity=active_power_total");
    }
    const register = meter.profile.registers.find((r) => r.quantity === quantity);
    if (!register) {
      throw new WebError(
        404,
        "WEB_E_UNKNOWN_QUANTITY",
        `meter "${meter.id}" (${meter.profile.id}) has no quantity "${quantity.slice(0, 60)}"`,
      );
    }
    const now = Date.now();
    const since = parseTime(ctx.query["since"], "since", now - HOUR);
    if (since > now + 60_000) throw new WebError(400, "WEB_E_BAD_RANGE", "since is in the future");
    if (now - since > MAX_HISTORY_MS) {
      throw new WebError(
        400,
        "WEB_E_BAD_RANGE",
        "since may be at most 24 hours ago; use the intervals for longer",
      );
    }
    let points: [number, number | null][];
    let source: "store" | "memory" | "none";
    if (deps.history) {
      const samples = await deps.history.samples(meter.id, register.quantity, since);
      points = samples.map((s) => [
        s.timestamp,
        typeof s.value === "number" && s.quality === "good" ? s.value : null,
      ]);
      source = "store";
    } else if (deps.live.history) {
      points = deps.live.history.since(meter.id, quantity, since);
      source = "memory";
    } else {
      points = [];
      source = "none";
    }
    ctx.body = {
      meterId: meter.id,
      quantity,
      unit: register.canonicalUnit,
      since,
      source,
      points: downsample(points, MAX_HISTORY_POINTS),
    };
  });

  router.get("/meters/:id/intervals", async (ctx) => {
    const meter = meterOf(ctx);
    const now = Date.now();
    const to = parseTime(ctx.query["to"], "to", now);
    const from = parseTime(ctx.query["from"], "from", to - DAY);
    if (from >= to) throw new WebError(400, "WEB_E_BAD_RANGE", "from must be before to");
    if (to - from > MAX_INTERVAL_RANGE_MS) {
      throw new WebError(400, "WEB_E_BAD_RANGE", "the range may be at most 31 days; ask in several pieces");
    }
    if (!deps.history) {
      throw new WebError(
        503,
        "WEB_E_UNAVAILABLE",
        "intervals are not available: the gateway runs without a store",
      );
    }
    ctx.body = { meterId: meter.id, from, to, intervals: await deps.history.intervals(meter.id, from, to) };
  });

  router.get("/health", async (ctx) => {
    const site = deps.site();
    const meters = deps.live.meters();
    const enabled = meters.filter((m) => m.status !== "disabled");
    const online = enabled.filter((m) => m.status === "online").length;
    const names = new Map(site.meters.map((m) => [m.id, m.name]));
    ctx.body = {
      status: online === enabled.length ? "ok" : online > 0 ? "degraded" : "down",
      serverTime: Date.now(),
      startedAt: deps.startedAt,
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      version: deps.version,
      site: { id: site.id, name: site.name },
      bus: busSummary(site, online, enabled.length),
      meters: meters.map((m) => ({
        id: m.id,
        name: names.get(m.id) ?? m.id,
        status: m.status,
        lastUpdate: m.lastUpdate,
        health: m.health,
      })),
      storage: await storageStats(deps),
    };
  });

  router.get("/upload", async (ctx) => {
    const upload = deps.site().upload;
    if (!upload) {
      ctx.body = { configured: false };
      return;
    }
    if (!deps.upload) {
      throw new WebError(
        503,
        "WEB_E_UNAVAILABLE",
        "upload status is not available: the uploader is not running",
      );
    }
    const status = await deps.upload.uploadStatus();
    ctx.body = {
      configured: true,
      url: redactUrl(upload.url),
      intervalMs: upload.intervalMs,
      mode: upload.mode,
      ...status,
      enabled: status.enabled,
    };
  });

  router.get("/config", async (ctx) => {
    if (!deps.configEditor)
      throw new WebError(503, "WEB_E_UNAVAILABLE", "the configuration cannot be viewed here");
    ctx.body = { ...(await deps.configEditor.view()), writable: authConfigured(deps.site()) };
  });

  router.post("/config", async (ctx) => {
    await requireWrite(ctx, deps);
    if (!deps.configEditor)
      throw new WebError(503, "WEB_E_UNAVAILABLE", "the configuration cannot be changed here");
    const change = parseConfigChange(await readJsonBody(ctx));
    const result = await deps.configEditor.apply(change);
    if (!result.ok) {
      throw new WebError(
        422,
        "WEB_E_INVALID_CONFIG",
        "the change was not saved: the site file would be invalid",
        {
          problems: result.problems,
        },
      );
    }
    deps.siteChanged(result.site);
    deps.logger?.info({ change: Object.keys(change) }, "site config changed from the dashboard");
    ctx.body = { ok: true, warnings: result.warnings };
  });

  router.all("/{*rest}", () => {
    throw new WebError(404, "WEB_E_NOT_FOUND", "no such API endpoint (see docs/api.md)");
  });

  return router;
}

/**
 * Origin, then the failed-login limiter, then credentials: a cross-site page or a blocked address is refused
 * before its credentials are even looked at.
 */
async function requireWrite(ctx: Context, deps: ApiDeps): Promise<void> {
  const site = deps.site();
  if (!originAllowed(ctx.req.headers, site.web.allowedOrigins)) {
    throw new WebError(403, "WEB_E_ORIGIN", "this origin may not make changes (see web.allowedOrigins)");
  }
  // The socket's peer address (the app does not trust X-Forwarded-For, which a client could set freely).
  const address = ctx.ip || "unknown";
  const waitMs = deps.loginLimiter.blockedFor(address);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    ctx.set("Retry-After", String(seconds));
    throw new WebError(
      429,
      "WEB_E_TOO_MANY_ATTEMPTS",
      `too many wrong credentials from this address: try again in ${seconds} s`,
    );
  }
  const result = checkAuthorization(ctx.get("authorization") || undefined, site, deps.resolveSecret);
  if (result === "ok") {
    deps.loginLimiter.success(address);
    return;
  }
  if (result === "not-configured") {
    throw new WebError(403, "WEB_E_WRITES_DISABLED", "changes are disabled: set web.auth in the site file");
  }
  if (result === "secret-error") {
    deps.logger?.error({}, "web.auth names a secret that cannot be resolved; changes are impossible");
    throw new WebError(
      403,
      "WEB_E_WRITES_DISABLED",
      "changes are disabled: web.auth cannot be resolved (see the log)",
    );
  }
  if (result === "wrong") {
    // Counted before the delay, so parallel guesses cannot all pass the check while the first one waits.
    if (deps.loginLimiter.failure(address)) {
      deps.logger?.warn(
        { address },
        "repeated wrong dashboard credentials; changes from this address paused",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, AUTH_FAILURE_DELAY_MS));
  }
  ctx.set("WWW-Authenticate", 'Bearer realm="ampx"');
  throw new WebError(401, "WEB_E_UNAUTHORIZED", "changes need the dashboard token or user name and password");
}

function busSummary(site: ResolvedSite, online: number, enabled: number): object {
  const t = site.transport;
  const base = { metersOnline: online, metersEnabled: enabled };
  return t.type === "rtu"
    ? { type: "rtu", port: t.port, baudRate: t.baudRate, parity: t.parity, ...base }
    : { type: "tcp", ...base };
}

async function storageStats(deps: ApiDeps): Promise<StorageStats | null> {
  if (!deps.storage) return null;
  try {
    return await deps.storage.storageStats();
  } catch (err) {
    deps.logger?.warn({ err }, "storage stats failed");
    return null;
  }
}
