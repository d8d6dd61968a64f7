// Secrets: references resolve at the moment of use; errors name the missing variable, never a value;
// redactSecrets hides literal secrets and shows references.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSite, REDACTED, redactSecrets, resolveSecret, SecretError } from "../../engine/config/index.js";
import type { Site } from "../../engine/config/schema-types.js";

const root = join(import.meta.dirname, "../..");
const fixtures = join(root, "test/fixtures/good");
const site = { file: join(fixtures, "tcp-full.yaml"), secretsFile: join(fixtures, "tcp-full.secrets") };
const SECRET = "fixture-password-do-not-print";

function secretError(fn: () => unknown): SecretError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretError) return error;
    throw error;
  }
  throw new Error("expected a SecretError");
}

describe("resolveSecret", () => {
  it("reads ${env:NAME} from the environment", () => {
    expect(resolveSecret("${env:AMPX_T}", site, { AMPX_T: "s3cr3t" })).toBe("s3cr3t");
    expect(resolveSecret("Bearer ${env:AMPX_T}", site, { AMPX_T: "s3cr3t" })).toBe("Bearer s3cr3t");
    expect(resolveSecret("${env:AMPX_T}", site, { AMPX_T: "" })).toBe("");
  });

  it("reads process.env by default", () => {
    process.env.AMPX_TEST_SECRET_DEFAULT_ENV = "from-process";
    try {
      expect(resolveSecret("${env:AMPX_TEST_SECRET_DEFAULT_ENV}", site)).toBe("from-process");
    } finally {
      delete process.env.AMPX_TEST_SECRET_DEFAULT_ENV;
    }
  });

  it("names a missing variable", () => {
    const error = secretError(() => resolveSecret("${env:AMPX_MISSING}", site, {}));
    expect(error.code).toBe("SECRET_E_ENV_UNSET");
    expect(error.message).toContain("AMPX_MISSING");
    expect(error.name).toBe("SecretError");
  });

  it("reads ${secret:NAME} from the site's secrets file", () => {
    expect(resolveSecret("${secret:UPLOAD_PASSWORD}", site, {})).toBe(SECRET);
  });

  it("names a missing secret, or the missing secrets file, without printing any secret", () => {
    const unknown = secretError(() => resolveSecret("${secret:NOPE}", site, {}));
    expect(unknown.code).toBe("SECRET_E_UNKNOWN");
    expect(unknown.message).toContain("NOPE");
    expect(unknown.message).not.toContain(SECRET);
    const noFile = secretError(() => resolveSecret("${secret:UPLOAD_PASSWORD}", { file: site.file }, {}));
    expect(noFile.code).toBe("SECRET_E_NO_SECRETS_FILE");
    const missing = secretError(() =>
      resolveSecret("${secret:X}", { file: site.file, secretsFile: "/nonexistent" }, {}),
    );
    expect(missing.code).toBe("SECRET_E_SECRETS_FILE");
  });

  it("refuses a malformed reference without echoing the value", () => {
    const error = secretError(() => resolveSecret("${env:hunter-2}", site, {}));
    expect(error.code).toBe("SECRET_E_REFERENCE");
    expect(error.message).not.toContain("hunter");
  });

  it("returns a value without references as written", () => {
    expect(resolveSecret("plain", site, {})).toBe("plain");
  });

  it("works on a loaded site, whose secrets stay references", () => {
    const loaded = loadSite(site.file, { profilesDir: join(fixtures, "profiles"), env: {} }).site;
    if (loaded?.upload?.auth?.type !== "basic") throw new Error("tcp-full.yaml should load with basic auth");
    expect(loaded.upload.auth.password).toBe("${secret:UPLOAD_PASSWORD}");
    expect(resolveSecret(loaded.upload.auth.password, loaded)).toBe(SECRET);
  });
});

describe("redactSecrets", () => {
  const source: Site = {
    id: "s",
    name: "S",
    transport: { type: "rtu", port: "/dev/ttyUSB0" },
    meters: [],
    upload: {
      url: "https://x",
      auth: { type: "bearer", token: "literal-token" },
      headers: { "X-Key": "${env:KEY}", "X-Other": "literal-header" },
    },
    web: { auth: { username: "admin", password: "${secret:WEB}", token: "literal-web-token" } },
  };

  it("replaces literal secrets and keeps references, on a copy", () => {
    const redacted = redactSecrets(source);
    expect(redacted.upload?.auth).toEqual({ type: "bearer", token: REDACTED });
    expect(redacted.upload?.headers).toEqual({ "X-Key": "${env:KEY}", "X-Other": REDACTED });
    expect(redacted.web?.auth).toEqual({ username: "admin", password: "${secret:WEB}", token: REDACTED });
    expect(JSON.stringify(redacted)).not.toContain("literal");
    // The original is untouched.
    expect(source.upload?.auth).toEqual({ type: "bearer", token: "literal-token" });
  });

  it("covers basic and header auth", () => {
    const basic = redactSecrets({
      ...source,
      upload: { url: "https://x", auth: { type: "basic", username: "u", password: "p" } },
    });
    expect(basic.upload?.auth).toEqual({ type: "basic", username: "u", password: REDACTED });
    const header = redactSecrets({
      ...source,
      upload: { url: "https://x", auth: { type: "header", header: "X-A", value: "${env:A}" } },
    });
    expect(header.upload?.auth).toEqual({ type: "header", header: "X-A", value: "${env:A}" });
  });

  it("works on a frozen source", () => {
    const frozen = loadSite(site.file, { profilesDir: join(fixtures, "profiles"), env: {} }).site;
    expect(frozen).toBeDefined();
    if (frozen === undefined) return;
    expect(redactSecrets(frozen.source).upload?.auth).toEqual({
      type: "basic",
      username: "gateway",
      password: "${secret:UPLOAD_PASSWORD}",
    });
  });
});

describe("validate never prints a secret", () => {
  it("keeps the secrets file's value and environment values out of the output", () => {
    const result = spawnSync(
      process.execPath,
      [
        "bin/ampx.js",
        "validate",
        "--json",
        "--profiles",
        "test/fixtures/good/profiles",
        "test/fixtures/good/tcp-full.yaml",
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, AMPX_TEST_WEB_TOKEN: "env-token-do-not-print" },
        timeout: 30000,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(result.stdout + result.stderr).not.toContain("env-token-do-not-print");
  });
});
