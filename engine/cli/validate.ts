// `ampx validate <site.yaml | profile.yaml | folder>…`: every problem with file:line:column,
// exit 0 when all files are usable (warnings allowed), 1 when any is not.
import type { Command } from "commander";
import { profilesDir } from "../paths.js";
import { displayFile, formatDiagnostic } from "../config/diagnostic.js";
import { reportsValid, validatePaths } from "../config/validate-files.js";
import type { FileReport } from "../config/validate-files.js";
import { addBusBudgetWarnings } from "../budget/index.js";

interface ValidateOptions {
  json?: boolean;
  profiles: string;
}

function count(reports: readonly FileReport[], severity: "error" | "warning"): number {
  return reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === severity).length, 0);
}

const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`;

function printText(reports: readonly FileReport[]): void {
  for (const report of reports) {
    for (const d of report.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
  }
  for (const report of reports) {
    const warnings = report.diagnostics.filter((d) => d.severity === "warning").length;
    const errors = report.diagnostics.length - warnings;
    const what =
      report.kind === "site"
        ? plural(report.items ?? 0, "meter")
        : plural(report.items ?? 0, "quantity", "quantities");
    const summary = report.valid
      ? `ok, ${report.kind} with ${what}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""}`
      : `INVALID ${report.kind}: ${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""}`;
    process.stdout.write(`${displayFile(report.file)}: ${summary}\n`);
  }
}

function printJson(reports: readonly FileReport[]): void {
  const relative = (file: string): string => displayFile(file);
  const output = {
    valid: reportsValid(reports),
    errors: count(reports, "error"),
    warnings: count(reports, "warning"),
    files: reports.map((r) => ({ file: relative(r.file), kind: r.kind, valid: r.valid })),
    diagnostics: reports.flatMap((r) => r.diagnostics.map((d) => ({ ...d, file: relative(d.file) }))),
  };
  process.stdout.write(JSON.stringify(output, null, 2) + "\n");
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("check site and profile files; prints every problem as file:line:column")
    .argument("<paths...>", "site files, profile files, or folders (every .yaml below them)")
    .option("--json", "print the diagnostics as JSON on stdout")
    .option("--profiles <dir>", "profiles folder that sites are checked against", profilesDir)
    .action((paths: string[], options: ValidateOptions) => {
      try {
        const reports = addBusBudgetWarnings(validatePaths(paths, { profilesDir: options.profiles }), {
          profilesDir: options.profiles,
        });
        if (options.json === true) printJson(reports);
        else printText(reports);
        process.exitCode = reportsValid(reports) ? 0 : 1;
      } catch (error) {
        // A bug, not a config problem: say so in one line, without a stack trace.
        process.stderr.write(
          `ampx validate: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exitCode = 2;
      }
    });
}
