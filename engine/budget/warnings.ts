// The budget's verdict as config diagnostics: `ampx validate` warns when a poll class cannot meet its
// interval on its bus (SITE_W_BUS_BUDGET), pointing at the interval the user would change.
import type { Diagnostic } from "../config/diagnostic.js";
import type { PathSegment } from "../config/diagnostic.js";
import type { Problem } from "../config/problem.js";
import { toDiagnostic } from "../config/problem.js";
import { readYamlSource } from "../config/yaml-source.js";
import type { ResolvedSite } from "../model.js";
import { estimateBusTime } from "./estimate.js";
import type { BusBudget, BusTimeOptions, ClassBudget } from "./estimate.js";
import { formatSeconds } from "./format.js";

export const BUS_BUDGET_CODE = "SITE_W_BUS_BUDGET";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "32 meters × 3 blocks" or "32 meters, 80 blocks" when the meters read different numbers of blocks. */
function describeWork(c: ClassBudget): string {
  return c.blocksPerMeter === undefined
    ? `${plural(c.meters, "meter")}, ${plural(c.blocks, "block")}`
    : `${plural(c.meters, "meter")} × ${plural(c.blocksPerMeter, "block")}`;
}

function describeBus(bus: BusBudget, options: BusTimeOptions): string {
  if (bus.kind === "rtu") return `at ${bus.line?.split(" ")[0] ?? "?"} baud`;
  return `on ${bus.bus} (assuming ${options.tcpRoundTripMs ?? 20} ms per request)`;
}

/** The budget problems of a site, without file positions. */
export function busBudgetProblems(site: ResolvedSite, options: BusTimeOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const defined = site.source.pollClasses ?? {};
  for (const bus of estimateBusTime(site, options).buses) {
    const late = bus.classes.filter((c) => c.cycleMs > c.intervalMs);
    for (const c of late) {
      const path: PathSegment[] =
        c.pollClass in defined ? ["pollClasses", c.pollClass, "interval"] : ["transport"];
      problems.push({
        code: BUS_BUDGET_CODE,
        path,
        message:
          `${describeWork(c)} ${describeBus(bus, options)} ≈ ${formatSeconds(c.cycleMs)}; ` +
          `the '${c.pollClass}' class asks for ${formatSeconds(c.intervalMs)}`,
        hint:
          `each meter will be read about every ${formatSeconds(c.cycleMs)}, not every ${formatSeconds(c.intervalMs)}; ` +
          "lengthen the interval, raise the baud rate, or spread the meters over more buses (`ampx budget` shows the table)",
      });
    }
    if (late.length === 0 && bus.load > 1) {
      const shares = bus.classes.map((c) => `'${c.pollClass}' ${Math.round(c.load * 100)} %`).join(" + ");
      problems.push({
        code: BUS_BUDGET_CODE,
        path: ["pollClasses"],
        message: `the poll classes together need ${Math.round(bus.load * 100)} % of the bus ${bus.bus} (${shares}); reads will fall behind`,
        hint: "lengthen an interval, raise the baud rate, or spread the meters over more buses (`ampx budget` shows the table)",
      });
    }
  }
  return problems;
}

/** The budget warnings of a site, placed in its file (line:column of the interval they concern). */
export function busBudgetDiagnostics(site: ResolvedSite, options: BusTimeOptions = {}): Diagnostic[] {
  const problems = busBudgetProblems(site, options);
  if (problems.length === 0) return [];
  const { source } = readYamlSource(site.file);
  return problems.map((problem) =>
    source
      ? toDiagnostic(source, problem)
      : {
          code: problem.code,
          severity: "warning",
          file: site.file,
          line: 1,
          column: 1,
          path: "",
          message: problem.message,
          ...(problem.hint === undefined ? {} : { hint: problem.hint }),
        },
  );
}
