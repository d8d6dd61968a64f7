// `ampx sink`: a small local stand-in for the central API. It stores what it receives (memory + optional
// JSON-lines file), answers 201 like the AmpX portal, and can be told to fail — at start or at runtime via
// POST /_sink/control — so the demo and the tests can watch the gateway cope with an unreliable API.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";

/** How the sink misbehaves. An empty object means: accept everything. */
export interface SinkFailure {
  /** Answer every upload with this status (e.g. 500, 401, 429) instead of accepting it. */
  status?: number;
  /** Retry-After header (seconds) sent with a failure status. */
  retryAfter?: number;
  /** Wait this long before answering (also before a successful answer: a slow API). */
  delayMs?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Misbehave for the next `count` uploads only, then accept again. @default every upload */
  count?: number;
}

export interface SinkOptions {
  /** @default 8090; 0 picks a free port */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** JSON-lines file that keeps what was received across restarts. */
  file?: string;
  /** Serve /received and /_sink/control on this port too (they always work on the main port as well). */
  controlPort?: number;
  failure?: SinkFailure;
  /** Status of an accepted upload. @default 201 (as the AmpX portal) */
  acceptStatus?: number;
}

/** One accepted upload. */
export interface ReceivedRecord {
  seq: number;
  receivedAt: string;
  path: string;
  /** Idempotency-Key header, else the payload's idempotencyKey field. */
  key: string | null;
  /** An earlier record had the same key. */
  duplicate: boolean;
  /** Request headers with credentials redacted. */
  headers: Record<string, string>;
  body: string;
}

const CONTROL = "/_sink/control";
const RECEIVED = "/received";
const SECRET_HEADER = /authorization|key|token|secret|password|cookie/i;

export class Sink {
  readonly url: string;
  readonly port: number;
  readonly controlUrl: string | undefined;
  /** Every upload request seen, including the ones the sink failed on purpose. */
  attempts = 0;
  private records: ReceivedRecord[] = [];
  private raw: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  private keys = new Set<string>();
  private failure: SinkFailure;
  private readonly servers: http.Server[];
  private readonly options: SinkOptions;

  private constructor(
    options: SinkOptions,
    servers: http.Server[],
    port: number,
    controlPort: number | undefined,
  ) {
    this.options = options;
    this.servers = servers;
    this.port = port;
    const host = options.host ?? "127.0.0.1";
    this.url = `http://${host}:${port}/`;
    this.controlUrl = controlPort === undefined ? undefined : `http://${host}:${controlPort}/`;
    this.failure = { ...(options.failure ?? {}) };
    if (options.file && existsSync(options.file)) this.load(options.file);
  }

