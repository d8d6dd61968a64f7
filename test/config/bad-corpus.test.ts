// The bad-file corpus (test/fixtures/bad): every file yields its expected code at the expected
// line:column, the loader never throws, and no message carries a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic, loadProfile, loadSite } from "../../engine/config/index.js";
import type { Diagnostic } from "../../engine/config/index.js";

const bad = (name: string): string => join(import.meta.dirname, "../fixtures/bad", name);
const profilesDir = join(import.meta.dirname, "../fixtures/good/profiles");

interface Expected {
  file: string;
  code: string;
  line: number;
  column: number;
  path?: string;
  /** Text the message or hint must contain. */
  says?: string;
}

const siteCases: Expected[] = [
  { file: "malformed.yaml", code: "YAML_E_SYNTAX", line: 6, column: 1, says: "end with a ]" },
  {
    file: "wrong-types.yaml",
    code: "SCHEMA_E_TYPE",
    line: 6,
    column: 13,
    path: "transport.baudRate",
    says: 'got "fast"',
  },
  { file: "wrong-types.yaml", code: "SCHEMA_E_TYPE", line: 10, column: 13, path: "meters[0].unitId" },
  {
    file: "wrong-types.yaml",
    code: "SCHEMA_E_TYPE",
    line: 11,
    column: 14,
    path: "meters[0].enabled",
    says: "true or false",
  },
  {
    file: "unknown-key.yaml",
    code: "SCHEMA_E_UNKNOWN_KEY",
    line: 9,
    column: 5,
    path: "meters[0].colour",
    says: "allowed keys: id, name, profile",
  },
  {
    file: "misspelt-keys.yaml",
    code: "SCHEMA_E_UNKNOWN_KEY",
    line: 6,
    column: 3,
    path: "transport.baudrate",
    says: 'did you mean "baudRate"?',
  },
  {
    file: "misspelt-keys.yaml",
    code: "SCHEMA_E_UNKNOWN_KEY",
    line: 7,
    column: 1,
    path: "pollClass",
    says: 'did you mean "pollClasses"?',
  },
  {
    file: "misspelt-keys.yaml",
    code: "SCHEMA_E_UNKNOWN_KEY",
    line: 12,
    column: 5,
    path: "meters[0].unitID",
    says: 'did you mean "unitId"?',
  },
  {
    file: "too-many-meters.yaml",
    code: "SITE_E_TOO_MANY_METERS",
    line: 8,
    column: 3,
    path: "meters",
    says: "33 meters",
  },
  {
    file: "duplicate-unit-id.yaml",
    code: "SITE_E_DUPLICATE_UNIT_ID",
    line: 15,
    column: 13,
    path: "meters[2].unitId",
    says: 'meter "m1"',
  },
  {
    file: "duplicate-unit-id-tcp.yaml",
    code: "SITE_E_DUPLICATE_UNIT_ID",
    line: 9,
    column: 5,
    path: "meters[3]",
    says: "10.0.0.1:502",
  },
  {
    file: "missing-profile.yaml",
    code: "SITE_E_UNKNOWN_PROFILE",
    line: 8,
    column: 14,
    path: "meters[0].profile",
    says: "did you mean",
  },
  {
    file: "unit-id-range.yaml",
    code: "SCHEMA_E_RANGE",
    line: 12,
    column: 13,
    path: "meters[1].unitId",
    says: "248 is above the maximum 247",
  },
  { file: "tab-indented.yaml", code: "YAML_E_TAB_INDENT", line: 4, column: 1 },
  { file: "empty.yaml", code: "CONFIG_E_EMPTY", line: 1, column: 1 },
  { file: "binary.yaml", code: "CONFIG_E_BINARY", line: 2, column: 7, says: "NUL" },
  { file: "not-utf8.yaml", code: "CONFIG_E_BINARY", line: 1, column: 1, says: "UTF-8" },
  { file: "duplicate-key.yaml", code: "YAML_E_DUPLICATE_KEY", line: 7, column: 1 },
  {
    file: "tcp-without-host.yaml",
    code: "SITE_E_TCP_METER_WITHOUT_HOST",
    line: 9,
    column: 5,
    path: "meters[1]",
  },
  {
    file: "rtu-with-host.yaml",
    code: "SITE_E_RTU_METER_WITH_HOST",
    line: 9,
    column: 5,
    path: "meters[0].host",
  },
  {
    file: "unknown-transport.yaml",
    code: "SCHEMA_E_ENUM",
    line: 4,
    column: 9,
    path: "transport.type",
    says: 'did you mean "rtu"?',
  },
  {
    file: "unknown-poll-class.yaml",
    code: "SITE_E_UNKNOWN_POLL_CLASS",
    line: 10,
    column: 14,
    path: "meters[0].profile",
    says: 'did you mean "demnd"?',
  },
  {
    file: "bad-duration.yaml",
    code: "SCHEMA_E_PATTERN",
    line: 6,
    column: 20,
    path: "transport.responseTimeout",
    says: "not a duration",
  },
  {
    file: "missing-required.yaml",
    code: "SCHEMA_E_REQUIRED",
    line: 7,
    column: 5,
    path: "meters[0]",
    says: '"profile"',
  },
  {
    file: "duplicate-meter-id.yaml",
    code: "SITE_E_DUPLICATE_METER_ID",
    line: 8,
    column: 11,
    path: "meters[1].id",
  },
  {
    file: "bad-secrets.yaml",
    code: "SITE_E_SECRET_REFERENCE",
    line: 11,
    column: 12,
    path: "upload.auth.token",
  },
  {
    file: "bad-secrets.yaml",
    code: "SITE_E_SECRET_WITHOUT_FILE",
    line: 14,
    column: 12,
    path: "web.auth.token",
  },
  {
    file: "upload-interval.yaml",
    code: "SITE_E_UPLOAD_INTERVAL",
    line: 9,
    column: 13,
    path: "upload.interval",
  },
  {
    file: "template-typo.yaml",
    code: "SITE_E_TEMPLATE_NOT_FOUND",
    line: 9,
    column: 13,
    path: "upload.template",
    says: 'did you mean "default"?',
  },
  {
    file: "template-not-json.yaml",
    code: "SITE_E_TEMPLATE_NOT_JSON",
    line: 11,
    column: 13,
    path: "upload.template",
    says: 'rendered: {"site": A template',
  },
  {
    file: "template-syntax.yaml",
    code: "SITE_E_TEMPLATE_SYNTAX",
    line: 9,
    column: 13,
    path: "upload.template",
    says: "does not compile",
  },
  { file: "not-a-mapping.yaml", code: "SCHEMA_E_TYPE", line: 1, column: 1, says: "got a list" },
];

