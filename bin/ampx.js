#!/usr/bin/env node
// Runs the compiled CLI when the package is built (npm pack / npm install -g),
// and the TypeScript sources through tsx when working from a git checkout.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const built = fileURLToPath(new URL("../dist/engine/cli.js", import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../engine/cli.ts", import.meta.url).href);
}
