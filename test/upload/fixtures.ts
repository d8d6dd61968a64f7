// Hand-built ResolvedSite objects for the storage/upload tests (plain typed objects, as engine/config would
// produce them), a profile shaped like the Meatrol 1000-block map the AmpX firmware polls.
import { join } from "node:path";
import type {
  QuantityName,
  RegisterType,
  ResolvedMeter,
  ResolvedProfile,
  ResolvedRegister,
  ResolvedSite,
  ResolvedUpload,
  Sample,
} from "../../engine/model.js";
import { templatesDir } from "../../engine/paths.js";

function register(
  quantity: QuantityName,
  address: number,
  kind: ResolvedRegister["kind"],
  unit: ResolvedRegister["canonicalUnit"],
  pollClass: string,
  type: RegisterType = "f32",
): ResolvedRegister {
  return {
    quantity,
    kind,
    canonicalUnit: unit,
    function: "holding",
    address,
    count: 2,
    type,
    wordOrder: "ABCD",
    multiplier: 1,
    offset: 0,
    unit,
    sentinels: [],
    pollClass,
  };
}

export const portalQuantities: [
  QuantityName,
  ResolvedRegister["kind"],
  ResolvedRegister["canonicalUnit"],
  string,
][] = [
  ["voltage_l1", "instantaneous", "V", "live"],
  ["voltage_l2", "instantaneous", "V", "live"],
  ["voltage_l3", "instantaneous", "V", "live"],
  ["current_l1", "instantaneous", "A", "live"],
  ["current_l2", "instantaneous", "A", "live"],
  ["current_l3", "instantaneous", "A", "live"],
  ["current_avg", "instantaneous", "A", "live"],
  ["active_power_l1", "instantaneous", "W", "live"],
  ["active_power_l2", "instantaneous", "W", "live"],
  ["active_power_l3", "instantaneous", "W", "live"],
  ["active_power_total", "instantaneous", "W", "live"],
  ["active_energy_import_l1", "counter", "kWh", "energy"],
  ["active_energy_import_l2", "counter", "kWh", "energy"],
  ["active_energy_import_l3", "counter", "kWh", "energy"],
  ["active_energy_import", "counter", "kWh", "energy"],
];

export function testProfile(quantities = portalQuantities): ResolvedProfile {
  const registers = quantities.map(([q, kind, unit, pc], i) => register(q, 1000 + 2 * i, kind, unit, pc));
  registers.push(register("serial_number", 70, "identity", "", "identity", "u32"));
  return {
    id: "meatrol/mp440",
    file: "/profiles/meatrol/mp440.yaml",
    vendor: "Meatrol",
    model: "MP440",
    status: "verified",
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

export interface TestSiteOptions {
  meters?: number;
  url?: string;
  template?: string;
  mode?: "site" | "meter";
  intervalMs?: number;
  livePollMs?: number;
  energyPollMs?: number;
  upload?: Partial<ResolvedUpload>;
  quantities?: typeof portalQuantities;
  dbPath?: string;
}

export function testSite(options: TestSiteOptions = {}): ResolvedSite {
  const profile = testProfile(options.quantities);
  const meters: ResolvedMeter[] = Array.from({ length: options.meters ?? 2 }, (_, i) => ({
    id: `m${i + 1}`,
    name: i === 0 ? 'Main "DB" <1>' : `Meter ${i + 1}`,
    profile,
    unitId: i + 1,
    priority: 0,
    enabled: true,
  }));
  const template = options.template ?? "default";
  const upload: ResolvedUpload = {
    enabled: true,
    url: options.url ?? "http://127.0.0.1:9/api/v2/",
    intervalMs: options.intervalMs ?? 15 * 60_000,
    templateFile: template.includes("/") ? template : join(templatesDir, "upload", `${template}.json.hbs`),
    mode: options.mode ?? "site",
    headers: {},
    variables: { gateway_id: "100001" },
    timeoutMs: 2000,
    batchSize: 20,
    retryDelayMs: 1000,
    retryDelayMaxMs: 60_000,
    successStatus: [],
    source: { url: options.url ?? "http://127.0.0.1:9/api/v2/" },
    ...options.upload,
  };
  return {
    id: "plant",
    name: "Test plant",
    timezone: "UTC",
    file: "/sites/plant.yaml",
    transport: {
      type: "tcp",
      connectTimeoutMs: 1000,
      responseTimeoutMs: 1000,
      reconnectDelayMs: 1000,
      reconnectDelayMaxMs: 10_000,
      retries: 1,
    },
    pollClasses: {
      live: { intervalMs: options.livePollMs ?? 2000 },
      energy: { intervalMs: options.energyPollMs ?? 60_000 },
      identity: { intervalMs: 3_600_000 },
    },
    meters,
    upload,
    web: { enabled: false, port: 0, bind: "127.0.0.1", allowedOrigins: [] },
    storage: {
      path: options.dbPath ?? ":memory:",
      sampleRetentionMs: 2 * 86_400_000,
      intervalRetentionMs: 400 * 86_400_000,
    },
    source: {} as ResolvedSite["source"],
  };
}

/** Deterministic synthetic samples of every quantity of every meter at time t (what a poll would return). */
export function syntheticSamples(site: ResolvedSite, t: number): Sample[] {
  const out: Sample[] = [];
  for (const meter of site.meters) {
    for (const r of meter.profile.registers) {
      if (r.kind === "identity") continue;
      const phase = (t / 1000) % 97;
      const value =
        r.kind === "counter"
          ? Math.round((1000 * meter.unitId + t / 3_600_000) * 1e6) / 1e6
          : Math.round((100 * meter.unitId + (r.address % 50) + Math.sin(phase) * 3) * 1000) / 1000;
      out.push({
        meterId: meter.id,
        quantity: r.quantity,
        value,
        unit: r.canonicalUnit,
        quality: "good",
        timestamp: t,
      });
    }
  }
  return out;
}

/** The crash test's site: 2 meters, 2-second intervals, polls every 100 ms, quick retries. */
export function crashSite(url: string): ResolvedSite {
  return testSite({
    url,
    meters: 2,
    mode: "meter",
    intervalMs: 2000,
    livePollMs: 100,
    energyPollMs: 100,
    upload: { retryDelayMs: 100, retryDelayMaxMs: 400, timeoutMs: 1000, batchSize: 5 },
  });
}
