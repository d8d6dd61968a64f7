// A Problem is what a check finds, before it has a file position: the schema layer and the lints
// produce Problems from plain data, and the loader places them in the file with the YAML source.
import { formatPath, severityOf } from "./diagnostic.js";
import type { Diagnostic, PathSegment } from "./diagnostic.js";
import type { YamlSource } from "./yaml-source.js";

export interface Problem {
  code: string;
  path: PathSegment[];
  message: string;
  hint?: string;
  /** Point at the key itself (unknown keys) rather than at its value. */
  at?: "key" | "value";
}

export function toDiagnostic(source: YamlSource, problem: Problem): Diagnostic {
  const { line, column } = source.locate(problem.path, problem.at);
  const diagnostic: Diagnostic = {
    code: problem.code,
    severity: severityOf(problem.code),
    file: source.file,
    line,
    column,
    path: formatPath(problem.path),
    message: problem.message,
  };
  if (problem.hint !== undefined) diagnostic.hint = problem.hint;
  return diagnostic;
}
