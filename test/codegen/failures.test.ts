// Sites the firmware cannot serve fail generation with a diagnostic that names the YAML field (and the
// template line), never a stack trace: too many meters, an unsupported register type, templates whose
// output depends on measured values, secrets the device cannot rebuild.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { readCoreLimits } from "../../engine/codegen/core-limits.js";
import { FirmwareError } from "../../engine/codegen/firmware-error.js";
import { generateFirmwareProject } from "../../engine/codegen/project.js";
import { buildFirmwareSite } from "../../engine/codegen/site-data.js";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import type { Diagnostic } from "../../engine/config/index.js";
import type { RegisterType, ResolvedSite } from "../../engine/model.js";
import { packageRoot } from "../../engine/paths.js";
import { planMeter } from "../../engine/plan/index.js";

const run = promisify(execFile);
const fixtures = join(packageRoot, "test", "codegen", "fixtures");
const scratch = mkdtempSync(join(tmpdir(), "ampx-codegen-fail-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function meters(count: number): string {
  let out = "meters:\n";
  for (let i = 1; i <= count; i++) out += `  - id: m${i}\n    profile: meatrol/me237\n    unitId: ${i}\n`;
  return out;
}

/** Writes a site (the fixture head + `tail`) and the fixture templates next to it; returns its path. */
function site(name: string, tail: string): string {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  for (const t of ["runtime-if.json.hbs", "default-on-value.json.hbs", "time-digits.json.hbs"]) {
    copyFileSync(join(fixtures, t), join(dir, t));
  }
  const file = join(dir, "site.yaml");
  writeFileSync(file, readFileSync(join(fixtures, "site-head.yaml"), "utf8") + tail);
  return file;
}

function failure(file: string): FirmwareError {
  try {
    generateFirmwareProject(file);
  } catch (error) {
    if (error instanceof FirmwareError) return error;
    throw error;
  }
  throw new Error(`${file} generated without error`);
}

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found, `${code} in ${JSON.stringify(diagnostics, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

const upload = (template: string) =>
  `upload:\n  url: https://api.example.com/intervals\n  template: ./${template}\n  mode: site\n`;

describe("sites the firmware cannot serve", () => {
  it("33 meters: refused, naming meters", () => {
    const error = failure(site("meters33", meters(33)));
    const d = error.diagnostics.find((x) => x.severity === "error")!;
    expect(d.path).toBe("meters");
    expect(d.message).toMatch(/32/);
    expect(error.message).toMatch(/site\.yaml:\d+:\d+ meters: /);
  });

  it("33 meters in a resolved site: FIRMWARE_E_TOO_MANY_METERS at meters[32]", () => {
    const resolved = loadSiteOrThrow(site("meters32", meters(32)));
    const more: ResolvedSite = {
      ...resolved,
      meters: [...resolved.meters, { ...resolved.meters[0]!, id: "m33", unitId: 33 }],
    };
    const { diagnostics } = buildFirmwareSite(more, (p) => planMeter(p), readCoreLimits());
    const d = only(diagnostics, "FIRMWARE_E_TOO_MANY_METERS");
    expect(d.path).toBe("meters[32]");
    expect(d.message).toBe("the site has 33 meters; the firmware serves at most 32");
    expect(d.file).toBe(resolved.file);
  });

  it("an unsupported register type: FIRMWARE_E_UNSUPPORTED_TYPE at the profile's quantities[i].type", () => {
    const resolved = loadSiteOrThrow(site("type", meters(2)));
    const meter = resolved.meters[1]!;
    const registers = meter.profile.registers.map((r, i) =>
      i === 1 ? { ...r, type: "f16" as RegisterType } : r,
    );
    const broken: ResolvedSite = {
      ...resolved,
      meters: [resolved.meters[0]!, { ...meter, profile: { ...meter.profile, registers } }],
    };
    const { diagnostics } = buildFirmwareSite(broken, (p) => planMeter(p), readCoreLimits());
    const d = only(diagnostics, "FIRMWARE_E_UNSUPPORTED_TYPE");
    const index = meter.profile.source.quantities.findIndex((q) => q.quantity === registers[1]!.quantity);
    expect(d.file).toBe(meter.profile.file);
    expect(d.path).toBe(`quantities[${index}].type`);
    expect(d.message).toContain(
      `register type "f16" of ${registers[1]!.quantity} is not supported by the firmware`,
    );
    expect(d.message).toContain('meters[1] "m2"');
    const profileLines = readFileSync(meter.profile.file, "utf8").split("\n");
    expect(profileLines[d.line - 1]).toMatch(/type:/);
  });

  it("{{#if}} on a measured value: FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION at the template line", () => {
    const file = site("runtime-if", meters(2) + upload("runtime-if.json.hbs"));
    const d = only(failure(file).diagnostics, "FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION");
    expect(d.file).toBe(join(file, "..", "runtime-if.json.hbs"));
    expect(d.line).toBe(7);
    expect(d.path).toBe("upload.template");
    expect(d.message).toContain('{{#if}} on avg of voltage_l1 of meter "m1"');
  });

  it("a helper the firmware cannot apply to a value: FIRMWARE_E_TEMPLATE_HELPER", () => {
    const file = site("helper", meters(1) + upload("default-on-value.json.hbs"));
    const d = only(failure(file).diagnostics, "FIRMWARE_E_TEMPLATE_HELPER");
    expect(d.line).toBe(2);
    expect(d.message).toContain("default=");
  });

  it("a time written in a form the firmware cannot rebuild: FIRMWARE_E_TEMPLATE_TIME_FORMAT", () => {
    const file = site("time", meters(1) + upload("time-digits.json.hbs"));
    const d = only(failure(file).diagnostics, "FIRMWARE_E_TEMPLATE_TIME_FORMAT");
    expect(d.path).toBe("upload.template");
    expect(d.file).toBe(file);
    expect(readFileSync(file, "utf8").split("\n")[d.line - 1]).toContain("template:");
  });

  it("a secret with text around its reference: FIRMWARE_E_SECRET_FORMAT at the field", () => {
    const tail =
      meters(1) +
      "upload:\n  url: https://api.example.com/x\n  auth:\n    type: header\n    header: X-Key\n    value: key-${env:KEY}\n";
    const d = only(failure(site("secret", tail)).diagnostics, "FIRMWARE_E_SECRET_FORMAT");
    expect(d.path).toBe("upload.auth.value");
  });

  it("a secret written into the site file: generated with a warning, the value marked in the header", () => {
    const tail =
      meters(1) +
      "upload:\n  url: https://api.example.com/x\n  auth:\n    type: bearer\n    token: plain-token-123\n";
    const project = generateFirmwareProject(site("literal", tail));
    only(project.diagnostics, "FIRMWARE_W_LITERAL_SECRET");
    const header = project.files.get("include/site_config.h")!;
    expect(header).toContain('.literal = "plain-token-123"');
    expect(header).toContain("WARNING: the site file holds a secret's value itself");
  });

  it("the CLI prints file:line:column, the field and the code, exits 1, and shows no stack trace", async () => {
    const file = site("cli", meters(2) + upload("runtime-if.json.hbs"));
    const result = await run(
      "node",
      [join(packageRoot, "bin", "ampx.js"), "firmware", file, "--out", join(scratch, "cli-out")],
      {
        cwd: scratch,
      },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /runtime-if\.json\.hbs:7:1 upload\.template: \{\{#if\}\} on avg of voltage_l1/,
    );
    expect(result.stderr).toContain("[FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION]");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
