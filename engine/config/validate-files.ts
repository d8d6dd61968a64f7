// What `ampx validate` checks: files or whole folders of sites and profiles, each loaded the way
// the gateway would load it, every diagnostic kept.
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Diagnostic } from "./diagnostic.js";
import { hasErrors } from "./diagnostic.js";
import { detectConfigKind } from "./detect-kind.js";
import type { ConfigKind } from "./detect-kind.js";
import { loadProfile } from "./load-profile.js";
import { loadSite } from "./load-site.js";
import type { LoadSiteOptions } from "./load-site.js";

export interface FileReport {
  file: string;
  kind: ConfigKind;
  valid: boolean;
  /** Meters of a valid site, quantities of a valid profile. */
  items?: number;
  diagnostics: Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/;

/** Every .yaml/.yml file below `dir`, sorted; hidden folders and node_modules are skipped. */
function yamlFilesBelow(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...yamlFilesBelow(path));
    else if (YAML_FILE.test(entry.name)) found.push(path);
  }
  return found.sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function validateFile(file: string, options: LoadSiteOptions = {}): FileReport {
  const kind = detectConfigKind(file);
  if (kind === "profile") {
    const { profile, diagnostics } = loadProfile(file);
    const report: FileReport = { file, kind, valid: profile !== undefined, diagnostics };
    if (profile !== undefined) report.items = profile.registers.length;
    return report;
  }
  const { site, diagnostics } = loadSite(file, options);
  const report: FileReport = { file, kind, valid: site !== undefined, diagnostics };
  if (site !== undefined) report.items = site.meters.length;
  return report;
}

/** Validates each path: a file as itself, a folder as every YAML file below it. */
export function validatePaths(paths: readonly string[], options: LoadSiteOptions = {}): FileReport[] {
  const reports: FileReport[] = [];
  for (const given of paths) {
    const path = resolve(given);
    if (!isDirectory(path)) {
      reports.push(validateFile(path, options));
      continue;
    }
    const files = yamlFilesBelow(path);
    if (files.length === 0) {
      const diagnostic: Diagnostic = {
        code: "CONFIG_E_NO_FILES",
        severity: "error",
        file: path,
        line: 1,
        column: 1,
        path: "",
        message: "no .yaml files in this folder",
      };
      reports.push({ file: path, kind: "site", valid: false, diagnostics: [diagnostic] });
    }
    for (const file of files) reports.push(validateFile(file, options));
  }
  return reports;
}

export const reportsValid = (reports: readonly FileReport[]): boolean =>
  reports.every((r) => r.valid && !hasErrors(r.diagnostics));
