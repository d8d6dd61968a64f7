// Loading profiles: read with positions → schema → lints → resolve → freeze. A broken profile is
// reported and left out; the others load (the gateway refuses only the bad one).
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { ResolvedProfile } from "../model.js";
import { profilesDir as defaultProfilesDir } from "../paths.js";
import { hasErrors } from "./diagnostic.js";
import type { Diagnostic } from "./diagnostic.js";
import { deepFreeze } from "./freeze.js";
import { profileLints } from "./profile-lints.js";
import type { Problem } from "./problem.js";
import { toDiagnostic } from "./problem.js";
import { resolveProfile } from "./resolve-profile.js";
import { checkSchema } from "./schema-validator.js";
import type { Profile } from "./schema-types.js";
import { readYamlSource } from "./yaml-source.js";

export interface ProfileLoad {
  /** Undefined when the profile has errors. */
  profile?: ResolvedProfile;
  diagnostics: Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/;

/** "meatrol/mp440" for …/meatrol/mp440.yaml: the id sites use is the profile's place on disk. */
export function profileIdOf(file: string): string {
  return `${basename(dirname(file))}/${basename(file).replace(YAML_FILE, "")}`;
}

/** Loaded profiles by path, with the file version they came from: a site folder shares one load. */
const cache = new Map<string, { version: string; load: ProfileLoad }>();

/** Size and modification time in ns, or undefined when the file cannot be stat'ed. */
function fileVersion(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.size}:${stat.mtimeNs}`;
  } catch {
    return undefined;
  }
}

export function loadProfile(file: string): ProfileLoad {
  const path = resolve(file);
  const version = fileVersion(path);
  const cached = cache.get(path);
  if (version !== undefined && cached?.version === version) {
    // The profile is frozen and can be shared; the diagnostics list is the caller's to keep.
    return { ...cached.load, diagnostics: [...cached.load.diagnostics] };
  }
  const load = readProfile(path);
  if (version !== undefined)
    cache.set(path, { version, load: { ...load, diagnostics: [...load.diagnostics] } });
  return load;
}

function readProfile(path: string): ProfileLoad {
  const { source, diagnostics } = readYamlSource(path);
  if (source === undefined) return { diagnostics };
  const problems: Problem[] = checkSchema("profile", source.data);
  // Lints read the typed profile, so they run once its shape is right.
  if (problems.length === 0) {
    const [vendorSlug = "", modelSlug = ""] = profileIdOf(path).split("/");
    const profile = source.data as Profile;
    for (const lint of profileLints) problems.push(...lint(profile, { vendorSlug, modelSlug }));
  }
  const found = problems.map((problem) => toDiagnostic(source, problem));
  if (hasErrors(found)) return { diagnostics: found };
  const profile = resolveProfile(source.data as Profile, profileIdOf(path), path);
  return { profile: deepFreeze(profile), diagnostics: found };
}

export interface ProfileFile {
  id: string;
  file: string;
}

/** Every profiles/<vendor>/<model>.yaml below `dir`, sorted by id; empty when the folder is missing. */
export function listProfileFiles(dir: string = defaultProfilesDir): ProfileFile[] {
  const root = resolve(dir);
  const files: ProfileFile[] = [];
  let vendors: string[];
  try {
    vendors = readdirSync(root);
  } catch {
    return [];
  }
  for (const vendor of vendors) {
    const vendorDir = join(root, vendor);
    let names: string[];
    try {
      // Not a folder (README, STYLE.md) or unreadable: not a vendor.
      names = statSync(vendorDir).isDirectory() ? readdirSync(vendorDir) : [];
    } catch {
      continue;
    }
    for (const name of names) {
      if (YAML_FILE.test(name))
        files.push({ id: profileIdOf(join(vendorDir, name)), file: join(vendorDir, name) });
    }
  }
  return files.sort((a, b) => a.id.localeCompare(b.id));
}

export interface ProfileSetEntry extends ProfileFile, ProfileLoad {}

/** Loads every profile below `dir`, keeping each one's own diagnostics (the site loader needs them apart). */
export function loadProfileSet(dir: string = defaultProfilesDir): Map<string, ProfileSetEntry> {
  const entries = new Map<string, ProfileSetEntry>();
  for (const { id, file } of listProfileFiles(dir)) entries.set(id, { id, file, ...loadProfile(file) });
  return entries;
}

export function loadProfiles(dir: string = defaultProfilesDir): {
  profiles: Map<string, ResolvedProfile>;
  diagnostics: Diagnostic[];
} {
  const profiles = new Map<string, ResolvedProfile>();
  const diagnostics: Diagnostic[] = [];
  for (const entry of loadProfileSet(dir).values()) {
    if (entry.profile !== undefined) profiles.set(entry.id, entry.profile);
    diagnostics.push(...entry.diagnostics);
  }
  return { profiles, diagnostics };
}
