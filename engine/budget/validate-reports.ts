// The budget's hook into `ampx validate`: a valid site's report gains its SITE_W_BUS_BUDGET warnings.
import { loadSite } from "../config/index.js";
import type { LoadSiteOptions } from "../config/index.js";
import type { FileReport } from "../config/validate-files.js";
import { busBudgetDiagnostics } from "./warnings.js";

/** Adds the bus-time budget warnings to every valid site report (in place), and returns the reports. */
export function addBusBudgetWarnings(reports: FileReport[], options: LoadSiteOptions = {}): FileReport[] {
  for (const report of reports) {
    if (report.kind !== "site" || !report.valid) continue;
    const { site } = loadSite(report.file, options);
    if (site !== undefined) report.diagnostics.push(...busBudgetDiagnostics(site));
  }
  return reports;
}
