// The real CLI (node bin/ampx.js) as a user runs it: exit codes, messages, --json, no stack traces.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/ampx.js …` from the repository root (so paths print relative to it). */
function ampx(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/ampx.js", ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const STACK_FRAME = /^\s{4}at /m;
const fixtureProfiles = ["--profiles", "test/fixtures/good/profiles"];

interface JsonReport {
  valid: boolean;
  errors: number;
  warnings: number;
  files: { file: string; kind: string; valid: boolean }[];
  diagnostics: {
    code: string;
    severity: string;
    file: string;
    line: number;
    column: number;
    path: string;
    message: string;
    hint?: string;
  }[];
}

describe("ampx validate", () => {
  it("exits 0 for valid files, printing warnings and a summary", async () => {
    const run = await ampx("validate", ...fixtureProfiles, "test/fixtures/good/rtu-minimal.yaml");
    expect(run.stderr).toContain(
      "test/fixtures/good/rtu-minimal.yaml:11:14 meters[1].profile: profile acme/pm1 is unverified",
    );
    expect(run.stderr).toContain("[SITE_W_UNVERIFIED_PROFILE]");
    expect(run.stdout).toContain("test/fixtures/good/rtu-minimal.yaml: ok, site with 2 meters, 1 warning");
    expect(run.status).toBe(0);
  });

  it("exits 1 with every error of every bad file, and never a stack trace", async () => {
    const run = await ampx("validate", ...fixtureProfiles, "test/fixtures/bad");
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).not.toMatch(STACK_FRAME);
    expect(run.stderr).toContain(
      "test/fixtures/bad/unit-id-range.yaml:12:13 meters[1].unitId: 248 is above the maximum 247 [SCHEMA_E_RANGE]",
    );
    expect(run.stderr).toContain(
      'test/fixtures/bad/misspelt-keys.yaml:12:5 meters[0].unitID: unknown key "unitID"; did you mean "unitId"? [SCHEMA_E_UNKNOWN_KEY]',
    );
    // Every file in the corpus is reported invalid; profiles below profiles/ are checked as profiles.
    const summaries = run.stdout.trim().split("\n");
    expect(summaries.length).toBeGreaterThanOrEqual(35);
    for (const line of summaries) expect(line).toMatch(/: INVALID (site|profile): \d+ errors?/);
    expect(run.stdout).toContain("test/fixtures/bad/profiles/acme/unit-mismatch.yaml: INVALID profile");
  });

  it("--json prints the diagnostics as JSON", async () => {
    const run = await ampx(
      "validate",
      "--json",
      ...fixtureProfiles,
      "test/fixtures/bad/duplicate-unit-id.yaml",
      "test/fixtures/good/rtu-minimal.yaml",
    );
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.valid).toBe(false);
    expect(report.files).toEqual([
      { file: "test/fixtures/bad/duplicate-unit-id.yaml", kind: "site", valid: false },
      { file: "test/fixtures/good/rtu-minimal.yaml", kind: "site", valid: true },
    ]);
    expect(report.errors).toBe(1);
    expect(report.warnings).toBe(1);
    expect(report.diagnostics[0]).toEqual({
      code: "SITE_E_DUPLICATE_UNIT_ID",
      severity: "error",
      file: "test/fixtures/bad/duplicate-unit-id.yaml",
      line: 15,
      column: 13,
      path: "meters[2].unitId",
      message: 'unit id 5 on the RS485 bus is already used by meter "m1" (meters[0])',
      hint: "give each meter on a bus its own unit id",
    });
  });

  it("reports a missing path as a diagnostic, not a crash", async () => {
    const run = await ampx("validate", "--json", "does/not/exist.yaml");
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ["CONFIG_E_NOT_FOUND", "does/not/exist.yaml"],
    ]);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it("validates the shipped sites and profiles", async () => {
    const run = await ampx("validate", "--json", "sites", "profiles");
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(run.status).toBe(0);
    expect(report.files.filter((f) => f.kind === "site").map((f) => f.file)).toEqual([
      "sites/ampx-portal.yaml",
      "sites/demo.yaml",
      "sites/rs485-32.yaml",
      "sites/tcp-plant.yaml",
    ]);
    expect(report.files.filter((f) => f.kind === "profile").length).toBeGreaterThan(0);
  });
});

describe("ampx profiles", () => {
  it("lists every profile with its status, as a table and as JSON", async () => {
    const [table, json] = await Promise.all([
      ampx("profiles", ...fixtureProfiles),
      ampx("profiles", "--json", ...fixtureProfiles),
    ]);
    expect(table.status).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+VENDOR\s+MODEL\s+STATUS\s+QUANTITIES\s+PRODUCTS$/);
    expect(lines[1]).toMatch(/^acme\/pm1\s+ACME\s+PM1\s+unverified\s+5$/);
    expect(lines).toHaveLength(4);
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as { id: string; status: string; quantities: number }[];
    expect(rows.map((r) => [r.id, r.status, r.quantities])).toEqual([
      ["acme/pm1", "unverified", 5],
      ["acme/pm3", "verified", 5],
      ["acme/pm5-demand", "field-tested", 2],
    ]);
  });

  it("exits 1 and names the errors when a profile is broken", async () => {
    const run = await ampx("profiles", "--profiles", "test/fixtures/bad/profiles");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/acme\/unit-mismatch\s+\?\s+\?\s+invalid/);
    expect(run.stderr).toContain("[PROFILE_E_UNIT_MISMATCH]");
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
