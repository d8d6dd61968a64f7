// Hand-built resolved profiles and sites for the simulator tests (plain typed objects, no loader).
import type {
  Profile,
  QuantityName,
  ResolvedMeter,
  ResolvedProfile,
  ResolvedRegister,
  ResolvedSite,
  Site,
} from "../../engine/model.js";

type RegisterSpec = Partial<ResolvedRegister> & Pick<ResolvedRegister, "quantity" | "address">;

const COUNTERS = new Set(["active_energy_import", "active_energy_import_l1", "active_energy_export"]);
const IDENTITY = new Set(["serial_number", "model_code"]);
const UNITS: Partial<Record<string, ResolvedRegister["canonicalUnit"]>> = {
  voltage: "V",
  current: "A",
  active_power: "W",
  reactive_power: "var",
  apparent_power: "VA",
  frequency: "Hz",
  power_factor: "",
  active_energy: "kWh",
};

function canonicalUnitOf(quantity: string): ResolvedRegister["canonicalUnit"] {
  for (const [prefix, unit] of Object.entries(UNITS)) if (quantity.startsWith(prefix)) return unit ?? "";
  return "";
}

export function register(spec: RegisterSpec): ResolvedRegister {
  const kind = COUNTERS.has(spec.quantity)
    ? "counter"
    : IDENTITY.has(spec.quantity)
      ? "identity"
      : "instantaneous";
  const canonicalUnit = spec.canonicalUnit ?? canonicalUnitOf(spec.quantity);
  return {
    kind,
    canonicalUnit,
    function: "holding",
    count: 2,
    type: "f32",
    wordOrder: "ABCD",
    multiplier: 1,
    offset: 0,
    unit: canonicalUnit,
    sentinels: [],
    pollClass: kind === "counter" ? "energy" : kind === "identity" ? "identity" : "live",
    ...spec,
  };
}

export function profile(
  id: string,
  registers: ResolvedRegister[],
  limits: Partial<ResolvedProfile["limits"]> = {},
): ResolvedProfile {
  const [vendor = "test", model = "meter"] = id.split("/");
  return {
    id,
    file: `/profiles/${id}.yaml`,
    vendor,
    model: model.toUpperCase(),
    status: "unverified",
    caveats: [],
    defaults: {
      unitId: 1,
      tcpPort: 502,
      serial: { baudRate: 9600, parity: "none", dataBits: 8, stopBits: 1 },
    },
    limits: {
      maxRegistersPerRead: 125,
      maxGapRegisters: 8,
      evenAlignment: false,
      noReadAcross: [],
      ...limits,
    },
    identification: registers.filter((r) => r.kind === "identity").map((r) => r.quantity),
    registers,
    source: { vendor, model } as Profile,
  };
}

/** The MP440-like 1000 block (float32 ABCD, holding), energies as s64 Wh at 2500, serial u32 at 70. */
export function mp440(): ResolvedProfile {
  const f = (quantity: QuantityName, address: number, unit?: string): ResolvedRegister =>
    register({ quantity, address, ...(unit === undefined ? {} : { unit }) });
  return profile("meatrol/mp440", [
    register({ quantity: "serial_number", address: 70, type: "u32" }),
    f("current_l1", 1000),
    f("current_l2", 1002),
    f("current_l3", 1004),
    f("current_n", 1006),
    f("current_avg", 1008),
    f("voltage_l1", 1010),
    f("voltage_l2", 1012),
    f("voltage_l3", 1014),
    f("voltage_l1_l2", 1020),
    f("voltage_l2_l3", 1022),
    f("voltage_l3_l1", 1024),
    f("active_power_l1", 1028, "kW"),
    f("active_power_l2", 1030, "kW"),
    f("active_power_l3", 1032, "kW"),
    f("active_power_total", 1034, "kW"),
    f("reactive_power_total", 1042, "kvar"),
    f("apparent_power_total", 1050, "kVA"),
    f("power_factor_total", 1058),
    f("frequency", 1074),
    register({ quantity: "active_energy_import_l1", address: 2500, type: "s64", count: 4, unit: "Wh" }),
    register({ quantity: "active_energy_import", address: 2512, type: "s64", count: 4, unit: "Wh" }),
  ]);
}

/** SDM630-like: input registers (FC04), float32, even alignment, a hole the meter refuses. */
export function sdm630(): ResolvedProfile {
  const f = (quantity: QuantityName, address: number): ResolvedRegister =>
    register({ quantity, address, function: "input" });
  return profile(
    "eastron/sdm630",
    [
      f("voltage_l1", 0),
      f("voltage_l2", 2),
      f("voltage_l3", 4),
      f("current_l1", 6),
      f("current_l2", 8),
      f("current_l3", 10),
      f("active_power_l1", 12),
      f("active_power_total", 52),
      f("frequency", 70),
      register({ quantity: "active_energy_import", address: 72, function: "input" }),
    ],
    { evenAlignment: true, maxGapRegisters: 4, noReadAcross: [{ function: "input", start: 14, end: 15 }] },
  );
}

/** Integer registers: s16 ×0.1 V, u32 ×0.01 kWh with a sentinel, a string serial. */
export function scaledIntegers(): ResolvedProfile {
  return profile("test/scaled", [
    register({ quantity: "voltage_l1", address: 0, type: "s16", count: 1, multiplier: 0.1 }),
    register({
      quantity: "current_l1",
      address: 1,
      type: "u16",
      count: 1,
      multiplier: 0.01,
      sentinels: [0xffff],
    }),
    register({
      quantity: "active_energy_import",
      address: 2,
      type: "u32",
      multiplier: 0.01,
      wordOrder: "CDAB",
    }),
    register({ quantity: "serial_number", address: 10, type: "string", count: 4 }),
  ]);
}

export function meter(
  id: string,
  profileOf: ResolvedProfile,
  unitId: number,
  extra: Partial<ResolvedMeter> = {},
): ResolvedMeter {
  return { id, name: id, profile: profileOf, unitId, priority: 5, enabled: true, ...extra };
}

function siteBase(meters: ResolvedMeter[]): Omit<ResolvedSite, "transport"> {
  return {
    id: "test-site",
    name: "Test site",
    timezone: "UTC",
    file: "/sites/test.yaml",
    pollClasses: {
      live: { intervalMs: 2000 },
      energy: { intervalMs: 60000 },
      identity: { intervalMs: 3600000 },
    },
    meters,
    web: { enabled: false, port: 0, bind: "127.0.0.1", allowedOrigins: [] },
    storage: { path: "/tmp/none.sqlite", sampleRetentionMs: 0, intervalRetentionMs: 0 },
    source: {} as Site,
  };
}

export function tcpSite(meters: ResolvedMeter[]): ResolvedSite {
  return {
    ...siteBase(meters),
    transport: {
      type: "tcp",
      connectTimeoutMs: 1000,
      responseTimeoutMs: 500,
      reconnectDelayMs: 100,
      reconnectDelayMaxMs: 1000,
      retries: 0,
    },
  };
}

export function rtuSite(meters: ResolvedMeter[], port: string, baudRate = 9600): ResolvedSite {
  return {
    ...siteBase(meters),
    transport: {
      type: "rtu",
      port,
      baudRate,
      parity: "none",
      dataBits: 8,
      stopBits: 1,
      responseTimeoutMs: 500,
      turnaroundDelayMs: 5,
      interFrameDelayMs: 4,
      retries: 0,
    },
  };
}
