// The dashboard server: Koa for pages and the JSON API, `ws` for /ws, both on one http.Server.
// WebSockets go through an explicit upgrade router (ws in noServer mode) instead of koa-websocket, which
// accepts upgrades on any path and swallows errors with Koa 3 (see docs/dashboard.md).
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Koa from "koa";
import { WebSocketServer } from "ws";
import { resolveSecret as resolveConfigSecret } from "../config/secrets.js";
import type { ResolvedSite } from "../model.js";
import { packageRoot } from "../paths.js";
import { apiRouter } from "./api.js";
import type { SecretResolver } from "./auth.js";
import { LiveState } from "./live-state.js";
import { LoginLimiter, type LoginLimiterOptions } from "./login-limiter.js";
import { createMetrics } from "./metrics.js";
import { originAllowed } from "./origin.js";
import { siteView } from "./site-view.js";
import type {
  ConfigEditor,
  HistorySource,
  LiveSource,
  StorageInfo,
  UploadStatusSource,
  WebLogger,
} from "./sources.js";
import { loadStaticFiles } from "./static-files.js";
import { WebError } from "./web-error.js";
import { WsHub, type WsHubOptions, type WsHubStats } from "./ws-hub.js";

export interface WebServerOptions {
  /** The site; its `web` section gives bind, port, auth and allowedOrigins. */
  site: ResolvedSite;
  /** Live samples and health (the Poller). */
  live: LiveSource;
  /** Recent samples and intervals (the store). Without it the chart uses a coarse in-memory hour. */
  history?: HistorySource;
  upload?: UploadStatusSource;
  storage?: StorageInfo;
  /** Config view and changes (engine/config-edit SiteConfigEditor). Without it the config page is read-only. */
  configEditor?: ConfigEditor;
  logger?: WebLogger;
  /** WebSocket batching and back-pressure tuning (tests, bench). */
  ws?: WsHubOptions;
  /** Resolves ${env:…}/${secret:…} in web.auth at the moment of use. @default engine/config/secrets resolveSecret */
  resolveSecret?: SecretResolver;
  /** Failed-login limiter tuning (tests). @default 5 wrong credentials a minute block an address for a minute */
  loginLimiter?: LoginLimiterOptions;
  /** Clock of the live state (tests). @default Date.now */
  now?: () => number;
}

export interface WebServer {
  server: http.Server;
  /** http://host:port/ the server listens on (127.0.0.1 when bound to every address). */
  url: string;
  /** Follows a changed site (the API calls it after a config change; call it after reloading the site yourself). */
  setSite(site: ResolvedSite): void;
  /** WebSocket fan-out counters. */
  wsStats(): WsHubStats;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  let site = options.site;
  const logger = options.logger;
  const version = readVersion();
  const startedAt = Date.now();
  const resolveSecret = options.resolveSecret ?? resolveConfigSecret;
  const live = new LiveState(site, options.live, {
    memoryHistory: !options.history,
    ...(options.now ? { now: options.now } : {}),
  });
  const hub = new WsHub(live, () => ({ site: siteView(site, version), meters: live.meters() }), options.ws);
  const setSite = (next: ResolvedSite): void => {
    site = next;
    live.setSite(next);
    hub.resync();
  };
  const metrics = createMetrics({
    siteId: site.id,
    version,
    live,
    hub: hub.stats,
    ...(options.upload ? { upload: options.upload } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(logger ? { logger } : {}),
  });
  const files = loadStaticFiles();

  const app = new Koa();
  app.on("error", () => {
    // Errors are answered and logged by the first middleware; Koa's default would print stacks to stderr.
  });
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e = toWebError(err);
      if (e.status >= 500) logger?.error({ err, path: ctx.path }, "request failed");
      ctx.status = e.status;
      ctx.body = { error: { code: e.code, message: e.message, ...e.details } };
    }
  });
  app.use(async (ctx, next) => {
    ctx.set("Content-Security-Policy", CSP);
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.set("Referrer-Policy", "no-referrer");
    ctx.set("X-Frame-Options", "DENY");
    ctx.set("Cross-Origin-Opener-Policy", "same-origin");
    await next();
  });
  app.use(async (ctx, next) => {
    const file = ctx.method === "GET" || ctx.method === "HEAD" ? files.get(ctx.path) : undefined;
    if (!file) return next();
    ctx.set("Cache-Control", "no-cache");
    ctx.set("ETag", file.etag);
    ctx.vary("Accept-Encoding");
    if (ctx.get("if-none-match") === file.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = file.type;
    if (file.gzip && ctx.acceptsEncodings("gzip", "identity") === "gzip") {
      ctx.set("Content-Encoding", "gzip");
      ctx.body = file.gzip;
    } else {
      ctx.body = file.body;
    }
  });
  app.use(async (ctx, next) => {
    if (ctx.path !== "/metrics") return next();
    ctx.type = metrics.contentType;
    ctx.body = await metrics.metrics();
  });
  const api = apiRouter({
    site: () => site,
    siteChanged: setSite,
    version,
    startedAt,
    live,
    resolveSecret,
    loginLimiter: new LoginLimiter(options.loginLimiter),
    ...(options.history ? { history: options.history } : {}),
    ...(options.upload ? { upload: options.upload } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.configEditor ? { configEditor: options.configEditor } : {}),
    ...(logger ? { logger } : {}),
  });
  app.use(api.routes());
  app.use((ctx) => {
    throw new WebError(404, "WEB_E_NOT_FOUND", `nothing at ${ctx.path.slice(0, 80)}`);
  });

  const server = http.createServer(app.callback());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  wss.on("connection", (ws) => hub.add(ws));
  server.on("upgrade", (req, socket, head) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (pathname !== "/ws") return refuse("404 Not Found");
    if (!originAllowed(req.headers, site.web.allowedOrigins)) {
      logger?.warn({ origin: req.headers.origin }, "WebSocket from a foreign origin refused");
      return refuse("403 Forbidden");
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(site.web.port, site.web.bind, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = site.web.bind === "0.0.0.0" || site.web.bind === "::" ? "127.0.0.1" : site.web.bind;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}/`;
  logger?.info({ url }, "dashboard listening");

  return {
    server,
    url,
    setSite,
    wsStats: () => hub.snapshotStats(),
    async close() {
      hub.close();
      live.close();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function toWebError(err: unknown): WebError {
  if (err instanceof WebError) return err;
  // Koa/http-errors from the framework itself (e.g. a malformed URL): keep the status, not the internals.
  const status = (err as { status?: unknown }).status;
  const expose = (err as { expose?: unknown }).expose;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const message =
      expose === true && err instanceof Error ? err.message : (http.STATUS_CODES[status] ?? "bad request");
    return new WebError(status, "WEB_E_BAD_REQUEST", message);
  }
  return new WebError(500, "WEB_E_INTERNAL", "internal error (details are in the gateway's log)");
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}
