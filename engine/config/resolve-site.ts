// A schema-valid, lint-clean site → ResolvedSite: every default applied, durations in ms, paths
// absolute, meters joined to their resolved profiles. Secrets stay as written (resolved at use).
import { dirname, resolve } from "node:path";
import type {
  ResolvedMeter,
  ResolvedProfile,
  ResolvedSite,
  ResolvedStorage,
  ResolvedTransport,
  ResolvedUpload,
  ResolvedWeb,
} from "../model.js";
import {
  DEFAULT_POLL_CLASSES,
  METER_DEFAULTS,
  RTU_DEFAULTS,
  SITE_DEFAULTS,
  STORAGE_DEFAULTS,
  TCP_DEFAULTS,
  UPLOAD_DEFAULTS,
  WEB_DEFAULTS,
} from "./defaults.js";
import { parseDuration } from "./duration.js";
import type { Meter, Site, Transport, Upload, Web } from "./schema-types.js";
import { defaultInterFrameDelayMs } from "./serial-timing.js";
import { resolveTemplateFile } from "./upload-template.js";

function resolveTransport(transport: Transport): ResolvedTransport {
  if (transport.type === "tcp") {
    return {
      type: "tcp",
      connectTimeoutMs: parseDuration(transport.connectTimeout ?? TCP_DEFAULTS.connectTimeout),
      responseTimeoutMs: parseDuration(transport.responseTimeout ?? TCP_DEFAULTS.responseTimeout),
      reconnectDelayMs: parseDuration(transport.reconnectDelay ?? TCP_DEFAULTS.reconnectDelay),
      reconnectDelayMaxMs: parseDuration(transport.reconnectDelayMax ?? TCP_DEFAULTS.reconnectDelayMax),
      retries: transport.retries ?? TCP_DEFAULTS.retries,
    };
  }
  const baudRate = transport.baudRate ?? RTU_DEFAULTS.baudRate;
  const parity = transport.parity ?? RTU_DEFAULTS.parity;
  const dataBits = transport.dataBits ?? RTU_DEFAULTS.dataBits;
  const stopBits = transport.stopBits ?? RTU_DEFAULTS.stopBits;
  return {
    type: "rtu",
    port: transport.port,
    baudRate,
    parity,
    dataBits,
    stopBits,
    responseTimeoutMs: parseDuration(transport.responseTimeout ?? RTU_DEFAULTS.responseTimeout),
    turnaroundDelayMs: parseDuration(transport.turnaroundDelay ?? RTU_DEFAULTS.turnaroundDelay),
    interFrameDelayMs:
      transport.interFrameDelay === undefined
        ? defaultInterFrameDelayMs(baudRate, dataBits, parity, stopBits)
        : parseDuration(transport.interFrameDelay),
    retries: transport.retries ?? RTU_DEFAULTS.retries,
  };
}

function resolvePollClasses(site: Site): Record<string, { intervalMs: number }> {
  const classes: Record<string, { intervalMs: number }> = {};
  for (const [name, interval] of Object.entries(DEFAULT_POLL_CLASSES))
    classes[name] = { intervalMs: parseDuration(interval) };
  for (const [name, pollClass] of Object.entries(site.pollClasses ?? {})) {
    classes[name] = { intervalMs: parseDuration(pollClass.interval) };
  }
  return classes;
}

function resolveMeter(meter: Meter, profile: ResolvedProfile, transport: Transport): ResolvedMeter {
  const resolved: ResolvedMeter = {
    id: meter.id,
    name: meter.name ?? meter.id,
    profile,
    unitId: meter.unitId ?? profile.defaults.unitId,
    priority: meter.priority ?? METER_DEFAULTS.priority,
    enabled: meter.enabled ?? METER_DEFAULTS.enabled,
  };
  if (transport.type === "tcp") {
    if (meter.host !== undefined) resolved.host = meter.host;
    resolved.port = meter.port ?? profile.defaults.tcpPort ?? METER_DEFAULTS.tcpPort;
  }
  if (meter.serialNumber !== undefined) resolved.serialNumber = meter.serialNumber;
  return resolved;
}

function resolveUpload(upload: Upload, siteFile: string): ResolvedUpload {
  const resolved: ResolvedUpload = {
    enabled: upload.enabled ?? UPLOAD_DEFAULTS.enabled,
    url: upload.url,
    intervalMs: parseDuration(upload.interval ?? UPLOAD_DEFAULTS.interval),
    templateFile: resolveTemplateFile(upload.template ?? UPLOAD_DEFAULTS.template, siteFile),
    mode: upload.mode ?? UPLOAD_DEFAULTS.mode,
    headers: { ...(upload.headers ?? {}) },
    variables: { ...(upload.variables ?? {}) },
    timeoutMs: parseDuration(upload.timeout ?? UPLOAD_DEFAULTS.timeout),
    batchSize: upload.batchSize ?? UPLOAD_DEFAULTS.batchSize,
    retryDelayMs: parseDuration(upload.retryDelay ?? UPLOAD_DEFAULTS.retryDelay),
    retryDelayMaxMs: parseDuration(upload.retryDelayMax ?? UPLOAD_DEFAULTS.retryDelayMax),
    successStatus: [...(upload.successStatus ?? [])],
    source: upload,
  };
  if (upload.auth !== undefined) resolved.auth = { ...upload.auth };
  if (upload.caFile !== undefined) resolved.caFile = resolve(dirname(siteFile), upload.caFile);
  return resolved;
}

function resolveWeb(web: Web | undefined): ResolvedWeb {
  const resolved: ResolvedWeb = {
    enabled: web?.enabled ?? WEB_DEFAULTS.enabled,
    port: web?.port ?? WEB_DEFAULTS.port,
    bind: web?.bind ?? WEB_DEFAULTS.bind,
    allowedOrigins: [...(web?.allowedOrigins ?? [])],
  };
  if (web?.auth !== undefined) resolved.auth = { ...web.auth };
  return resolved;
}

function resolveStorage(site: Site, siteFile: string): ResolvedStorage {
  const written = site.storage?.path ?? STORAGE_DEFAULTS.path.replace("<site id>", site.id);
  return {
    path: resolve(dirname(siteFile), written),
    sampleRetentionMs: parseDuration(site.storage?.sampleRetention ?? STORAGE_DEFAULTS.sampleRetention),
    intervalRetentionMs: parseDuration(site.storage?.intervalRetention ?? STORAGE_DEFAULTS.intervalRetention),
  };
}

/** `profiles` must hold every profile the meters name (the lints have checked that). */
export function resolveSite(
  site: Site,
  siteFile: string,
  profiles: ReadonlyMap<string, ResolvedProfile>,
): ResolvedSite {
  const file = resolve(siteFile);
  const meters = site.meters.map((meter) => {
    const profile = profiles.get(meter.profile);
    if (profile === undefined) throw new Error(`profile ${meter.profile} was not loaded`);
    return resolveMeter(meter, profile, site.transport);
  });
  const resolved: ResolvedSite = {
    id: site.id,
    name: site.name,
    timezone: site.timezone ?? SITE_DEFAULTS.timezone,
    file,
    transport: resolveTransport(site.transport),
    pollClasses: resolvePollClasses(site),
    meters,
    web: resolveWeb(site.web),
    storage: resolveStorage(site, file),
    source: site,
  };
  if (site.upload !== undefined) resolved.upload = resolveUpload(site.upload, file);
  if (site.secretsFile !== undefined) resolved.secretsFile = resolve(dirname(file), site.secretsFile);
  return resolved;
}
