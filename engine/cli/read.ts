// `ampx read <site.yaml>`: polls every enabled meter once and prints each quantity with unit and quality.
// Exit 0 when every meter answered every read, 1 otherwise (or when the site file is invalid).
import type { Command } from "commander";
import type { MeterHealth, ResolvedSite, Sample } from "../model.js";
import { profilesDir } from "../paths.js";
import { Poller } from "../poller/index.js";
import type { ReadFailure } from "../poller/index.js";
import { errorLine, loadSiteForCommand } from "./site-file.js";

interface ReadOptions {
  json?: boolean;
  meter?: string[];
  profiles: string;
}

export interface ReadResult {
  samples: Sample[];
  failures: ReadFailure[];
  health: MeterHealth[];
}

/** Reads every enabled meter (or those named) once. */
export async function readOnce(site: ResolvedSite, meterIds?: readonly string[]): Promise<ReadResult> {
  const meters = meterIds?.length ? site.meters.filter((m) => meterIds.includes(m.id)) : site.meters;
  const poller = new Poller({ ...site, meters });
  const failures: ReadFailure[] = [];
  poller.on("failure", (failure) => failures.push(failure));
  try {
    const samples = await poller.pollOnce();
    return { samples, failures, health: poller.health() };
  } finally {
    await poller.stop();
  }
}

export function formatValue(value: Sample["value"]): string {
  if (value === null) return "—";
  if (typeof value === "string") return value;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(7)));
}

/** The table: meter, quantity, value, unit, quality; then one line per failed read. */
export function formatTable(site: ResolvedSite, result: ReadResult): string {
  const rows: string[][] = [["METER", "QUANTITY", "VALUE", "UNIT", "QUALITY"]];
  const order = new Map(site.meters.map((m, i) => [m.id, i]));
  const quantityOrder = (s: Sample): number =>
    site.meters
      .find((m) => m.id === s.meterId)
      ?.profile.registers.findIndex((r) => r.quantity === s.quantity) ?? 0;
  const samples = [...result.samples].sort(
    (a, b) =>
      (order.get(a.meterId) ?? 0) - (order.get(b.meterId) ?? 0) || quantityOrder(a) - quantityOrder(b),
  );
  for (const s of samples) rows.push([s.meterId, s.quantity, formatValue(s.value), s.unit, s.quality]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
  for (const f of result.failures) {
    lines.push(
      `! ${f.meterId}: ${f.block.function} ${f.block.start}+${f.block.count}: ${f.error.message} [${f.error.code}]`,
    );
  }
  const disabled = result.health.filter((h) => h.state === "disabled").map((h) => h.meterId);
  if (disabled.length > 0) lines.push(`(disabled, not read: ${disabled.join(", ")})`);
  return lines.join("\n");
}

export function register(program: Command): void {
  program
    .command("read")
    .description("poll every enabled meter of a site once and print every quantity with unit and quality")
    .argument("<site>", "site file (YAML)")
    .option("--json", "print { samples, failures, health } as JSON")
    .option("--meter <id...>", "read only these meters")
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .action(async (file: string, options: ReadOptions) => {
      try {
        let warnings = 0;
        const site = loadSiteForCommand(file, options.profiles, () => warnings++);
        if (warnings > 0) {
          process.stderr.write(`${file}: ${warnings} warning(s); \`ampx validate ${file}\` lists them\n`);
        }
        if (!site) {
          process.exitCode = 1;
          return;
        }
        const unknown = (options.meter ?? []).filter((id) => !site.meters.some((m) => m.id === id));
        if (unknown.length > 0) {
          process.stderr.write(`ampx read: no meter ${unknown.join(", ")} in ${file}\n`);
          process.exitCode = 1;
          return;
        }
        const result = await readOnce(site, options.meter);
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable(site, result)}\n`,
        );
        process.exitCode = result.failures.length > 0 ? 1 : 0;
      } catch (error) {
        process.stderr.write(`${errorLine("read", error)}\n`);
        process.exitCode = 2;
      }
    });
}
