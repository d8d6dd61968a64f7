// A parsed YAML file that remembers where every node came from, so that a JSON path found by the
// schema or a lint (meters[3].unitId) maps back to line:column in the file the user wrote.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node, YAMLError } from "yaml";
import type { Diagnostic, PathSegment } from "./diagnostic.js";
import { readConfigText } from "./read-text.js";

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  file: string;
  text: string;
  /** The document as plain data (what the schema validates). */
  data: unknown;
  /** Position of the value at `path`, or of its nearest ancestor that exists. `key`: the key's own position. */
  locate(path: readonly PathSegment[], at?: "key" | "value"): Position;
}

export type SourceResult =
  { source: YamlSource; diagnostics: Diagnostic[] } | { source?: undefined; diagnostics: Diagnostic[] };

/** The yaml package's wording is written for programmers; these say what to change in the file. */
const YAML_MESSAGES: Record<string, string> = {
  TAB_AS_INDENT: "tab used for indentation; YAML indents with spaces only",
  DUPLICATE_KEY: "this key appears twice in the same mapping",
  MULTIPLE_DOCS: "the file holds more than one YAML document (---); a site or profile file holds exactly one",
};

function yamlCode(error: YAMLError): string {
  if (error.code === "TAB_AS_INDENT") return "YAML_E_TAB_INDENT";
  if (error.code === "DUPLICATE_KEY") return "YAML_E_DUPLICATE_KEY";
  return "YAML_E_SYNTAX";
}

function yamlMessage(error: YAMLError): string {
  const known = YAML_MESSAGES[error.code];
  if (known !== undefined) return known;
  // Lower-case the first letter so it reads as the continuation of "file:line:col ".
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** The node at `path` (and the key node of its last step), or the deepest ancestor that exists. */
function findNode(doc: Document, path: readonly PathSegment[]): { node: Node | null; key: Node | null } {
  let node: Node | null = doc.contents;
  let key: Node | null = null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return { node, key: null };
      key = isScalar(pair.key) ? pair.key : null;
      node = (pair.value as Node | null) ?? key;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) return { node, key: null };
      key = null;
      node = item;
    } else {
      return { node, key: null };
    }
  }
  return { node, key };
}

export function parseYamlSource(file: string, text: string): SourceResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems = doc.errors.map((error): Diagnostic => ({
    code: yamlCode(error),
    severity: "error",
    file,
    ...position(error.pos[0]),
    path: "",
    message: yamlMessage(error),
  }));
  if (problems.length > 0) return { diagnostics: problems };
  if (doc.contents === null) {
    const message = text.trim() === "" ? "file is empty" : "file holds only comments, no settings";
    return {
      diagnostics: [
        { code: "CONFIG_E_EMPTY", severity: "error", file, line: 1, column: 1, path: "", message },
      ],
    };
  }
  let data: unknown;
  try {
    // The alias cap stops "billion laughs" documents from expanding into gigabytes.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = `cannot expand the document: ${error instanceof Error ? error.message : String(error)}`;
    return {
      diagnostics: [
        { code: "YAML_E_SYNTAX", severity: "error", file, line: 1, column: 1, path: "", message },
      ],
    };
  }
  const locate = (path: readonly PathSegment[], at: "key" | "value" = "value"): Position => {
    const { node, key } = findNode(doc, path);
    const target = at === "key" && key !== null ? key : node;
    return position(target?.range?.[0] ?? 0);
  };
  return { source: { file, text, data, locate }, diagnostics: [] };
}

/** Reads and parses one config file; every failure is a diagnostic. */
export function readYamlSource(file: string): SourceResult {
  const read = readConfigText(file);
  if (read.diagnostic !== undefined) return { diagnostics: [read.diagnostic] };
  return parseYamlSource(file, read.text);
}
