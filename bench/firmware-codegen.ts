// `ampx firmware` figures: generation time per example site, the size of the generated header and
// the flash/RAM estimate the command prints. Figures, not assertions.
import { join } from "node:path";
import { budgetLines, generateFirmwareProject } from "../engine/codegen/project.js";
import { packageRoot } from "../engine/paths.js";

const SITES = ["sites/demo.yaml", "sites/ampx-portal.yaml", "sites/tcp-plant.yaml"];

export async function run(): Promise<void> {
  console.log("firmware codegen (ampx firmware), per example site:");
  for (const site of SITES) {
    const file = join(packageRoot, site);
    generateFirmwareProject(file); // warm up module loading and the template caches
    const rounds = 3;
    const started = performance.now();
    let project = generateFirmwareProject(file);
    for (let i = 1; i < rounds; i++) project = generateFirmwareProject(file);
    const ms = (performance.now() - started) / rounds;
    const header = Buffer.byteLength(project.files.get("include/site_config.h") ?? "");
    const slots = project.programs.reduce((n, p) => n + p.slots.length, 0);
    console.log(
      `  ${site}: ${ms.toFixed(0)} ms per generation, site_config.h ${(header / 1024).toFixed(1)} KB, ` +
        `${project.programs.length} payload program(s) with ${slots} slots`,
    );
    for (const line of budgetLines(project)) console.log(`    ${line}`);
  }
}
