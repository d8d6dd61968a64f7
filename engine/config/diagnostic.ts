// Diagnostics: every problem the config layer finds, with a stable code and a source position.
// The loader collects them all (never stops at the first) and the CLI prints them one per line.
import { isAbsolute, relative } from "node:path";

export type Severity = "error" | "warning";

/** One step of a path into a YAML document: a mapping key or a sequence index. */
export type PathSegment = string | number;

export interface Diagnostic {
  /** Stable code, e.g. SITE_E_DUPLICATE_UNIT_ID; `_W_` codes are warnings, `_E_` codes errors. */
  code: string;
  severity: Severity;
  /** Path of the file the problem is in (as given to the loader, usually absolute). */
  file: string;
  /** 1-based line; 1 for problems of the whole file. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Where in the document, e.g. `meters[3].unitId`; empty for the whole file. */
  path: string;
  message: string;
  /** A suggested fix, e.g. `did you mean "unitId"?`. */
  hint?: string;
}

/** The severity a code carries: codes with `_W_` are warnings, all others errors. */
export function severityOf(code: string): Severity {
  return code.includes("_W_") ? "warning" : "error";
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["meters", 3, "unitId"]` → `meters[3].unitId`; keys that are not identifiers are quoted: `headers["X-Key"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The file as the user should read it: relative to the working directory when it lies below it. */
export function displayFile(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** `sites/plant.yaml:14:9 meters[3].unitId: 248 is above the maximum 247 [SCHEMA_E_RANGE]` */
export function formatDiagnostic(d: Diagnostic, cwd: string = process.cwd()): string {
  const where = `${displayFile(d.file, cwd)}:${d.line}:${d.column}`;
  const what = d.path === "" ? d.message : `${d.path}: ${d.message}`;
  const hint = d.hint === undefined ? "" : `; ${d.hint}`;
  return `${where} ${what}${hint} [${d.code}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** File, then position, then code: the order a reader walks a file in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}
