// Layer 2 for sites: rules across meters, profiles and files that the schema cannot express.
// One small named function per rule, each with its own stable code; they run on a site that
// already fits the schema.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ResolvedProfile } from "../model.js";
import { displayFile } from "./diagnostic.js";
import { didYouMean } from "./did-you-mean.js";
import { DEFAULT_POLL_CLASSES, METER_DEFAULTS, TCP_DEFAULTS, UPLOAD_DEFAULTS } from "./defaults.js";
import { formatDuration, parseDuration } from "./duration.js";
import type { ProfileSetEntry } from "./load-profile.js";
import type { Problem } from "./problem.js";
import type { Meter, Site } from "./schema-types.js";
import {
  hasMalformedReference,
  readSecretsFile,
  SecretError,
  secretFields,
  secretReferences,
} from "./secrets.js";

export interface SiteLintContext {
  /** Absolute path of the site file (relative paths in it are relative to its folder). */
  siteFile: string;
  /** Every profile file found, loaded or not, by id. */
  profiles: ReadonlyMap<string, ProfileSetEntry>;
  /** Environment the ${env:…} references are checked against. */
  env: NodeJS.ProcessEnv;
}

export type SiteLint = (site: Site, context: SiteLintContext) => Problem[];

const profileOf = (meter: Meter, context: SiteLintContext): ResolvedProfile | undefined =>
  context.profiles.get(meter.profile)?.profile;

/** Meter ids key the API, uploads and database: each must be unique in the site. */
export const lintDuplicateMeterId: SiteLint = (site) => {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  site.meters.forEach((meter, index) => {
    const earlier = first.get(meter.id);
    if (earlier === undefined) first.set(meter.id, index);
    else
      problems.push({
        code: "SITE_E_DUPLICATE_METER_ID",
        path: ["meters", index, "id"],
        message: `meter id "${meter.id}" is already used by meters[${earlier}]`,
      });
  });
  return problems;
};

/** A meter's profile must exist as profiles/<vendor>/<model>.yaml and load without errors. */
export const lintProfileExists: SiteLint = (site, context) => {
  const problems: Problem[] = [];
  const reportedInvalid = new Set<string>();
  site.meters.forEach((meter, index) => {
    const entry = context.profiles.get(meter.profile);
    if (entry === undefined) {
      const problem: Problem = {
        code: "SITE_E_UNKNOWN_PROFILE",
        path: ["meters", index, "profile"],
        message: `no profile "${meter.profile}" (no file profiles/${meter.profile}.yaml)`,
      };
      const hint = didYouMean(meter.profile, [...context.profiles.keys()]);
      if (hint !== undefined) problem.hint = hint;
      else problem.hint = "`ampx profiles` lists the profiles";
      problems.push(problem);
    } else if (entry.profile === undefined && !reportedInvalid.has(meter.profile)) {
      reportedInvalid.add(meter.profile);
      problems.push({
        code: "SITE_E_PROFILE_INVALID",
        path: ["meters", index, "profile"],
        message: `profile "${meter.profile}" has errors (listed under ${displayFile(entry.file)})`,
      });
    }
  });
  return problems;
};

/** The bus a meter is addressed on: the one RS485 line, or its TCP host:port. */
function busOf(site: Site, meter: Meter, profile: ResolvedProfile | undefined): string {
  if (site.transport.type === "rtu") return "the RS485 bus";
  const port = meter.port ?? profile?.defaults.tcpPort ?? METER_DEFAULTS.tcpPort;
  return `${meter.host ?? "?"}:${port}`;
}

/** Two meters with one unit id on one bus answer the same request: both readings become garbage. */
export const lintDuplicateUnitId: SiteLint = (site, context) => {
  const taken = new Map<string, { index: number; id: string }>();
  const problems: Problem[] = [];
  site.meters.forEach((meter, index) => {
    const profile = profileOf(meter, context);
    const unitId = meter.unitId ?? profile?.defaults.unitId;
    if (unitId === undefined) return;
    const bus = busOf(site, meter, profile);
    const key = `${bus}#${unitId}`;
    const earlier = taken.get(key);
    if (earlier === undefined) {
      taken.set(key, { index, id: meter.id });
      return;
    }
    const implicit = meter.unitId === undefined ? " (the profile's default)" : "";
    problems.push({
      code: "SITE_E_DUPLICATE_UNIT_ID",
      path: meter.unitId === undefined ? ["meters", index] : ["meters", index, "unitId"],
      message: `unit id ${unitId}${implicit} on ${bus} is already used by meter "${earlier.id}" (meters[${earlier.index}])`,
      hint: "give each meter on a bus its own unit id",
    });
  });
  return problems;
};

