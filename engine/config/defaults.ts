// Every default the resolver applies, in one place. Where the schema states a `default`, the value
// here must be the same: test/config/defaults.test.ts compares them, so the two cannot drift.

/** Poll classes every site has unless it redefines them. */
export const DEFAULT_POLL_CLASSES: Readonly<Record<string, string>> = Object.freeze({
  live: "2s",
  energy: "60s",
  identity: "1h",
});

/** The poll class a quantity falls into when its profile entry does not name one. */
export const POLL_CLASS_BY_KIND = Object.freeze({
  instantaneous: "live",
  counter: "energy",
  identity: "identity",
} as const);

export const SITE_DEFAULTS = Object.freeze({ timezone: "UTC" });

export const RTU_DEFAULTS = Object.freeze({
  baudRate: 9600,
  parity: "none",
  dataBits: 8,
  stopBits: 1,
  responseTimeout: "500ms",
  turnaroundDelay: "5ms",
  retries: 1,
} as const);

export const TCP_DEFAULTS = Object.freeze({
  connectTimeout: "3s",
  responseTimeout: "1s",
  reconnectDelay: "1s",
  reconnectDelayMax: "60s",
  retries: 1,
} as const);

export const METER_DEFAULTS = Object.freeze({ priority: 5, enabled: true, tcpPort: 502 });

export const UPLOAD_DEFAULTS = Object.freeze({
  enabled: true,
  interval: "15m",
  template: "default",
  mode: "site",
  timeout: "30s",
  batchSize: 20,
  retryDelay: "5s",
  retryDelayMax: "15m",
} as const);

export const WEB_DEFAULTS = Object.freeze({ enabled: true, port: 8080, bind: "0.0.0.0" });

export const STORAGE_DEFAULTS = Object.freeze({
  /** Relative to the site file; `<site id>` is replaced by the site's id. */
  path: "data/<site id>.db",
  sampleRetention: "1d",
  intervalRetention: "400d",
});

export const PROFILE_DEFAULTS = Object.freeze({
  unitId: 1,
  tcpPort: 502,
  serial: Object.freeze({ baudRate: 9600, parity: "none", dataBits: 8, stopBits: 1 } as const),
  function: "holding",
  wordOrder: "ABCD",
  addressBase: 0,
} as const);

export const LIMIT_DEFAULTS = Object.freeze({
  maxRegistersPerRead: 125,
  maxGapRegisters: 8,
  evenAlignment: false,
});

export const REGISTER_DEFAULTS = Object.freeze({ multiplier: 1, offset: 0 });

/** Registers each fixed-width type occupies; strings take their `length`. */
export const REGISTER_COUNT = Object.freeze({
  u16: 1,
  s16: 1,
  u32: 2,
  s32: 2,
  f32: 2,
  u64: 4,
  s64: 4,
  f64: 4,
} as const);

/** Upload templates by name live here, below templatesDir. */
export const UPLOAD_TEMPLATE_SUFFIX = ".json.hbs";