const profileCases: Expected[] = [
  {
    file: "bad-word-order.yaml",
    code: "SCHEMA_E_ENUM",
    line: 13,
    column: 16,
    path: "quantities[1].wordOrder",
    says: 'did you mean "BADC"?',
  },
  {
    file: "register-overlap.yaml",
    code: "PROFILE_E_REGISTER_OVERLAP",
    line: 10,
    column: 38,
    path: "quantities[1].address",
    says: "overlaps voltage_l1",
  },
  {
    file: "duplicate-quantity.yaml",
    code: "PROFILE_E_DUPLICATE_QUANTITY",
    line: 10,
    column: 17,
    path: "quantities[1].quantity",
  },
  {
    file: "unit-mismatch.yaml",
    code: "PROFILE_E_UNIT_MISMATCH",
    line: 9,
    column: 66,
    path: "quantities[0].unit",
    says: '"kWh"',
  },
  {
    file: "string-without-length.yaml",
    code: "PROFILE_E_STRING_WITHOUT_LENGTH",
    line: 9,
    column: 50,
    path: "quantities[0].type",
  },
  {
    file: "path-mismatch.yaml",
    code: "PROFILE_E_PATH_MISMATCH",
    line: 2,
    column: 8,
    path: "model",
    says: "pm9.yaml",
  },
  {
    file: "identification-unknown.yaml",
    code: "PROFILE_E_IDENTIFICATION_UNKNOWN",
    line: 8,
    column: 18,
    path: "identification[0]",
  },
  {
    file: "block-too-large.yaml",
    code: "PROFILE_E_BLOCK_TOO_LARGE",
    line: 10,
    column: 66,
    path: "quantities[0].length",
  },
  {
    file: "unknown-quantity.yaml",
    code: "SCHEMA_E_ENUM",
    line: 9,
    column: 17,
    path: "quantities[0].quantity",
    says: 'did you mean "voltage_l1"?',
  },
  {
    file: "zero-multiplier.yaml",
    code: "SCHEMA_E_NOT_ALLOWED",
    line: 9,
    column: 64,
    path: "quantities[0].multiplier",
  },
];

