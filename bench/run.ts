// `npm run bench`: runs every bench/<name>.ts (each exports run()) in turn and prints its figures.
// `npm run bench -- poll-rtu web-fanout` runs only those.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const names = readdirSync(dir)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = 0;
for (const name of names) {
  console.log(`\n=== ${name} ===`);
  const started = process.hrtime.bigint();
  try {
    const mod = (await import(pathToFileURL(`${dir}${name}.ts`).href)) as { run(): Promise<void> };
    await mod.run();
  } catch (error) {
    failed++;
    console.error(`${name} failed:`, error instanceof Error ? error.message : error);
  }
  console.log(`(${name}: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);
