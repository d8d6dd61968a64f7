// A JSON Schema (as this project writes them: objects with described properties, $defs, $refs into
// common.schema.json, oneOf variants told apart by a const `type`) → a Markdown reference, one table per
// object, in the order a reader meets the keys in a file.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  title?: string;
  $defs?: Record<string, SchemaNode>;
}

interface Row {
  key: string;
  type: string;
  required: boolean;
  default?: string;
  description: string;
}

interface Section {
  /** Where the table's keys live, e.g. `meters[]`; empty for the top level. */
  title: string;
  /** The `type` of a oneOf variant, e.g. rtu. */
  variant?: string;
  description?: string;
  rows: Row[];
}

/** Loads schema files from `dir` and resolves refs between them. */
export class SchemaSet {
  private readonly files = new Map<string, SchemaNode>();

  constructor(private readonly dir: string) {}

  file(name: string): SchemaNode {
    let schema = this.files.get(name);
    if (schema === undefined) {
      schema = JSON.parse(readFileSync(join(this.dir, name), "utf8")) as SchemaNode;
      this.files.set(name, schema);
    }
    return schema;
  }

  /** Follows $refs; the referring node's own description and default win over the target's. */
  resolve(node: SchemaNode, inFile: string): { node: SchemaNode; file: string; name?: string } {
    if (node.$ref === undefined) return { node, file: inFile };
    const [target = "", pointer = ""] = node.$ref.split("#");
    const file = target === "" ? inFile : target;
    let resolved: SchemaNode = this.file(file);
    let name: string | undefined = target === "" ? undefined : resolved.title;
    for (const part of pointer.split("/").filter((p) => p !== "")) {
      resolved = (resolved as Record<string, unknown>)[part] as SchemaNode;
      name = part;
    }
    const inner = this.resolve(resolved, file);
    const merged: SchemaNode = { ...inner.node };
    if (node.description !== undefined) merged.description = node.description;
    if (node.default !== undefined) merged.default = node.default;
    return { node: merged, file: inner.file, name: inner.name ?? name };
  }
}

const code = (value: unknown): string => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

/** Markdown table cells cannot hold a raw pipe or a newline. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

function range(node: SchemaNode): string {
  const lo = node.minimum ?? node.minLength ?? node.minItems;
  const hi = node.maximum ?? node.maxLength ?? node.maxItems;
  if (lo !== undefined && hi !== undefined) return ` ${lo}–${hi}`;
  if (lo !== undefined) return ` ≥ ${lo}`;
  if (hi !== undefined) return ` ≤ ${hi}`;
  return "";
}

export class SchemaDoc {
  private readonly sections: Section[] = [];

  constructor(
    private readonly set: SchemaSet,
    private readonly rootFile: string,
  ) {}

  /** The type column: named common types by name, enums by their values, arrays by their items. */
  private typeOf(raw: SchemaNode, file: string): string {
    const { node, name } = this.set.resolve(raw, file);
    if (name === "Duration") return "duration";
    if (name === "Secret") return "secret";
    if (name === "QuantityName") return "quantity name ([vocabulary](quantities.md))";
    if (node.const !== undefined) return code(node.const);
    if (node.enum !== undefined) return node.enum.map(code).join(", ");
    if (node.oneOf !== undefined) {
      const kinds = node.oneOf.map((v) => this.set.resolve(v, file).node.properties?.type?.const);
      if (kinds.every((k) => k !== undefined)) return `object, by \`type\`: ${kinds.map(code).join(", ")}`;
      return node.oneOf.map((v) => this.typeOf(v, file)).join(" or ");
    }
    if (node.type === "array")
      return `list of ${node.items ? this.typeOf(node.items, file) : "values"}${range(node)}`;
    if (node.type === "object")
      return node.additionalProperties && typeof node.additionalProperties === "object"
        ? "mapping"
        : "object";
    const base = Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any");
    return `${base}${node.type === "string" ? "" : range(node)}`;
  }

  /** Documents the object at `raw` under `title`, then every object below it. */
  object(raw: SchemaNode, file: string, title: string, variant?: string): void {
    const { node, file: at } = this.set.resolve(raw, file);
    if (node.oneOf !== undefined) {
      for (const variant of node.oneOf) {
        const resolved = this.set.resolve(variant, at);
        const kind = resolved.node.properties?.type?.const;
        this.object(variant, at, title, kind === undefined ? undefined : String(kind));
      }
      return;
    }
    if (node.properties === undefined) {
      if (node.additionalProperties && typeof node.additionalProperties === "object") {
        this.object(node.additionalProperties, at, `${title}.<name>`);
      }
      return;
    }
    const required = new Set(node.required ?? []);
    const section: Section = { title, rows: [] };
    if (variant !== undefined) section.variant = variant;
    if (node.description !== undefined) section.description = node.description;
    this.sections.push(section);
    const below: [SchemaNode, string][] = [];
    for (const [key, property] of Object.entries(node.properties)) {
      if (key === "$schema") continue;
      const { node: resolved } = this.set.resolve(property, at);
      const row: Row = {
        key,
        type: this.typeOf(property, at),
        required: required.has(key),
        description: resolved.description ?? "",
      };
      if (resolved.default !== undefined) row.default = code(resolved.default);
      section.rows.push(row);
      const path = title === "" ? key : `${title}.${key}`;
      if (resolved.type === "object" || resolved.oneOf !== undefined) below.push([property, path]);
      else if (resolved.type === "array" && resolved.items !== undefined) {
        const item = this.set.resolve(resolved.items, at).node;
        if (item.type === "object") below.push([resolved.items, `${path}[]`]);
      }
    }
    for (const [child, path] of below) this.object(child, at, path);
  }

  markdown(): string {
    const out: string[] = [];
    for (const section of this.sections) {
      const heading = section.title === "" ? "Top level" : `\`${section.title}\``;
      out.push(`## ${heading}${section.variant === undefined ? "" : ` (type: ${section.variant})`}`, "");
      if (section.description !== undefined) out.push(section.description, "");
      out.push("| Key | Type | Default | Description |", "| --- | --- | --- | --- |");
      for (const row of section.rows) {
        const key = `\`${row.key}\`${row.required ? " (required)" : ""}`;
        out.push(
          `| ${key} | ${cell(row.type)} | ${row.default === undefined ? "" : cell(row.default)} | ${cell(row.description)} |`,
        );
      }
      out.push("");
    }
    return out.join("\n");
  }

  static render(set: SchemaSet, file: string): string {
    const doc = new SchemaDoc(set, file);
    doc.object(set.file(file), file, "");
    return doc.markdown();
  }
}