/** TCP meters need a host; RTU meters share the serial port and must not name one. */
export const lintMeterAddressing: SiteLint = (site) => {
  const problems: Problem[] = [];
  site.meters.forEach((meter, index) => {
    if (site.transport.type === "tcp" && meter.host === undefined) {
      problems.push({
        code: "SITE_E_TCP_METER_WITHOUT_HOST",
        path: ["meters", index],
        message: `meter "${meter.id}" has no host; with transport tcp every meter needs one`,
      });
    }
    if (site.transport.type === "rtu") {
      for (const key of ["host", "port"] as const) {
        if (meter[key] === undefined) continue;
        problems.push({
          code: "SITE_E_RTU_METER_WITH_HOST",
          path: ["meters", index, key],
          at: "key",
          message: `${key} is for Modbus TCP; this site's transport is rtu (${site.transport.port})`,
          hint: `remove ${key}, or use transport type tcp`,
        });
      }
    }
  });
  return problems;
};

/** Every poll class a used profile reads in must be defined by the site (or be a default one). */
export const lintPollClassesDefined: SiteLint = (site, context) => {
  const defined = [
    ...new Set([...Object.keys(DEFAULT_POLL_CLASSES), ...Object.keys(site.pollClasses ?? {})]),
  ];
  const reported = new Set<string>();
  const problems: Problem[] = [];
  site.meters.forEach((meter, index) => {
    const profile = profileOf(meter, context);
    for (const register of profile?.registers ?? []) {
      const key = `${meter.profile}#${register.pollClass}`;
      if (defined.includes(register.pollClass) || reported.has(key)) continue;
      reported.add(key);
      const problem: Problem = {
        code: "SITE_E_UNKNOWN_POLL_CLASS",
        path: ["meters", index, "profile"],
        message: `profile ${meter.profile} reads ${register.quantity} in poll class "${register.pollClass}", which this site does not define (defined: ${defined.join(", ")})`,
      };
      const hint = didYouMean(register.pollClass, defined);
      problem.hint = hint ?? `add pollClasses: { ${register.pollClass}: { interval: 10s } }`;
      problems.push(problem);
    }
  });
  return problems;
};

/** A site may use an unverified profile, but its engineer must know to check the readings. */
export const lintUnverifiedProfile: SiteLint = (site, context) => {
  const warned = new Set<string>();
  const problems: Problem[] = [];
  site.meters.forEach((meter, index) => {
    const profile = profileOf(meter, context);
    if (profile === undefined || profile.status !== "unverified" || warned.has(profile.id)) return;
    warned.add(profile.id);
    const users = site.meters.filter((m) => m.profile === meter.profile).length;
    problems.push({
      code: "SITE_W_UNVERIFIED_PROFILE",
      path: ["meters", index, "profile"],
      message: `profile ${profile.id} is unverified (used by ${users} meter${users === 1 ? "" : "s"}): compare its readings with the meter's display before trusting them`,
      hint:
        profile.caveats.length > 0
          ? `${profile.caveats.length} caveat(s) in ${displayFile(profile.file)}`
          : `see ${displayFile(profile.file)}`,
    });
  });
  return problems;
};

/** Durations that must not be zero: a zero poll interval or timeout would spin or never wait. */
export const lintPositiveDurations: SiteLint = (site) => {
  const durations: [string[], string | undefined][] = [
    ...Object.entries(site.pollClasses ?? {}).map(([name, pollClass]): [string[], string] => [
      ["pollClasses", name, "interval"],
      pollClass.interval,
    ]),
    [["transport", "responseTimeout"], site.transport.responseTimeout],
    [["upload", "interval"], site.upload?.interval],
    [["upload", "timeout"], site.upload?.timeout],
    [["upload", "retryDelay"], site.upload?.retryDelay],
  ];
  if (site.transport.type === "tcp") {
    durations.push([["transport", "connectTimeout"], site.transport.connectTimeout]);
    durations.push([["transport", "reconnectDelay"], site.transport.reconnectDelay]);
  }
  return durations
    .filter(([, text]) => text !== undefined && parseDuration(text) === 0)
    .map(([path]) => ({ code: "SITE_E_DURATION_ZERO", path, message: "must be longer than 0" }));
};

const DAY_MS = 86_400_000;

/** Intervals are aligned to the UTC clock, so their length must divide a day (1m, 5m, 15m, 1h…). */
export const lintUploadIntervalDividesDay: SiteLint = (site) => {
  if (site.upload === undefined) return [];
  const ms = parseDuration(site.upload.interval ?? UPLOAD_DEFAULTS.interval);
  if (ms === 0 || (ms <= DAY_MS && DAY_MS % ms === 0 && ms % 1000 === 0)) return [];
  return [
    {
      code: "SITE_E_UPLOAD_INTERVAL",
      path: ["upload", "interval"],
      message: `${formatDuration(ms)} does not divide a day into whole intervals, so intervals cannot align to the clock`,
      hint: "use e.g. 1m, 5m, 10m, 15m, 30m, 1h or 1d",
    },
  ];
};

