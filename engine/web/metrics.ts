// /metrics: a prom-client Registry of its own (nothing global, so several servers can run in one process),
// filled at scrape time from the live state, the WebSocket hub and the optional upload and storage sources.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { MeterHealth } from "../model.js";
import type { LiveState } from "./live-state.js";
import { quantityVocabulary } from "./quantities.js";
import type { StorageInfo, UploadStatus, UploadStatusSource, WebLogger } from "./sources.js";
import type { WsHubStats } from "./ws-hub.js";

export interface MetricsSources {
  siteId: string;
  version: string;
  live: LiveState;
  hub: WsHubStats;
  upload?: UploadStatusSource;
  storage?: StorageInfo;
  logger?: WebLogger;
}

type HealthCounter = keyof Pick<
  MeterHealth,
  "requests" | "responses" | "timeouts" | "crcErrors" | "exceptions" | "connectionErrors" | "invalidResponses"
>;

const HEALTH_COUNTERS: [HealthCounter, string, string][] = [
  ["requests", "ampx_meter_requests_total", "Modbus requests sent to the meter."],
  ["responses", "ampx_meter_responses_total", "Valid answers received from the meter."],
  ["timeouts", "ampx_meter_timeouts_total", "Requests the meter did not answer in time."],
  ["crcErrors", "ampx_meter_crc_errors_total", "Answers with a bad CRC."],
  ["exceptions", "ampx_meter_exceptions_total", "Modbus exception answers."],
  ["connectionErrors", "ampx_meter_connection_errors_total", "Failed or lost TCP connections."],
  ["invalidResponses", "ampx_meter_invalid_responses_total", "Malformed answers."],
];

export function createMetrics(src: MetricsSources): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: "ampx_" });
  const meters = () => src.live.meters();

  new Gauge({
    name: "ampx_build_info",
    help: "Gateway version and site id (always 1).",
    labelNames: ["version", "site"],
    registers: [register],
    collect() {
      this.set({ version: src.version, site: src.siteId }, 1);
    },
  });
  new Gauge({
    name: "ampx_meter_up",
    help: "1 when the meter answers (status online), else 0.",
    labelNames: ["meter", "status"],
    registers: [register],
    collect() {
      this.reset();
      for (const m of meters()) this.set({ meter: m.id, status: m.status }, m.status === "online" ? 1 : 0);
    },
  });
  new Gauge({
    name: "ampx_meter_last_update_timestamp_seconds",
    help: "Unix time of the meter's newest sample.",
    labelNames: ["meter"],
    registers: [register],
    collect() {
      this.reset();
      for (const m of meters()) if (m.lastUpdate !== null) this.set({ meter: m.id }, m.lastUpdate / 1000);
    },
  });
  for (const [field, name, help] of HEALTH_COUNTERS) {
    new Counter({
      name,
      help,
      labelNames: ["meter"],
      registers: [register],
      collect() {
        // The poller owns the counts; the metric mirrors them at scrape time.
        this.reset();
        for (const m of meters()) if (m.health) this.inc({ meter: m.id }, m.health[field]);
      },
    });
  }
  new Gauge({
    name: "ampx_meter_consecutive_failures",
    help: "Failed reads in a row (0 while the meter answers).",
    labelNames: ["meter"],
    registers: [register],
    collect() {
      this.reset();
      for (const m of meters()) if (m.health) this.set({ meter: m.id }, m.health.consecutiveFailures);
    },
  });
  new Gauge({
    name: "ampx_meter_latency_seconds",
    help: "Request latency of the meter (p50 and p95 of recent reads).",
    labelNames: ["meter", "quantile"],
    registers: [register],
    collect() {
      this.reset();
      for (const m of meters()) {
        if (m.health?.latencyP50Ms != null)
          this.set({ meter: m.id, quantile: "0.5" }, m.health.latencyP50Ms / 1000);
        if (m.health?.latencyP95Ms != null)
          this.set({ meter: m.id, quantile: "0.95" }, m.health.latencyP95Ms / 1000);
      }
    },
  });
  new Gauge({
    name: "ampx_quantity_value",
    help: "Latest good value of each numeric quantity, in its canonical unit.",
    labelNames: ["meter", "quantity", "unit"],
    registers: [register],
    collect() {
      this.reset();
      const vocabulary = quantityVocabulary();
      for (const m of meters()) {
        for (const [quantity, value] of Object.entries(m.values)) {
          if (typeof value.v !== "number" || value.q !== "good") continue;
          this.set({ meter: m.id, quantity, unit: vocabulary.get(quantity)?.unit ?? "" }, value.v);
        }
      }
    },
  });
  new Gauge({
    name: "ampx_web_ws_clients",
    help: "Connected dashboard WebSocket clients.",
    registers: [register],
    collect() {
      this.set(src.hub.clients);
    },
  });
  new Counter({
    name: "ampx_web_ws_messages_sent_total",
    help: "WebSocket messages sent to dashboard clients.",
    registers: [register],
    collect() {
      this.reset();
      this.inc(src.hub.messagesSent);
    },
  });
  new Counter({
    name: "ampx_web_ws_clients_behind_total",
    help: "Times a slow WebSocket client was switched to drop-to-snapshot.",
    registers: [register],
    collect() {
      this.reset();
      this.inc(src.hub.clientsBehind);
    },
  });
  if (src.upload) {
    const upload = src.upload;
    // One status read per scrape, shared by the three gauges (each collect runs on its own).
    let cached: { at: number; status: Promise<UploadStatus> } | undefined;
    const status = (): Promise<UploadStatus> => {
      if (!cached || Date.now() - cached.at > 1000) {
        cached = { at: Date.now(), status: Promise.resolve(upload.uploadStatus()) };
      }
      return cached.status;
    };
    const uploadGauge = (name: string, help: string, pick: (s: UploadStatus) => number): void => {
      new Gauge({
        name,
        help,
        registers: [register],
        async collect() {
          try {
            this.set(pick(await status()));
          } catch (err) {
            src.logger?.warn({ err }, "upload status for /metrics failed");
          }
        },
      });
    };
    uploadGauge("ampx_upload_backlog", "Outbox entries waiting.", (s) => s.backlog);
    uploadGauge("ampx_upload_parked", "Outbox entries the uploader gave up on.", (s) => s.parked.length);
    uploadGauge(
      "ampx_upload_last_success_timestamp_seconds",
      "Unix time of the last accepted upload (0 if none).",
      (s) => (s.lastSuccessAt === null ? 0 : s.lastSuccessAt / 1000),
    );
  }
  if (src.storage) {
    const storage = src.storage;
    new Gauge({
      name: "ampx_storage_size_bytes",
      help: "Size of the database on disk.",
      registers: [register],
      async collect() {
        try {
          this.set((await storage.storageStats()).sizeBytes);
        } catch (err) {
          src.logger?.warn({ err }, "storage stats for /metrics failed");
        }
      },
    });
  }
  return register;
}
