import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (where package.json is), found from this module so it works from engine/ and dist/engine/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const schemaDir = join(packageRoot, "schema");
export const profilesDir = join(packageRoot, "profiles");
export const templatesDir = join(packageRoot, "templates");
export const sitesDir = join(packageRoot, "sites");
