// Line and column of a field in a YAML file (the site or a profile), so that firmware diagnostics
// point at what the user wrote.
import type { PathSegment } from "../config/diagnostic.js";
import { readYamlSource } from "../config/yaml-source.js";

/** Position of the key at `path` (or of its nearest ancestor); 1:1 when the file cannot be read. */
export function locateField(file: string, path: readonly PathSegment[]): { line: number; column: number } {
  return readYamlSource(file).source?.locate(path, "key") ?? { line: 1, column: 1 };
}
