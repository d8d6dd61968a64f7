// The error of `ampx firmware`: a site the firmware cannot serve. It carries every problem found
// (as config diagnostics: file:line:column, the YAML field, a FIRMWARE_E_* code), not just the first.
import type { Diagnostic } from "../config/diagnostic.js";
import { formatDiagnostic } from "../config/diagnostic.js";

export class FirmwareError extends Error {
  override name = "FirmwareError" as const;
  /** The first error's code, e.g. FIRMWARE_E_TOO_MANY_METERS (or a config code when the site does not load). */
  readonly code: string;
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(errors.map((d) => formatDiagnostic(d)).join("\n"));
    this.code = errors[0]?.code ?? "FIRMWARE_E_UNKNOWN";
    this.diagnostics = diagnostics;
  }
}