/** A maximum backoff below the first one is a typo; the engine would never back off as written. */
export const lintDelayOrder: SiteLint = (site) => {
  const checks: { section: string; first: string; max: string; maxWritten: boolean }[] = [];
  if (site.upload !== undefined) {
    checks.push({
      section: "upload",
      first: site.upload.retryDelay ?? UPLOAD_DEFAULTS.retryDelay,
      max: site.upload.retryDelayMax ?? UPLOAD_DEFAULTS.retryDelayMax,
      maxWritten: site.upload.retryDelayMax !== undefined,
    });
  }
  if (site.transport.type === "tcp") {
    checks.push({
      section: "transport",
      first: site.transport.reconnectDelay ?? TCP_DEFAULTS.reconnectDelay,
      max: site.transport.reconnectDelayMax ?? TCP_DEFAULTS.reconnectDelayMax,
      maxWritten: site.transport.reconnectDelayMax !== undefined,
    });
  }
  return checks
    .filter(({ first, max }) => parseDuration(max) < parseDuration(first))
    .map(({ section, first, max, maxWritten }) => ({
      code: "SITE_E_DELAY_ORDER",
      path: maxWritten ? [section, section === "upload" ? "retryDelayMax" : "reconnectDelayMax"] : [section],
      message: `the longest delay (${max}) is shorter than the first (${first})`,
    }));
};

/** Secret references must be well-formed and resolvable; literal secrets in the file earn a warning. */
export const lintSecrets: SiteLint = (site, context) => {
  const problems: Problem[] = [];
  const secretsFile =
    site.secretsFile === undefined ? undefined : resolve(dirname(context.siteFile), site.secretsFile);
  let secrets: Record<string, string> | undefined;
  if (secretsFile !== undefined) {
    try {
      secrets = readSecretsFile(secretsFile);
    } catch (error) {
      problems.push({
        code: existsSync(secretsFile) ? "SITE_E_SECRETS_FILE_INVALID" : "SITE_E_SECRETS_FILE_NOT_FOUND",
        path: ["secretsFile"],
        message: error instanceof SecretError ? error.message : `cannot read ${displayFile(secretsFile)}`,
      });
    }
  }
  for (const field of secretFields(site)) {
    if (hasMalformedReference(field.value)) {
      problems.push({
        code: "SITE_E_SECRET_REFERENCE",
        path: field.path,
        message: "malformed secret reference",
        hint: "write ${env:NAME} or ${secret:NAME}, NAME being letters, digits and _",
      });
      continue;
    }
    const references = secretReferences(field.value);
    if (references.length === 0 && field.kind === "auth") {
      problems.push({
        code: "SITE_W_PLAIN_SECRET",
        path: field.path,
        message: "a secret is written into the site file",
        hint: "put it in an environment variable and write ${env:NAME}",
      });
    }
    for (const { kind, name } of references) {
      if (kind === "env" && context.env[name] === undefined) {
        problems.push({
          code: "SITE_W_SECRET_ENV_UNSET",
          path: field.path,
          message: `environment variable ${name} is not set here; it must be set where the gateway runs`,
        });
      } else if (kind === "secret" && secretsFile === undefined) {
        problems.push({
          code: "SITE_E_SECRET_WITHOUT_FILE",
          path: field.path,
          message: `\${secret:${name}} needs a secretsFile at the top of the site`,
        });
      } else if (kind === "secret" && secrets !== undefined && secrets[name] === undefined) {
        const problem: Problem = {
          code: "SITE_E_SECRET_UNKNOWN",
          path: field.path,
          message: `secret ${name} is not in ${displayFile(secretsFile ?? "")}`,
        };
        const hint = didYouMean(name, Object.keys(secrets));
        if (hint !== undefined) problem.hint = hint;
        problems.push(problem);
      }
    }
  }
  return problems;
};

/** Basic auth for the dashboard needs both halves. */
export const lintWebAuthComplete: SiteLint = (site) => {
  const auth = site.web?.auth;
  if (auth === undefined || (auth.username === undefined) === (auth.password === undefined)) return [];
  const missing = auth.username === undefined ? "username" : "password";
  return [
    {
      code: "SITE_E_WEB_AUTH_INCOMPLETE",
      path: ["web", "auth"],
      message: `${missing} is missing: basic auth needs both username and password`,
    },
  ];
};

/** Files the site names (CA bundle) must exist, or HTTPS fails only at the first upload. */
export const lintFilesExist: SiteLint = (site, context) => {
  const caFile = site.upload?.caFile;
  if (caFile === undefined) return [];
  const path = resolve(dirname(context.siteFile), caFile);
  if (existsSync(path)) return [];
  return [
    { code: "SITE_E_FILE_NOT_FOUND", path: ["upload", "caFile"], message: `${displayFile(path)} not found` },
  ];
};

export const siteLints: readonly SiteLint[] = [
  lintDuplicateMeterId,
  lintProfileExists,
  lintDuplicateUnitId,
  lintMeterAddressing,
  lintPollClassesDefined,
  lintUnverifiedProfile,
  lintPositiveDurations,
  lintUploadIntervalDividesDay,
  lintDelayOrder,
  lintSecrets,
  lintWebAuthComplete,
  lintFilesExist,
];
