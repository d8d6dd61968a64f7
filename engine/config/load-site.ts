// Loading a site: read with positions → schema → lints (with the profiles it names) → resolve →
// upload template check → freeze. Every problem is collected; nothing throws at the first one.
import { resolve } from "node:path";
import type { ResolvedProfile, ResolvedSite } from "../model.js";
import { ConfigError } from "./config-error.js";
import { hasErrors } from "./diagnostic.js";
import type { Diagnostic } from "./diagnostic.js";
import { deepFreeze } from "./freeze.js";
import { loadProfileSet } from "./load-profile.js";
import type { Problem } from "./problem.js";
import { toDiagnostic } from "./problem.js";
import { resolveSite } from "./resolve-site.js";
import { checkSchema } from "./schema-validator.js";
import type { Site } from "./schema-types.js";
import { siteLints } from "./site-lints.js";
import { checkUploadTemplate } from "./upload-template.js";
import { readYamlSource } from "./yaml-source.js";

export interface LoadSiteOptions {
  /** Where profiles/<vendor>/<model>.yaml are; default: the package's profiles/. */
  profilesDir?: string;
  /** Environment ${env:…} references are checked against; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface SiteLoad {
  /** Undefined when there is any error; warnings are allowed. */
  site?: ResolvedSite;
  diagnostics: Diagnostic[];
}

const byPosition = (a: Diagnostic, b: Diagnostic): number => a.line - b.line || a.column - b.column;

export function loadSite(file: string, options: LoadSiteOptions = {}): SiteLoad {
  const path = resolve(file);
  const { source, diagnostics } = readYamlSource(path);
  if (source === undefined) return { diagnostics };
  const problems: Problem[] = checkSchema("site", source.data);
  if (problems.length > 0)
    return { diagnostics: problems.map((p) => toDiagnostic(source, p)).sort(byPosition) };

  const site = source.data as Site;
  const profileSet = loadProfileSet(options.profilesDir);
  const context = { siteFile: path, profiles: profileSet, env: options.env ?? process.env };
  for (const lint of siteLints) problems.push(...lint(site, context));

  // The problems of the profiles this site uses belong to its report (each profile once).
  const profileDiagnostics: Diagnostic[] = [];
  const used = new Map<string, ResolvedProfile>();
  for (const id of new Set(site.meters.map((m) => m.profile))) {
    const entry = profileSet.get(id);
    if (entry === undefined) continue;
    profileDiagnostics.push(...entry.diagnostics);
    if (entry.profile !== undefined) used.set(id, entry.profile);
  }

  let found = problems.map((p) => toDiagnostic(source, p)).sort(byPosition);
  if (hasErrors(found) || hasErrors(profileDiagnostics))
    return { diagnostics: [...found, ...profileDiagnostics] };

  const resolved = resolveSite(site, path, used);
  found = [...found, ...checkUploadTemplate(resolved).map((p) => toDiagnostic(source, p))].sort(byPosition);
  const all = [...found, ...profileDiagnostics];
  if (hasErrors(all)) return { diagnostics: all };
  return { site: deepFreeze(resolved), diagnostics: all };
}

/** loadSite for callers that cannot go on without a site: throws ConfigError listing every problem. */
export function loadSiteOrThrow(file: string, options?: LoadSiteOptions): ResolvedSite {
  const { site, diagnostics } = loadSite(file, options);
  if (site === undefined) throw new ConfigError(diagnostics);
  return site;
}
