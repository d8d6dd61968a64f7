// Hand-built sites and a small in-process LiveSource for the dashboard tests (the real config loader and
// poller are separate stages; these are plain typed objects of the shared model).
import { EventEmitter } from "node:events";
import type {
  CanonicalUnit,
  MeterHealth,
  MeterState,
  QuantityKind,
  QuantityName,
  ResolvedMeter,
  ResolvedProfile,
  ResolvedRegister,
  ResolvedSite,
  Sample,
} from "../../engine/model.js";
import { MeterHealthTracker } from "../../engine/poller/meter-health.js";
import type { LiveSource } from "../../engine/web/sources.js";

const REGISTERS: [QuantityName, CanonicalUnit, QuantityKind, string][] = [
  ["voltage_l1", "V", "instantaneous", "live"],
  ["voltage_l2", "V", "instantaneous", "live"],
  ["voltage_l3", "V", "instantaneous", "live"],
  ["voltage_ln_avg", "V", "instantaneous", "live"],
  ["current_l1", "A", "instantaneous", "live"],
  ["current_l2", "A", "instantaneous", "live"],
  ["current_l3", "A", "instantaneous", "live"],
  ["current_avg", "A", "instantaneous", "live"],
  ["active_power_l1", "W", "instantaneous", "live"],
  ["active_power_l2", "W", "instantaneous", "live"],
  ["active_power_l3", "W", "instantaneous", "live"],
  ["active_power_total", "W", "instantaneous", "live"],
  ["power_factor_total", "", "instantaneous", "live"],
  ["frequency", "Hz", "instantaneous", "live"],
  ["active_energy_import", "kWh", "counter", "energy"],
  ["active_energy_import_l1", "kWh", "counter", "energy"],
  ["active_energy_import_l2", "kWh", "counter", "energy"],
  ["active_energy_import_l3", "kWh", "counter", "energy"],
  ["active_energy_export", "kWh", "counter", "energy"],
  ["serial_number", "", "identity", "identity"],
];

export function testProfile(): ResolvedProfile {
  const registers: ResolvedRegister[] = REGISTERS.map(([quantity, canonicalUnit, kind, pollClass], i) => ({
    quantity,
    kind,
    canonicalUnit,
    function: "holding",
    address: 1000 + i * 2,
    count: kind === "identity" ? 8 : 2,
    type: kind === "identity" ? "string" : "f32",
    wordOrder: "ABCD",
    multiplier: 1,
    offset: 0,
    unit: canonicalUnit,
    sentinels: [],
    pollClass,
  }));
  return {
    id: "test/tm1",
    file: "/nonexistent/profiles/test/tm1.yaml",
    vendor: "Test",
    model: "TM1",
    status: "unverified",
    caveats: [],
    defaults: {
      unitId: 1,
      tcpPort: 502,
      serial: { baudRate: 9600, parity: "none", dataBits: 8, stopBits: 1 },
    },
    limits: { maxRegistersPerRead: 125, maxGapRegisters: 10, evenAlignment: false, noReadAcross: [] },
    identification: ["serial_number"],
    registers,
    source: {} as ResolvedProfile["source"],
  };
}

export interface SiteOptions {
  meters?: { id: string; name?: string; enabled?: boolean }[];
  file?: string;
  auth?: ResolvedSite["web"]["auth"];
  allowedOrigins?: string[];
  upload?: boolean;
}

