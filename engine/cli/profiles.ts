// `ampx profiles`: every device profile with its verification status, as a table or JSON.
import type { Command } from "commander";
import { profilesDir } from "../paths.js";
import { displayFile, formatDiagnostic } from "../config/diagnostic.js";
import { loadProfileSet } from "../config/load-profile.js";
import type { ProfileSetEntry } from "../config/load-profile.js";

interface ProfilesOptions {
  json?: boolean;
  profiles: string;
}

interface ProfileRow {
  id: string;
  vendor: string;
  model: string;
  status: string;
  quantities: number;
  products: string[];
  file: string;
}

function rowOf(entry: ProfileSetEntry): ProfileRow {
  const profile = entry.profile;
  return {
    id: entry.id,
    vendor: profile?.vendor ?? "?",
    model: profile?.model ?? "?",
    status: profile?.status ?? "invalid",
    quantities: profile?.registers.length ?? 0,
    products: (profile?.source.products ?? []).map((p) => `${p.vendor} ${p.model}`),
    file: displayFile(entry.file),
  };
}

function table(rows: readonly string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function register(program: Command): void {
  program
    .command("profiles")
    .description("list the device profiles with their verification status")
    .option("--json", "print the list as JSON")
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .action((options: ProfilesOptions) => {
      try {
        const entries = [...loadProfileSet(options.profiles).values()];
        const rows = entries.map(rowOf);
        if (options.json === true) {
          process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        } else {
          const header = ["ID", "VENDOR", "MODEL", "STATUS", "QUANTITIES", "PRODUCTS"];
          const cells = rows.map((r) => [
            r.id,
            r.vendor,
            r.model,
            r.status,
            String(r.quantities),
            r.products.join(", "),
          ]);
          process.stdout.write(table([header, ...cells]) + "\n");
        }
        for (const entry of entries) {
          for (const d of entry.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
        }
        process.exitCode = entries.every((e) => e.profile !== undefined) ? 0 : 1;
      } catch (error) {
        process.stderr.write(
          `ampx profiles: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exitCode = 2;
      }
    });
}
