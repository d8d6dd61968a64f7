// A resolved site → the tables of the generated site_config.h, checked against the firmware core's
// capacities. Every table is ordered (meters in site order, blocks as engine/plan orders them,
// quantities by block and address) so the same site always gives the same bytes.
import type { Diagnostic, PathSegment } from "../config/diagnostic.js";
import { formatPath } from "../config/diagnostic.js";
import { unitFactor } from "../decode/units.js";
import type { RegisterFunction, ResolvedMeter, ResolvedRegister, ResolvedSite } from "../model.js";
import type { Block } from "../plan/index.js";
import type { CoreLimits } from "./core-limits.js";
import {
  CPP_ENUMS,
  cppEnum,
  isSupportedFunction,
  isSupportedKind,
  isSupportedRegisterType,
  isSupportedWordOrder,
} from "./enums.js";
import type { AuthKind, SecretSourceName } from "./enums.js";
import { locateField } from "./yaml-location.js";

export type PlanMeter = (profile: ResolvedMeter["profile"]) => Block[];

export interface FirmwareMeter {
  index: number;
  meter: ResolvedMeter;
  firstBlock: number;
  blockCount: number;
  firstQuantity: number;
  quantityCount: number;
}

export interface FirmwareBlock {
  index: number;
  meterIndex: number;
  function: RegisterFunction;
  start: number;
  count: number;
  pollClassIndex: number;
  firstQuantity: number;
  quantityCount: number;
}

export interface FirmwareQuantity {
  index: number;
  meterIndex: number;
  meterId: string;
  blockIndex: number;
  wordOffset: number;
  pollClassIndex: number;
  /** Index of the interval accumulator, or -1 for identity quantities. */
  series: number;
  register: ResolvedRegister;
  unitFactor: number;
  /** Index of the first of its sentinels in FirmwareSite.sentinels. */
  firstSentinel: number;
}

export interface SecretRef {
  source: SecretSourceName;
  /** Env var / secrets-file key: the NVS key the device reads the value from. */
  name?: string;
  /** Only when the site file holds the value itself. */
  literal?: string;
}

export interface FirmwareUpload {
  enabled: boolean;
  url: string;
  mode: "site" | "meter";
  timeoutMs: number;
  retryDelayMs: number;
  retryDelayMaxMs: number;
  batchSize: number;
  authKind: AuthKind;
  authHeader?: string;
  authUsername?: string;
  authSecret: SecretRef;
  successStatus: number[];
  headers: { name: string; value: SecretRef }[];
}

export interface FirmwareSite {
  site: ResolvedSite;
  intervalMs: number;
  pollClasses: { name: string; intervalMs: number }[];
  meters: FirmwareMeter[];
  blocks: FirmwareBlock[];
  quantities: FirmwareQuantity[];
  sentinels: number[];
  seriesCount: number;
  upload?: FirmwareUpload;
}

export const DEFAULT_INTERVAL_MS = 15 * 60_000;

/** Builds diagnostics that point at a field of the site file. */
export class SiteDiagnostics {
  readonly list: Diagnostic[] = [];
  constructor(readonly site: ResolvedSite) {}

  add(code: string, path: PathSegment[], message: string, hint?: string, file?: string): void {
    const inFile = file ?? this.site.file;
    const { line, column } = locateField(inFile, path);
    const d: Diagnostic = {
      code,
      severity: code.includes("_W_") ? "warning" : "error",
      file: inFile,
      line,
      column,
      path: formatPath(path),
      message,
    };
    if (hint !== undefined) d.hint = hint;
    this.list.push(d);
  }
}

const SECRET = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_]*)\}$/;

function secretRef(value: string | undefined, path: PathSegment[], out: SiteDiagnostics): SecretRef {
  if (value === undefined) return { source: "none" };
  const m = SECRET.exec(value);
  if (m !== null) return { source: m[1] as "env" | "secret", name: m[2]! };
  if (value.includes("${")) {
    out.add(
      "FIRMWARE_E_SECRET_FORMAT",
      path,
      "the firmware reads a secret from its NVS as a whole value; text around a ${…} reference cannot be rebuilt on the device",
      "write the value as exactly one ${env:NAME} or ${secret:NAME}",
    );
    return { source: "none" };
  }
  out.add(
    "FIRMWARE_W_LITERAL_SECRET",
    path,
    "the secret is written in the site file, so it is compiled into the firmware image (anyone with the image can read it)",
    "write ${env:NAME} and provision the value into the device's NVS at flash time",
  );
  return { source: "literal", literal: value };
}

