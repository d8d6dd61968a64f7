// Loading the site file for `ampx read` and `ampx run`: errors as file:line:column lines, no stack trace.
import { formatDiagnostic, loadSite } from "../config/index.js";
import type { ResolvedSite } from "../model.js";

/** The site, or undefined after writing every error to stderr; warnings go to `warn`. */
export function loadSiteForCommand(
  file: string,
  profilesDir: string,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ResolvedSite | undefined {
  const { site, diagnostics } = loadSite(file, { profilesDir });
  if (!site) {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return undefined;
  }
  for (const d of diagnostics) warn(formatDiagnostic(d));
  return site;
}

/** One line for an unexpected error: message and code, never a stack trace. */
export function errorLine(command: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `ampx ${command}: ${message}${typeof code === "string" ? ` [${code}]` : ""}`;
}
