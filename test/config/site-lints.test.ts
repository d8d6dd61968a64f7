// Each site lint on small in-memory sites, against the fixture profiles (test/fixtures/good/profiles).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProfileSet } from "../../engine/config/load-profile.js";
import {
  lintDelayOrder,
  lintDuplicateMeterId,
  lintDuplicateUnitId,
  lintFilesExist,
  lintMeterAddressing,
  lintPollClassesDefined,
  lintPositiveDurations,
  lintProfileExists,
  lintSecrets,
  lintUnverifiedProfile,
  lintUploadIntervalDividesDay,
  lintWebAuthComplete,
} from "../../engine/config/site-lints.js";
import type { SiteLint, SiteLintContext } from "../../engine/config/site-lints.js";
import type { Meter, Site } from "../../engine/config/schema-types.js";

const fixtures = join(import.meta.dirname, "../fixtures/good");
const profiles = loadProfileSet(join(fixtures, "profiles"));
const context: SiteLintContext = { siteFile: join(fixtures, "site.yaml"), profiles, env: { PRESENT: "x" } };

function rtu(meters: Meter[], extra: Partial<Site> = {}): Site {
  return { id: "t", name: "T", transport: { type: "rtu", port: "/dev/ttyUSB0" }, meters, ...extra };
}
function tcp(meters: Meter[], extra: Partial<Site> = {}): Site {
  return { id: "t", name: "T", transport: { type: "tcp" }, meters, ...extra };
}
const codes = (lint: SiteLint, site: Site): string[] => lint(site, context).map((p) => p.code);