function buildUpload(site: ResolvedSite, out: SiteDiagnostics): FirmwareUpload | undefined {
  const upload = site.upload;
  if (upload === undefined) return undefined;
  const auth = upload.auth;
  const result: FirmwareUpload = {
    enabled: upload.enabled,
    url: upload.url,
    mode: upload.mode,
    timeoutMs: upload.timeoutMs,
    retryDelayMs: upload.retryDelayMs,
    retryDelayMaxMs: upload.retryDelayMaxMs,
    batchSize: upload.batchSize,
    authKind: auth?.type ?? "none",
    authSecret: { source: "none" },
    successStatus: [...upload.successStatus],
    headers: Object.keys(upload.headers)
      .sort()
      .map((name) => ({ name, value: secretRef(upload.headers[name], ["upload", "headers", name], out) })),
  };
  if (auth?.type === "bearer") result.authSecret = secretRef(auth.token, ["upload", "auth", "token"], out);
  if (auth?.type === "basic") {
    result.authUsername = auth.username;
    result.authSecret = secretRef(auth.password, ["upload", "auth", "password"], out);
  }
  if (auth?.type === "header") {
    result.authHeader = auth.header;
    result.authSecret = secretRef(auth.value, ["upload", "auth", "value"], out);
  }
  if (upload.caFile !== undefined) {
    out.add(
      "FIRMWARE_W_CA_FILE",
      ["upload", "caFile"],
      "the firmware does not embed a custom certificate authority; it trusts the ESP32 root store",
      "provision the CA with the firmware's TLS settings (docs/firmware.md)",
    );
  }
  if (upload.intervalMs % 1000 !== 0) {
    out.add(
      "FIRMWARE_E_INTERVAL",
      ["upload", "interval"],
      `the firmware aligns intervals to whole seconds; ${upload.intervalMs} ms is not`,
    );
  }
  return result;
}

/** The profile file's path of a register, for diagnostics on profile limits. */
function registerPath(meter: ResolvedMeter, register: ResolvedRegister): PathSegment[] {
  const index = meter.profile.source.quantities.findIndex((q) => q.quantity === register.quantity);
  return index < 0 ? ["quantities"] : ["quantities", index];
}

/**
 * The generated tables of a site and every reason the firmware cannot serve it. The tables are
 * complete only when no error was found.
 */
