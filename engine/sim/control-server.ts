// The simulator's control API over HTTP on loopback, so that tests and the demo running in another
// process can inject faults and set values:
//   GET    /meters                   every meter: endpoint, faults, pinned values, request counts
//   GET    /meters/:id               one meter, with its current values
//   GET    /meters/:id/values        the values it serves now (canonical units; NaN as null)
//   POST   /meters/:id/fault         body: a fault, e.g. {"kind":"timeout"} or {"kind":"delay","ms":800}
//   DELETE /meters/:id/fault[?kind=] clear one kind of fault, or all
//   POST   /meters/:id/values        body: {"voltage_l1": 231.5, …}; null releases a pinned quantity
//   DELETE /meters/:id/values        release every pinned quantity
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { QuantityName } from "../model.js";
import { FAULT_KINDS, FaultError, parseFault, type FaultKind } from "./faults.js";
import type { SimulatedMeter } from "./simulated-meter.js";
import { UnknownMeterError, type Simulator } from "./simulator.js";

export interface SimControlServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
}

class HttpError extends Error {
  override name = "HttpError" as const;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

export class SimControlServer {
  private readonly server: Server;
  private boundPort = 0;

  constructor(
    private readonly simulator: Simulator,
    private readonly options: SimControlServerOptions,
  ) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => this.fail(res, error));
    });
  }

  listen(): Promise<{ host: string; port: number; url: string }> {
    const host = this.options.host ?? "127.0.0.1";
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, host, () => {
        this.server.off("error", reject);
        const address = this.server.address();
        this.boundPort = typeof address === "object" && address !== null ? address.port : this.options.port;
        resolve({ host, port: this.boundPort, url: `http://${host}:${this.boundPort}` });
      });
    });
  }

  get port(): number {
    return this.boundPort;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const parts = url.pathname
      .split("/")
      .filter((p) => p !== "")
      .map(decodeURIComponent);
    const method = req.method ?? "GET";
    if (parts[0] !== "meters") throw new HttpError(404, "SIM_E_NOT_FOUND", `no route ${url.pathname}`);
    if (parts.length === 1 && method === "GET") {
      return this.send(res, 200, { meters: this.simulator.meters().map((m) => this.describe(m)) });
    }
    const meter = this.findMeter(parts[1] ?? "");
    const resource = parts[2];
    if (parts.length === 2 && method === "GET") {
      return this.send(res, 200, { ...this.describe(meter), values: meter.values() });
    }
    if (resource === "values" && parts.length === 3) {
      if (method === "GET") return this.send(res, 200, { values: meter.values() });
      if (method === "POST") {
        const body = await readJson(req);
        if (typeof body !== "object" || body === null || Array.isArray(body)) {
          throw new HttpError(
            400,
            "SIM_E_BAD_BODY",
            'expected an object of quantity → value, e.g. {"voltage_l1": 231}',
          );
        }
        const known = new Set(meter.profile.registers.map((r) => r.quantity as string));
        for (const [quantity, value] of Object.entries(body as Record<string, unknown>)) {
          if (!known.has(quantity)) {
            throw new HttpError(
              400,
              "SIM_E_QUANTITY",
              `profile ${meter.profile.id} has no quantity "${quantity}"`,
            );
          }
          if (value !== null && typeof value !== "number" && typeof value !== "string") {
            throw new HttpError(
              400,
              "SIM_E_BAD_BODY",
              `${quantity}: value must be a number, a string or null`,
            );
          }
        }
        for (const [quantity, value] of Object.entries(body as Record<string, number | string | null>)) {
          if (value === null) meter.unset(quantity as QuantityName);
          else meter.set(quantity as QuantityName, value);
        }
        return this.send(res, 200, this.describe(meter));
      }
      if (method === "DELETE") {
        meter.unset();
        return this.send(res, 200, this.describe(meter));
      }
    }
    if (resource === "fault" && parts.length === 3) {
      if (method === "POST") {
        meter.inject(parseFault(await readJson(req)));
        return this.send(res, 200, this.describe(meter));
      }
      if (method === "DELETE") {
        const kind = url.searchParams.get("kind");
        if (kind !== null && !(FAULT_KINDS as readonly string[]).includes(kind)) {
          throw new HttpError(400, "SIM_E_FAULT", `unknown fault kind "${kind}"`);
        }
        meter.clear((kind ?? undefined) as FaultKind | undefined);
        return this.send(res, 200, this.describe(meter));
      }
    }
    throw new HttpError(405, "SIM_E_METHOD", `${method} ${url.pathname} is not supported`);
  }

  private findMeter(id: string): SimulatedMeter {
    try {
      return this.simulator.meter(id);
    } catch (error) {
      if (error instanceof UnknownMeterError) throw new HttpError(404, error.code, error.message);
      throw error;
    }
  }

  private describe(meter: SimulatedMeter): Record<string, unknown> {
    return {
      id: meter.id,
      unitId: meter.unitId,
      profile: meter.profile.id,
      endpoint: this.simulator.endpoint(meter.id),
      faults: meter.faults(),
      pinned: meter.pins(),
      stats: meter.stats(),
    };
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      this.send(res, error.status, { error: { code: error.code, message: error.message } });
    } else if (error instanceof FaultError) {
      this.send(res, 400, { error: { code: error.code, message: error.message } });
    } else {
      const message = error instanceof Error ? error.message : String(error);
      this.send(res, 500, { error: { code: "SIM_E_INTERNAL", message } });
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "SIM_E_BODY_TOO_LARGE", "request body over 64 KiB");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text === "" ? "null" : text);
  } catch {
    throw new HttpError(400, "SIM_E_BAD_JSON", "request body is not JSON");
  }
}
