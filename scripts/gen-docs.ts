// `npm run docs`: writes the generated reference pages (docs/reference/*.md). `--check` writes nothing and
// exits 1 when a committed page differs from what the schemas and profiles give today.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generateDocs } from "../engine/docs-gen/index.js";
import { packageRoot } from "../engine/paths.js";

const check = process.argv.includes("--check");
let stale = 0;
for (const [file, content] of generateDocs()) {
  const path = join(packageRoot, file);
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  if (check) {
    stale++;
    console.error(`${file} is stale: run npm run docs`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