function expectDiagnostic(diagnostics: Diagnostic[], expected: Expected): void {
  const match = diagnostics.find(
    (d) => d.code === expected.code && d.line === expected.line && d.column === expected.column,
  );
  expect(
    match,
    `${expected.code} at ${expected.line}:${expected.column} in\n${diagnostics.map((d) => formatDiagnostic(d)).join("\n")}`,
  ).toBeDefined();
  if (match === undefined) return;
  expect(match.severity).toBe("error");
  if (expected.path !== undefined) expect(match.path).toBe(expected.path);
  if (expected.says !== undefined) expect(formatDiagnostic(match)).toContain(expected.says);
  expect(formatDiagnostic(match)).not.toMatch(/\n\s+at /);
}

describe("bad sites", () => {
  it.each(siteCases)("$file: $code at $line:$column", (expected) => {
    const { site, diagnostics } = loadSite(bad(expected.file), { profilesDir, env: {} });
    expect(site).toBeUndefined();
    expectDiagnostic(diagnostics, expected);
  });

  it("reports a type error once, not again as a bad enum value", () => {
    const { diagnostics } = loadSite(bad("wrong-types.yaml"), { profilesDir });
    expect(diagnostics.filter((d) => d.path === "transport.baudRate").map((d) => d.code)).toEqual([
      "SCHEMA_E_TYPE",
    ]);
  });

  it("reports every misspelt key at once, not only the first", () => {
    const { diagnostics } = loadSite(bad("misspelt-keys.yaml"), { profilesDir });
    expect(diagnostics.filter((d) => d.code === "SCHEMA_E_UNKNOWN_KEY")).toHaveLength(3);
  });

  it("reports every tab-indented line", () => {
    const { diagnostics } = loadSite(bad("tab-indented.yaml"), { profilesDir });
    expect(diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual([
      "YAML_E_TAB_INDENT@4",
      "YAML_E_TAB_INDENT@5",
    ]);
  });
});

describe("bad profiles", () => {
  it.each(profileCases)("$file: $code at $line:$column", (expected) => {
    const { profile, diagnostics } = loadProfile(bad(join("profiles/acme", expected.file)));
    expect(profile).toBeUndefined();
    expectDiagnostic(diagnostics, expected);
  });

  it("a register on another function does not overlap", () => {
    const { diagnostics } = loadProfile(bad("profiles/acme/register-overlap.yaml"));
    // voltage_l3 sits on the same addresses as voltage_l2, but in the input registers.
    expect(diagnostics.filter((d) => d.code === "PROFILE_E_REGISTER_OVERLAP")).toHaveLength(1);
  });
});

describe("files that are not config files", () => {
  const dir = mkdtempSync(join(tmpdir(), "ampx-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a 10 MB file by its size, before reading it", () => {
    const file = join(dir, "huge.yaml");
    const line = "# padding padding padding padding padding padding padding padding padding padding\n";
    writeFileSync(file, "id: huge\n" + line.repeat(Math.ceil((10 * 1024 * 1024) / line.length)));
    const started = performance.now();
    const { diagnostics } = loadSite(file, { profilesDir });
    expect(performance.now() - started).toBeLessThan(500);
    expectDiagnostic(diagnostics, { file, code: "CONFIG_E_TOO_LARGE", line: 1, column: 1, says: "bytes" });
  });

  it("reports a missing file", () => {
    const { diagnostics } = loadSite(join(dir, "nope.yaml"), { profilesDir });
    expectDiagnostic(diagnostics, { file: "nope.yaml", code: "CONFIG_E_NOT_FOUND", line: 1, column: 1 });
  });

  it("reports a folder given as a file", () => {
    const { diagnostics } = loadProfile(dir);
    expectDiagnostic(diagnostics, { file: dir, code: "CONFIG_E_NOT_A_FILE", line: 1, column: 1 });
  });

  it("reports a file of comments only as empty", () => {
    const file = join(dir, "comments.yaml");
    writeFileSync(file, "# nothing here\n# nor here\n");
    const { diagnostics } = loadSite(file, { profilesDir });
    expectDiagnostic(diagnostics, {
      file,
      code: "CONFIG_E_EMPTY",
      line: 1,
      column: 1,
      says: "only comments",
    });
  });

  it("refuses a document that expands aliases without bound", () => {
    const file = join(dir, "laughs.yaml");
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? "*a" : `*l${i - 1}`)
          .join(", ")}]`,
      );
    writeFileSync(file, levels.join("\n") + "\n");
    const { diagnostics } = loadSite(file, { profilesDir });
    expectDiagnostic(diagnostics, { file, code: "YAML_E_SYNTAX", line: 1, column: 1, says: "cannot expand" });
  });
});