export function testSite(options: SiteOptions = {}): ResolvedSite {
  const profile = testProfile();
  const meters: ResolvedMeter[] = (
    options.meters ?? [
      { id: "main", name: "Main incomer" },
      { id: "hvac", name: "HVAC" },
      { id: "kitchen", name: "Kitchen DB" },
    ]
  ).map((m, i) => ({
    id: m.id,
    name: m.name ?? m.id,
    profile,
    unitId: i + 1,
    priority: 5,
    enabled: m.enabled ?? true,
  }));
  return {
    id: "test-site",
    name: "Test site",
    timezone: "UTC",
    file: options.file ?? "/nonexistent/sites/test.yaml",
    transport: {
      type: "rtu",
      port: "/dev/ttyTEST0",
      baudRate: 9600,
      parity: "none",
      dataBits: 8,
      stopBits: 1,
      responseTimeoutMs: 500,
      turnaroundDelayMs: 5,
      interFrameDelayMs: 4,
      retries: 1,
    },
    pollClasses: {
      live: { intervalMs: 1000 },
      energy: { intervalMs: 60_000 },
      identity: { intervalMs: 3_600_000 },
    },
    meters,
    ...(options.upload
      ? {
          upload: {
            enabled: true,
            url: "https://user:hunter2@api.example.com/ingest?key=abc123",
            intervalMs: 900_000,
            templateFile: "/nonexistent/templates/upload/default.json.hbs",
            mode: "site" as const,
            auth: { type: "bearer" as const, token: "upload-secret-token" },
            headers: {},
            variables: { gateway_id: "100001" },
            timeoutMs: 30_000,
            batchSize: 20,
            retryDelayMs: 5000,
            retryDelayMaxMs: 900_000,
            successStatus: [],
            source: { url: "https://api.example.com/ingest" },
          },
        }
      : {}),
    web: {
      enabled: true,
      port: 0,
      bind: "127.0.0.1",
      ...(options.auth ? { auth: options.auth } : {}),
      allowedOrigins: options.allowedOrigins ?? [],
    },
    storage: {
      path: "/nonexistent/data/test.db",
      sampleRetentionMs: 172_800_000,
      intervalRetentionMs: 400 * 86_400_000,
    },
    source: {} as ResolvedSite["source"],
  };
}

function emptyHealth(meterId: string, state: MeterState): MeterHealth {
  return { ...new MeterHealthTracker(meterId, state !== "disabled").snapshot(), state };
}

/** A LiveSource driven by the test: emits samples and health like the Poller does. */
export class FakeLive extends EventEmitter implements LiveSource {
  private readonly healthById = new Map<string, MeterHealth>();

  constructor(meterIds: string[] = []) {
    super();
    for (const id of meterIds) this.healthById.set(id, emptyHealth(id, "unknown"));
  }

  health(): MeterHealth[] {
    return [...this.healthById.values()];
  }

  /** Emits one batch with the given values (all quality good unless given as [value, quality]). */
  samples(meterId: string, values: Record<string, number | string | null>, timestamp = Date.now()): Sample[] {
    const batch: Sample[] = Object.entries(values).map(([quantity, value]) => ({
      meterId,
      quantity: quantity as QuantityName,
      value,
      unit: "" as CanonicalUnit,
      quality: value === null ? "invalid" : "good",
      timestamp,
    }));
    this.emit("samples", batch);
    const h = this.healthById.get(meterId) ?? emptyHealth(meterId, "online");
    this.setHealth(meterId, {
      state: "online",
      requests: h.requests + 1,
      responses: h.responses + 1,
      consecutiveFailures: 0,
      lastGoodRead: timestamp,
      latencyP50Ms: 18,
      latencyP95Ms: 42,
    });
    return batch;
  }

  setHealth(meterId: string, change: Partial<MeterHealth>): void {
    const h = { ...(this.healthById.get(meterId) ?? emptyHealth(meterId, "unknown")), ...change };
    this.healthById.set(meterId, h);
    this.emit("health", h);
  }

  /** The meter stops answering: the poller counts timeouts and marks it offline. */
  offline(meterId: string): void {
    const h = this.healthById.get(meterId) ?? emptyHealth(meterId, "unknown");
    this.setHealth(meterId, {
      state: "offline",
      timeouts: h.timeouts + 3,
      consecutiveFailures: 3,
      lastError: { code: "TRANSPORT_E_TIMEOUT", message: "no answer within 500 ms", at: Date.now() },
      backoffUntil: Date.now() + 30_000,
    });
  }
}

/** Plausible three-phase values for meter number i, varying with n. */
export function meterValues(i: number, n = 0): Record<string, number | string> {
  const p = 1000 + i * 750 + n;
  return {
    voltage_l1: 230.1 + i * 0.1,
    voltage_l2: 229.8,
    voltage_l3: 231.0,
    voltage_ln_avg: 230.3,
    current_l1: p / 3 / 230,
    current_l2: p / 3 / 231,
    current_l3: p / 3 / 229,
    current_avg: p / 3 / 230,
    active_power_l1: p / 3,
    active_power_l2: p / 3,
    active_power_l3: p / 3,
    active_power_total: p,
    power_factor_total: 0.97,
    frequency: 50.01,
    active_energy_import: 12345.6 + i * 1000,
    active_energy_import_l1: 4115.2,
    active_energy_import_l2: 4115.2,
    active_energy_import_l3: 4115.2,
    active_energy_export: 12.5 * i,
    serial_number: `SN-${1000 + i}`,
  };
}
