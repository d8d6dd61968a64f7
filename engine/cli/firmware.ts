// `ampx firmware <site.yaml> --out <dir>`: writes the PlatformIO project of a site for the ESP32
// gateway (docs/firmware-codegen.md). Exit 0 written, 1 the site cannot be served, 2 internal error.
import { resolve } from "node:path";
import type { Command } from "commander";
import { displayFile, formatDiagnostic, sortDiagnostics } from "../config/diagnostic.js";
import { FirmwareError } from "../codegen/firmware-error.js";
import { budgetLines, generateFirmwareProject, writeFirmwareProject } from "../codegen/project.js";
import { profilesDir } from "../paths.js";

interface FirmwareOptions {
  out: string;
  profiles: string;
}

export function register(program: Command): void {
  program
    .command("firmware")
    .description("generate the ESP32 firmware project (PlatformIO) of a site")
    .argument("<site>", "site file, e.g. sites/plant.yaml")
    .requiredOption("--out <dir>", "folder to write the PlatformIO project to")
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .action((site: string, options: FirmwareOptions) => {
      try {
        const project = generateFirmwareProject(site, { profilesDir: options.profiles });
        for (const d of sortDiagnostics(project.diagnostics))
          process.stderr.write(formatDiagnostic(d) + "\n");
        const out = resolve(options.out);
        writeFirmwareProject(project, out);
        const programs = project.programs.length;
        process.stdout.write(
          `wrote ${project.files.size} files to ${displayFile(out)}: ${project.data.meters.length} meters, ` +
            `${project.data.blocks.length} read blocks, ${project.data.quantities.length} quantities, ` +
            `${programs} payload program${programs === 1 ? "" : "s"}\n`,
        );
        for (const line of budgetLines(project)) process.stdout.write(`  ${line}\n`);
        process.exitCode = 0;
      } catch (error) {
        if (error instanceof FirmwareError) {
          for (const d of sortDiagnostics(error.diagnostics))
            process.stderr.write(formatDiagnostic(d) + "\n");
          process.exitCode = 1;
          return;
        }
        process.stderr.write(
          `ampx firmware: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exitCode = 2;
      }
    });
}