  static async start(options: SinkOptions = {}): Promise<Sink> {
    const host = options.host ?? "127.0.0.1";
    // The servers must exist before the Sink (which needs their ports); requests arrive only after start().
    const ref: { sink?: Sink } = {};
    const handler = (control: boolean) => (req: http.IncomingMessage, res: http.ServerResponse) =>
      void ref.sink!.handle(req, res, control).catch(() => res.destroy());
    const main = http.createServer(handler(false));
    main.keepAliveTimeout = 5000;
    const port = await listen(main, options.port ?? 8090, host);
    const servers = [main];
    let controlPort: number | undefined;
    if (options.controlPort !== undefined) {
      const control = http.createServer(handler(true));
      controlPort = await listen(control, options.controlPort, host);
      servers.push(control);
    }
    ref.sink = new Sink(options, servers, port, controlPort);
    return ref.sink;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  /** Everything accepted, in arrival order (duplicates included). */
  received(): ReceivedRecord[] {
    return [...this.records];
  }

  /** The first record of each idempotency key, in arrival order. */
  unique(): ReceivedRecord[] {
    return this.records.filter((r) => !r.duplicate);
  }

  /** Headers as received, credentials included (tests only; never served over HTTP). */
  rawRequests(): { headers: http.IncomingHttpHeaders; body: string }[] {
    return [...this.raw];
  }

  setFailure(failure: SinkFailure): void {
    this.failure = { ...failure };
  }

  currentFailure(): SinkFailure {
    return { ...this.failure };
  }

  clear(): void {
    this.records = [];
    this.raw = [];
    this.keys.clear();
    this.attempts = 0;
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    controlOnly: boolean,
  ): Promise<void> {
    const path = new URL(req.url ?? "/", "http://sink").pathname;
    const query = new URL(req.url ?? "/", "http://sink").searchParams;
    const body = await readBody(req);
    if (path === RECEIVED && req.method === "GET") {
      const items = query.get("unique") ? this.unique() : this.received();
      return json(res, 200, {
        count: this.records.length,
        unique: this.keys.size,
        attempts: this.attempts,
        items,
      });
    }
    if (path === RECEIVED && req.method === "DELETE") {
      this.clear();
      return json(res, 200, { cleared: true });
    }
    if (path === CONTROL && req.method === "GET") return json(res, 200, this.failure);
    if (path === CONTROL && (req.method === "POST" || req.method === "PUT")) {
      try {
        this.setFailure(parseFailure(body));
      } catch (error) {
        return json(res, 400, { error: (error as Error).message });
      }
      return json(res, 200, this.failure);
    }
    if (controlOnly || req.method !== "POST")
      return json(res, req.method === "POST" ? 404 : 405, { error: "POST an upload" });
    return this.upload(req, res, path, body);
  }

  private async upload(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    body: string,
  ): Promise<void> {
    this.attempts++;
    const failure = this.failure;
    const failing =
      (failure.status !== undefined || failure.drop === true) &&
      (failure.count === undefined || failure.count > 0);
    if (failing && failure.count !== undefined) this.failure = { ...failure, count: failure.count - 1 };
    let key = headerValue(req.headers["idempotency-key"]);
    if (!failing) {
      if (key === null) key = keyFromBody(body);
      const record: ReceivedRecord = {
        seq: this.records.length + 1,
        receivedAt: new Date().toISOString(),
        path,
        key,
        duplicate: key !== null && this.keys.has(key),
        headers: redact(req.headers),
        body,
      };
      if (key !== null) this.keys.add(key);
      this.records.push(record);
      this.raw.push({ headers: req.headers, body });
      if (this.options.file) {
        mkdirSync(dirname(this.options.file), { recursive: true });
        appendFileSync(this.options.file, JSON.stringify(record) + "\n");
      }
    }
    if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
    if (failing && failure.drop) {
      req.socket.destroy();
      return;
    }
    if (failing) {
      if (failure.retryAfter !== undefined) res.setHeader("retry-after", String(failure.retryAfter));
      return json(res, failure.status!, { error: `sink told to answer ${failure.status}` });
    }
    const duplicate = this.records.at(-1)?.duplicate ?? false;
    return json(res, this.options.acceptStatus ?? 201, { status: "created", key, duplicate });
  }

  private load(file: string): void {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const record = JSON.parse(line) as ReceivedRecord;
        this.records.push(record);
        if (record.key !== null) this.keys.add(record.key);
      } catch {
        // a torn last line from a killed sink: skip it
      }
    }
  }
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function keyFromBody(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { idempotencyKey?: unknown };
    return typeof parsed.idempotencyKey === "string" ? parsed.idempotencyKey : null;
  } catch {
    return null;
  }
}

function redact(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value.join(", ") : (value ?? "");
    if (name === "idempotency-key" || !SECRET_HEADER.test(name)) out[name] = text;
    else if (name === "authorization") out[name] = `${text.split(" ")[0]} <redacted>`;
    else out[name] = "<redacted>";
  }
  return out;
}

/** Parses a control request body: {"status":500,"retryAfter":2,"delayMs":100,"drop":false,"count":3}. */
export function parseFailure(text: string): SinkFailure {
  const value: unknown = text.trim() === "" ? {} : JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("expected a JSON object");
  const input = value as Record<string, unknown>;
  const failure: SinkFailure = {};
  for (const [name, field] of Object.entries(input)) {
    if (field === null) continue;
    if (name === "drop") {
      if (typeof field !== "boolean") throw new Error("drop must be true or false");
      failure.drop = field;
    } else if (name === "status" || name === "retryAfter" || name === "delayMs" || name === "count") {
      if (typeof field !== "number" || !Number.isInteger(field) || field < 0)
        throw new Error(`${name} must be a whole number`);
      failure[name] = field;
    } else {
      throw new Error(`unknown field ${name} (status, retryAfter, delayMs, drop, count)`);
    }
  }
  if (failure.status !== undefined && (failure.status < 100 || failure.status > 599))
    throw new Error("status must be 100..599");
  return failure;
}
