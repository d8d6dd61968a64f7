// `ampx budget <site.yaml>`: how long one cycle of each poll class takes on each bus, and whether the bus
// can keep every interval. The same estimate `ampx validate` warns from (SITE_W_BUS_BUDGET).
import type { Command } from "commander";
import { displayFile, formatDiagnostic } from "../config/diagnostic.js";
import { loadSite } from "../config/index.js";
import { busBudgetProblems, estimateBusTime, formatEstimate } from "../budget/index.js";
import type { BusTimeOptions } from "../budget/index.js";
import { profilesDir } from "../paths.js";

interface BudgetOptions {
  json?: boolean;
  profiles: string;
  meterResponse?: number;
  tcpRoundTrip?: number;
}

const milliseconds =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || value.trim() === "")
      throw new Error(`--${name} must be a number of milliseconds ≥ 0, got "${value}"`);
    return n;
  };

export function register(program: Command): void {
  program
    .command("budget")
    .description("estimate each poll class's cycle time on the bus and whether it fits its interval")
    .argument("<site>", "site file (.yaml)")
    .option("--json", "print the estimate as JSON")
    .option("--profiles <dir>", "profiles folder the site is loaded with", profilesDir)
    .option(
      "--meter-response <ms>",
      "RTU: a meter's time from request to answer (default 3.5 character times)",
      milliseconds("meter-response"),
    )
    .option(
      "--tcp-round-trip <ms>",
      "Modbus TCP: round trip of one request (default 20)",
      milliseconds("tcp-round-trip"),
    )
    .action((file: string, options: BudgetOptions) => {
      const { site, diagnostics } = loadSite(file, { profilesDir: options.profiles });
      if (site === undefined) {
        for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
        process.stderr.write(`${displayFile(file)}: INVALID site; fix it first (ampx validate)\n`);
        process.exitCode = 1;
        return;
      }
      const estimateOptions: BusTimeOptions = {
        ...(options.meterResponse === undefined ? {} : { meterResponseMs: options.meterResponse }),
        ...(options.tcpRoundTrip === undefined ? {} : { tcpRoundTripMs: options.tcpRoundTrip }),
      };
      const estimate = estimateBusTime(site, estimateOptions);
      if (options.json === true) {
        process.stdout.write(JSON.stringify({ site: site.id, ...estimate }, null, 2) + "\n");
        return;
      }
      process.stdout.write(`${displayFile(site.file)}\n${formatEstimate(estimate)}`);
      for (const problem of busBudgetProblems(site, estimateOptions)) {
        process.stdout.write(`warning: ${problem.message}\n`);
      }
      if (site.transport.type === "tcp") {
        process.stdout.write(
          `(Modbus TCP: assuming ${estimateOptions.tcpRoundTripMs ?? 20} ms per request; --tcp-round-trip changes it)\n`,
        );
      }
    });
}
