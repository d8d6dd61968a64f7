// Sites for the operations tests, loaded through the real config loader from YAML in a temp folder.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import type { ResolvedSite } from "../../engine/model.js";

/** Writes `body` (a site document as an object) to `dir`/site.yaml and returns the file. */
export function writeSite(dir: string, body: Record<string, unknown>, name = "site.yaml"): string {
  const file = join(dir, name);
  writeFileSync(file, stringify({ id: "test", name: "Test site", ...body }));
  return file;
}

/** Loads a site from `body`; the temp file is removed again (ResolvedSite keeps the path only). */
export function loadTestSite(body: Record<string, unknown>): ResolvedSite {
  const dir = mkdtempSync(join(tmpdir(), "ampx-ops-site-"));
  try {
    return loadSiteOrThrow(writeSite(dir, body));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `n` meters of one profile, unit ids 1…n. */
export function meters(
  n: number,
  profile: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ id: `m${i + 1}`, profile, unitId: i + 1, ...extra }));
}
