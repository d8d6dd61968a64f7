// Regenerates what derives from the schemas: the quantity-name enum (from schema/quantities.json)
// and the TypeScript types (json-schema-to-typescript). `--check` exits 1 when a file is stale.
import { readFileSync, writeFileSync, existsSync } from "node:fs";

import { generatedFiles } from "./generated-files.js";

const check = process.argv.includes("--check");
let stale = 0;
for (const { path, content } of await generatedFiles()) {
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (current === content) continue;
  if (check) {
    console.error(`stale: ${path} (run npm run gen)`);
    stale++;
  } else {
    writeFileSync(path, content);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