describe("site lints", () => {
  it("the fixture profiles load", () => {
    expect([...profiles.values()].map((e) => [e.id, e.diagnostics.length, e.profile !== undefined])).toEqual([
      ["acme/pm1", 0, true],
      ["acme/pm3", 0, true],
      ["acme/pm5-demand", 0, true],
    ]);
  });

  it("lintDuplicateMeterId", () => {
    expect(
      codes(
        lintDuplicateMeterId,
        rtu([
          { id: "a", profile: "acme/pm3" },
          { id: "a", profile: "acme/pm3", unitId: 2 },
        ]),
      ),
    ).toEqual(["SITE_E_DUPLICATE_METER_ID"]);
    expect(
      codes(
        lintDuplicateMeterId,
        rtu([
          { id: "a", profile: "acme/pm3" },
          { id: "b", profile: "acme/pm3", unitId: 2 },
        ]),
      ),
    ).toEqual([]);
  });

  it("lintProfileExists: unknown ids with a suggestion", () => {
    const [problem] = lintProfileExists(rtu([{ id: "a", profile: "acme/pm33" }]), context);
    expect(problem?.code).toBe("SITE_E_UNKNOWN_PROFILE");
    expect(problem?.hint).toBe('did you mean "acme/pm3"?');
    expect(codes(lintProfileExists, rtu([{ id: "a", profile: "acme/pm3" }]))).toEqual([]);
  });

  it("lintProfileExists: a profile file with errors", () => {
    const broken = loadProfileSet(join(import.meta.dirname, "../fixtures/bad/profiles"));
    const site = rtu([
      { id: "a", profile: "acme/unit-mismatch" },
      { id: "b", profile: "acme/unit-mismatch", unitId: 2 },
    ]);
    // Reported once, however many meters use it.
    expect(lintProfileExists(site, { ...context, profiles: broken }).map((p) => p.code)).toEqual([
      "SITE_E_PROFILE_INVALID",
    ]);
  });

  it("lintDuplicateUnitId: one RTU bus; per host:port on TCP; profile defaults count", () => {
    expect(
      codes(
        lintDuplicateUnitId,
        rtu([
          { id: "a", profile: "acme/pm3", unitId: 3 },
          { id: "b", profile: "acme/pm1", unitId: 3 },
        ]),
      ),
    ).toEqual(["SITE_E_DUPLICATE_UNIT_ID"]);
    // acme/pm1 defaults to unit id 7.
    expect(
      codes(
        lintDuplicateUnitId,
        rtu([
          { id: "a", profile: "acme/pm3", unitId: 7 },
          { id: "b", profile: "acme/pm1" },
        ]),
      ),
    ).toEqual(["SITE_E_DUPLICATE_UNIT_ID"]);
    expect(
      codes(
        lintDuplicateUnitId,
        rtu([
          { id: "a", profile: "acme/pm3", unitId: 1 },
          { id: "b", profile: "acme/pm1" },
        ]),
      ),
    ).toEqual([]);
    const hosts = tcp([
      { id: "a", profile: "acme/pm3", host: "h1" },
      { id: "b", profile: "acme/pm3", host: "h2" },
      { id: "c", profile: "acme/pm3", host: "h1", port: 503 },
    ]);
    expect(codes(lintDuplicateUnitId, hosts)).toEqual([]);
    // acme/pm1's tcpPort is 1502: same host, port 1502 written out, same unit id 7.
    const samePort = tcp([
      { id: "a", profile: "acme/pm1", host: "h1" },
      { id: "b", profile: "acme/pm3", host: "h1", port: 1502, unitId: 7 },
    ]);
    expect(codes(lintDuplicateUnitId, samePort)).toEqual(["SITE_E_DUPLICATE_UNIT_ID"]);
  });

  it("lintMeterAddressing", () => {
    expect(codes(lintMeterAddressing, tcp([{ id: "a", profile: "acme/pm3" }]))).toEqual([
      "SITE_E_TCP_METER_WITHOUT_HOST",
    ]);
    expect(codes(lintMeterAddressing, tcp([{ id: "a", profile: "acme/pm3", host: "h" }]))).toEqual([]);
    expect(codes(lintMeterAddressing, rtu([{ id: "a", profile: "acme/pm3", host: "h", port: 502 }]))).toEqual(
      ["SITE_E_RTU_METER_WITH_HOST", "SITE_E_RTU_METER_WITH_HOST"],
    );
    expect(codes(lintMeterAddressing, rtu([{ id: "a", profile: "acme/pm3" }]))).toEqual([]);
  });

  it("lintPollClassesDefined: defaults count, custom classes must be defined", () => {
    expect(codes(lintPollClassesDefined, rtu([{ id: "a", profile: "acme/pm3" }]))).toEqual([]);
    expect(codes(lintPollClassesDefined, rtu([{ id: "a", profile: "acme/pm5-demand" }]))).toEqual([
      "SITE_E_UNKNOWN_POLL_CLASS",
    ]);
    const defined = rtu([{ id: "a", profile: "acme/pm5-demand" }], {
      pollClasses: { demand: { interval: "15m" } },
    });
    expect(codes(lintPollClassesDefined, defined)).toEqual([]);
  });

  it("lintUnverifiedProfile: a warning, once per profile", () => {
    const site = rtu([
      { id: "a", profile: "acme/pm1", unitId: 1 },
      { id: "b", profile: "acme/pm1", unitId: 2 },
      { id: "c", profile: "acme/pm3", unitId: 3 },
    ]);
    const problems = lintUnverifiedProfile(site, context);
    expect(problems.map((p) => p.code)).toEqual(["SITE_W_UNVERIFIED_PROFILE"]);
    expect(problems[0]?.message).toContain("2 meters");
  });

  it("lintPositiveDurations", () => {
    expect(codes(lintPositiveDurations, rtu([], { pollClasses: { live: { interval: "0s" } } }))).toEqual([
      "SITE_E_DURATION_ZERO",
    ]);
    expect(codes(lintPositiveDurations, rtu([], { pollClasses: { live: { interval: "1ms" } } }))).toEqual([]);
    expect(
      codes(lintPositiveDurations, tcp([], { transport: { type: "tcp", connectTimeout: "0ms" } })),
    ).toEqual(["SITE_E_DURATION_ZERO"]);
  });

  it("lintUploadIntervalDividesDay", () => {
    const upload = (interval: string): Site => rtu([], { upload: { url: "http://x", interval } });
    for (const ok of ["1m", "5m", "15m", "1h", "1d", "90s"])
      expect(codes(lintUploadIntervalDividesDay, upload(ok)), ok).toEqual([]);
    for (const bad of ["7m", "2d", "1500ms", "11h"])
      expect(codes(lintUploadIntervalDividesDay, upload(bad)), bad).toEqual(["SITE_E_UPLOAD_INTERVAL"]);
  });

  it("lintDelayOrder: the maximum backoff must not be below the first delay", () => {
    expect(
      codes(lintDelayOrder, rtu([], { upload: { url: "http://x", retryDelay: "1m", retryDelayMax: "30s" } })),
    ).toEqual(["SITE_E_DELAY_ORDER"]);
    // The default retryDelayMax (15m) is below a written retryDelay of 1h.
    expect(codes(lintDelayOrder, rtu([], { upload: { url: "http://x", retryDelay: "1h" } }))).toEqual([
      "SITE_E_DELAY_ORDER",
    ]);
    expect(
      codes(lintDelayOrder, rtu([], { upload: { url: "http://x", retryDelay: "1s", retryDelayMax: "1s" } })),
    ).toEqual([]);
    expect(codes(lintDelayOrder, tcp([], { transport: { type: "tcp", reconnectDelay: "2m" } }))).toEqual([
      "SITE_E_DELAY_ORDER",
    ]);
  });

  it("lintSecrets: references checked, literal secrets warned about", () => {
    const bearer = (token: string, extra: Partial<Site> = {}): Site =>
      rtu([], { upload: { url: "http://x", auth: { type: "bearer", token } }, ...extra });
    expect(codes(lintSecrets, bearer("${env:PRESENT}"))).toEqual([]);
    expect(codes(lintSecrets, bearer("${env:ABSENT}"))).toEqual(["SITE_W_SECRET_ENV_UNSET"]);
    expect(codes(lintSecrets, bearer("${env:BAD-NAME}"))).toEqual(["SITE_E_SECRET_REFERENCE"]);
    expect(codes(lintSecrets, bearer("${TOKEN}"))).toEqual(["SITE_E_SECRET_REFERENCE"]);
    expect(codes(lintSecrets, bearer("hunter2"))).toEqual(["SITE_W_PLAIN_SECRET"]);
    expect(codes(lintSecrets, bearer("${secret:UPLOAD_PASSWORD}"))).toEqual(["SITE_E_SECRET_WITHOUT_FILE"]);
    expect(
      codes(lintSecrets, bearer("${secret:UPLOAD_PASSWORD}", { secretsFile: "tcp-full.secrets" })),
    ).toEqual([]);
    const unknown = lintSecrets(
      bearer("${secret:UPLOAD_PASSWORT}", { secretsFile: "tcp-full.secrets" }),
      context,
    );
    expect(unknown.map((p) => [p.code, p.hint])).toEqual([
      ["SITE_E_SECRET_UNKNOWN", 'did you mean "UPLOAD_PASSWORD"?'],
    ]);
    expect(codes(lintSecrets, bearer("${env:PRESENT}", { secretsFile: "missing.secrets" }))).toEqual([
      "SITE_E_SECRETS_FILE_NOT_FOUND",
    ]);
    // Plain header values are not necessarily secrets: no warning.
    expect(
      codes(lintSecrets, rtu([], { upload: { url: "http://x", headers: { "X-Site": "north" } } })),
    ).toEqual([]);
  });

  it("lintWebAuthComplete", () => {
    expect(codes(lintWebAuthComplete, rtu([], { web: { auth: { username: "admin" } } }))).toEqual([
      "SITE_E_WEB_AUTH_INCOMPLETE",
    ]);
    expect(
      codes(
        lintWebAuthComplete,
        rtu([], { web: { auth: { username: "admin", password: "${env:PRESENT}" } } }),
      ),
    ).toEqual([]);
    expect(codes(lintWebAuthComplete, rtu([], { web: { auth: { token: "${env:PRESENT}" } } }))).toEqual([]);
  });

  it("lintFilesExist: the CA file", () => {
    expect(codes(lintFilesExist, rtu([], { upload: { url: "https://x", caFile: "nope.pem" } }))).toEqual([
      "SITE_E_FILE_NOT_FOUND",
    ]);
    expect(
      codes(lintFilesExist, rtu([], { upload: { url: "https://x", caFile: "tcp-full.secrets" } })),
    ).toEqual([]);
  });
});
