// The runtime model every stage shares: the resolved (defaults applied, frozen) site and profiles
// produced by engine/config, and the samples, health and intervals that flow downstream.
import type { Profile, QuantityName, RegisterType, Site, Upload, UploadAuth } from "./config/schema-types.js";

export type { QuantityName, RegisterType, Profile, Site, UploadAuth };

export type RegisterFunction = "holding" | "input";
export type WordOrder = "ABCD" | "CDAB" | "BADC" | "DCBA";
export type QuantityKind = "instantaneous" | "counter" | "identity";
export type CanonicalUnit = "V" | "A" | "W" | "var" | "VA" | "Hz" | "kWh" | "kvarh" | "kVAh" | "%" | "";

/** A sample's quality: good, invalid (NaN/Inf/sentinel/decode failure), out_of_range (implausible), stale (too old). */
export type Quality = "good" | "invalid" | "out_of_range" | "stale";

/** One quantity of a profile with the profile defaults applied; `address` is the wire (PDU) address. */
export interface ResolvedRegister {
  quantity: QuantityName;
  label?: string;
  kind: QuantityKind;
  canonicalUnit: CanonicalUnit;
  function: RegisterFunction;
  /** Wire (PDU) address: the profile's address minus its addressBase. */
  address: number;
  /** Number of 16-bit registers the value occupies. */
  count: number;
  type: RegisterType;
  wordOrder: WordOrder;
  multiplier: number;
  offset: number;
  /** Unit of raw × multiplier + offset, converted to canonicalUnit by decode. */
  unit: string;
  range?: { min?: number; max?: number };
  sentinels: number[];
  pollClass: string;
}

export interface ReadLimits {
  maxRegistersPerRead: number;
  maxGapRegisters: number;
  evenAlignment: boolean;
  /** Wire addresses, inclusive. */
  noReadAcross: { function?: RegisterFunction; start: number; end: number }[];
}

export interface ResolvedProfile {
  /** "<vendor-slug>/<model-slug>", as sites reference it. */
  id: string;
  /** Absolute path of the YAML file. */
  file: string;
  vendor: string;
  model: string;
  status: "verified" | "field-tested" | "unverified";
  caveats: string[];
  defaults: {
    unitId: number;
    tcpPort: number;
    serial: { baudRate: number; parity: "none" | "even" | "odd"; dataBits: number; stopBits: number };
  };
  limits: ReadLimits;
  identification: QuantityName[];
  registers: ResolvedRegister[];
  /** The profile as written (after validation). */
  source: Profile;
}

export interface ResolvedMeter {
  id: string;
  name: string;
  profile: ResolvedProfile;
  unitId: number;
  /** TCP only. */
  host?: string;
  port?: number;
  priority: number;
  enabled: boolean;
  serialNumber?: string;
}

export interface ResolvedRtuTransport {
  type: "rtu";
  port: string;
  baudRate: number;
  parity: "none" | "even" | "odd";
  dataBits: number;
  stopBits: number;
  responseTimeoutMs: number;
  turnaroundDelayMs: number;
  interFrameDelayMs: number;
  retries: number;
}

export interface ResolvedTcpTransport {
  type: "tcp";
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  reconnectDelayMs: number;
  reconnectDelayMaxMs: number;
  retries: number;
}

export type ResolvedTransport = ResolvedRtuTransport | ResolvedTcpTransport;

export interface ResolvedUpload {
  enabled: boolean;
  url: string;
  intervalMs: number;
  /** Absolute path of the .json.hbs template. */
  templateFile: string;
  mode: "site" | "meter";
  /** Secrets still as written (${env:…}); resolve them with engine/config/secrets at the moment of use. */
  auth?: UploadAuth;
  headers: Record<string, string>;
  variables: Record<string, string | number | boolean>;
  timeoutMs: number;
  batchSize: number;
  retryDelayMs: number;
  retryDelayMaxMs: number;
  /** Empty means any 2xx. */
  successStatus: number[];
  caFile?: string;
  source: Upload;
}

export interface ResolvedWeb {
  enabled: boolean;
  port: number;
  bind: string;
  /** Secrets still as written; resolve at the moment of use. */
  auth?: { token?: string; username?: string; password?: string };
  allowedOrigins: string[];
}

export interface ResolvedStorage {
  /** Absolute path of the SQLite file. */
  path: string;
  sampleRetentionMs: number;
  intervalRetentionMs: number;
}

export interface ResolvedSite {
  id: string;
  name: string;
  timezone: string;
  /** Absolute path of the site YAML. */
  file: string;
  transport: ResolvedTransport;
  pollClasses: Record<string, { intervalMs: number }>;
  meters: ResolvedMeter[];
  upload?: ResolvedUpload;
  web: ResolvedWeb;
  storage: ResolvedStorage;
  secretsFile?: string;
  /** The site as written (after validation). */
  source: Site;
}

/** One decoded value of one quantity at one time. */
export interface Sample {
  meterId: string;
  quantity: QuantityName;
  /** Canonical unit; a string only for identity fields of type string; null when it could not be decoded. */
  value: number | string | null;
  unit: CanonicalUnit;
  quality: Quality;
  /** Milliseconds since the Unix epoch (UTC) when the answer arrived. */
  timestamp: number;
}

export type MeterState = "unknown" | "online" | "offline" | "disabled";

/** Per-meter health counters, as the poller keeps them. */
export interface MeterHealth {
  meterId: string;
  state: MeterState;
  requests: number;
  responses: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  connectionErrors: number;
  invalidResponses: number;
  consecutiveFailures: number;
  /** Epoch ms of the last fully good read, or null. */
  lastGoodRead: number | null;
  lastError: { code: string; message: string; at: number } | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Epoch ms until which the meter is backed off (offline), or null. */
  backoffUntil: number | null;
  /** Poll cycles skipped because the bus was busier than the poll class interval allows (set by the poller). */
  missedCycles?: number;
}

/**
 * The aggregate of one quantity of one meter over one interval [start, end).
 * Rules (engine and firmware must agree):
 * - only samples of quality good enter; `badCount` counts the others;
 * - instantaneous: avg (arithmetic mean of good samples), min, max;
 * - counter: first and last good value, delta = sum of the increases between consecutive good samples,
 *   where a decrease is a counter reset: the new value counts as the increase since the reset, and `reset` is true;
 * - identity quantities are not aggregated;
 * - coverage = min(1, count × poll-class interval / interval length);
 * - quality: "missing" when count is 0, "good" when coverage ≥ 0.9, else "partial".
 */
export interface IntervalAggregate {
  meterId: string;
  quantity: QuantityName;
  kind: "instantaneous" | "counter";
  unit: CanonicalUnit;
  /** Epoch ms, aligned to the interval length in UTC. */
  start: number;
  end: number;
  count: number;
  badCount: number;
  coverage: number;
  quality: "good" | "partial" | "missing";
  avg?: number;
  min?: number;
  max?: number;
  first?: number;
  last?: number;
  delta?: number;
  reset?: boolean;
}
