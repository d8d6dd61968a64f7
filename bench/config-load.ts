// Config loading figures: the one-off schema compile, then loading sites and profiles as
// `ampx run` and `ampx validate` do (profiles are re-read for every site).
import { join } from "node:path";
import { loadProfiles, loadSite } from "../engine/config/index.js";
import { sitesDir } from "../engine/paths.js";

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function time(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function run(): Promise<void> {
  const env = {};
  const first = performance.now();
  loadSite(join(sitesDir, "demo.yaml"), { env });
  console.log(`first loadSite (compiles the schemas): ${(performance.now() - first).toFixed(0)} ms`);
  console.log(
    `loadProfiles (every shipped profile, unchanged files come from the cache), median of 20: ${time(() => loadProfiles(), 20).toFixed(1)} ms`,
  );
  for (const name of ["demo.yaml", "rs485-32.yaml", "tcp-plant.yaml"]) {
    const ms = time(() => loadSite(join(sitesDir, name), { env }), 20);
    console.log(`loadSite ${name}, median of 20: ${ms.toFixed(1)} ms`);
  }
}