export function buildFirmwareSite(
  site: ResolvedSite,
  planMeter: PlanMeter,
  limits: CoreLimits,
): { data: FirmwareSite; diagnostics: Diagnostic[] } {
  const out = new SiteDiagnostics(site);
  if (cppEnum("transport", site.transport.type) === undefined) {
    out.add(
      "FIRMWARE_E_UNSUPPORTED_TRANSPORT",
      ["transport", "type"],
      `the firmware has no ${String(site.transport.type)} transport`,
      "use rtu (RS485) or tcp (W5500)",
    );
  }
  if (site.meters.length > limits.maxMeters) {
    out.add(
      "FIRMWARE_E_TOO_MANY_METERS",
      ["meters", limits.maxMeters],
      `the site has ${site.meters.length} meters; the firmware serves at most ${limits.maxMeters}`,
      "split the meters over two gateways (two site files)",
    );
  }

  const pollNames = Object.keys(site.pollClasses).sort();
  if (pollNames.length > limits.maxPollClasses) {
    out.add(
      "FIRMWARE_E_TOO_MANY_POLL_CLASSES",
      ["pollClasses"],
      `the site has ${pollNames.length} poll classes; the firmware supports ${limits.maxPollClasses}`,
    );
  }
  const pollClasses = pollNames.map((name) => ({ name, intervalMs: site.pollClasses[name]!.intervalMs }));

  const data: FirmwareSite = {
    site,
    intervalMs: site.upload?.intervalMs ?? DEFAULT_INTERVAL_MS,
    pollClasses,
    meters: [],
    blocks: [],
    quantities: [],
    sentinels: [],
    seriesCount: 0,
  };

  site.meters.forEach((meter, meterIndex) => {
    const at: PathSegment[] = ["meters", meterIndex, "profile"];
    const blocks = planMeter(meter.profile);
    const fwMeter: FirmwareMeter = {
      index: meterIndex,
      meter,
      firstBlock: data.blocks.length,
      blockCount: blocks.length,
      firstQuantity: data.quantities.length,
      quantityCount: 0,
    };
    if (blocks.length > limits.maxBlocksPerMeter) {
      out.add(
        "FIRMWARE_E_TOO_MANY_BLOCKS",
        at,
        `profile ${meter.profile.id} needs ${blocks.length} reads per meter; the firmware schedules at most ${limits.maxBlocksPerMeter}`,
      );
    }
    const seen = new Set<string>();
    for (const block of blocks) {
      const pollClassIndex = pollNames.indexOf(block.pollClass);
      if (pollClassIndex < 0) {
        out.add(
          "FIRMWARE_E_POLL_CLASS",
          at,
          `poll class ${block.pollClass} of ${meter.profile.id} is not in the site`,
        );
      }
      const fwBlock: FirmwareBlock = {
        index: data.blocks.length,
        meterIndex,
        function: block.function,
        start: block.start,
        count: block.count,
        pollClassIndex,
        firstQuantity: data.quantities.length,
        quantityCount: block.registers.length,
      };
      if (!isSupportedFunction(block.function)) {
        out.add(
          "FIRMWARE_E_UNSUPPORTED_FUNCTION",
          at,
          `register function ${block.function} has no firmware equivalent`,
        );
      }
      if (block.count > limits.maxReadRegisters) {
        out.add(
          "FIRMWARE_E_BLOCK_SIZE",
          at,
          `a read of ${block.count} registers exceeds ${limits.maxReadRegisters}`,
        );
      }
      data.blocks.push(fwBlock);
      for (const register of block.registers) {
        const path = registerPath(meter, register);
        const inProfile = (key: string, code: string, message: string, hint?: string) =>
          out.add(
            code,
            [...path, key],
            `${message} (profile ${meter.profile.id}, used by meters[${meterIndex}] "${meter.id}")`,
            hint,
            meter.profile.file,
          );
        if (!isSupportedRegisterType(register.type)) {
          inProfile(
            "type",
            "FIRMWARE_E_UNSUPPORTED_TYPE",
            `register type "${String(register.type)}" of ${register.quantity} is not supported by the firmware`,
            `the firmware decodes ${Object.keys(CPP_ENUMS.registerType).join(", ")}`,
          );
        }
        if (!isSupportedWordOrder(register.wordOrder)) {
          inProfile(
            "wordOrder",
            "FIRMWARE_E_UNSUPPORTED_WORD_ORDER",
            `word order "${String(register.wordOrder)}" is not supported`,
          );
        }
        if (!isSupportedKind(register.kind)) {
          inProfile(
            "quantity",
            "FIRMWARE_E_UNSUPPORTED_KIND",
            `quantity kind "${String(register.kind)}" is not supported`,
          );
        }
        if (register.type === "string" && register.count > limits.maxStringRegisters) {
          inProfile(
            "length",
            "FIRMWARE_E_UNSUPPORTED_TYPE",
            `a string of ${register.count} registers exceeds the firmware's ${limits.maxStringRegisters}`,
          );
        }
        if (register.sentinels.length > limits.maxSentinels) {
          inProfile(
            "sentinels",
            "FIRMWARE_E_TOO_MANY_SENTINELS",
            `${register.sentinels.length} sentinels; the firmware checks at most ${limits.maxSentinels} per register`,
          );
        }
        if (seen.has(register.quantity)) {
          inProfile("quantity", "FIRMWARE_E_DUPLICATE_QUANTITY", `${register.quantity} is read twice`);
        }
        seen.add(register.quantity);
        const factor = unitFactor(register.unit, register.canonicalUnit);
        if (factor === undefined) {
          inProfile(
            "unit",
            "FIRMWARE_E_UNIT",
            `unit "${register.unit}" does not convert to ${register.canonicalUnit}`,
          );
        }
        // Disabled meters keep their series too (the core's rule: series = -1 exactly for identity rows).
        const aggregated = register.kind !== "identity";
        data.quantities.push({
          index: data.quantities.length,
          meterIndex,
          meterId: meter.id,
          blockIndex: fwBlock.index,
          wordOffset: register.address - block.start,
          pollClassIndex,
          series: aggregated ? data.seriesCount++ : -1,
          register,
          unitFactor: factor ?? 1,
          firstSentinel: data.sentinels.length,
        });
        data.sentinels.push(...register.sentinels);
      }
    }
    fwMeter.quantityCount = data.quantities.length - fwMeter.firstQuantity;
    if (fwMeter.quantityCount > limits.maxQuantitiesPerMeter) {
      out.add(
        "FIRMWARE_E_TOO_MANY_QUANTITIES",
        at,
        `profile ${meter.profile.id} has ${fwMeter.quantityCount} quantities; the firmware decodes at most ${limits.maxQuantitiesPerMeter} per meter`,
      );
    }
    data.meters.push(fwMeter);
  });

  if (data.seriesCount > limits.maxSeries) {
    out.add(
      "FIRMWARE_E_TOO_MANY_SERIES",
      ["meters"],
      `the meters have ${data.seriesCount} aggregated quantities in all; the firmware keeps at most ${limits.maxSeries} interval accumulators`,
      "use fewer meters per gateway, or profiles with fewer quantities",
    );
  }
  const upload = buildUpload(site, out);
  if (upload !== undefined) data.upload = upload;
  return { data, diagnostics: out.list };
}
