import { formatDiagnostic } from "./diagnostic.js";
import type { Diagnostic } from "./diagnostic.js";

/** A config file that cannot be used; `diagnostics` lists every problem, the message shows them one per line. */
export class ConfigError extends Error {
  override name = "ConfigError" as const;
  readonly code = "CONFIG_E_INVALID";
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
  }
}
