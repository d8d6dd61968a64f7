// ajv errors → Problems a person can act on: one stable code per kind of mistake, the value that
// was found, what was expected, and "did you mean" for misspelt keys and enum values.
import type { ErrorObject } from "ajv/dist/2020.js";
import type { PathSegment } from "./diagnostic.js";
import { didYouMean } from "./did-you-mean.js";
import type { Problem } from "./problem.js";

type Schema = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `/meters/3/unitId` → `["meters", 3, "unitId"]`, numbers only where the data holds a list. */
function pathOf(instancePath: string, data: unknown): PathSegment[] {
  if (instancePath === "") return [];
  const path: PathSegment[] = [];
  let node = data;
  for (const raw of instancePath.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return path;
}

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping (key: value)",
  array: "a list (- item)",
  integer: "a whole number",
  number: "a number",
  string: "text",
  boolean: "true or false",
  null: "nothing",
};

function expected(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ");
}

/** How a found value reads in a message: `"abc"`, `1.5`, `a list`, `a mapping`, `nothing`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}

function firstSentence(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end);
}

/** The schema a local `$ref` (#/$defs/…) points to, or the schema itself. */
function deref(schema: unknown, root: Schema): unknown {
  if (!isRecord(schema) || typeof schema.$ref !== "string" || !schema.$ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const key of schema.$ref.slice(2).split("/")) node = isRecord(node) ? node[key] : undefined;
  return node;
}

/** The tag values a discriminated oneOf accepts, e.g. ["rtu", "tcp"]. */
function discriminatorValues(parentSchema: unknown, tag: string, root: Schema): string[] {
  if (!isRecord(parentSchema) || !Array.isArray(parentSchema.oneOf)) return [];
  const values: string[] = [];
  for (const branch of parentSchema.oneOf) {
    const resolved = deref(branch, root);
    const properties = isRecord(resolved) ? resolved.properties : undefined;
    const tagSchema = isRecord(properties) ? properties[tag] : undefined;
    if (isRecord(tagSchema) && typeof tagSchema.const === "string") values.push(tagSchema.const);
  }
  return values;
}

function listOf(values: readonly unknown[], max = 10): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(", ")}, …` : shown.join(", ");
}

function enumProblem(path: PathSegment[], value: unknown, allowed: readonly unknown[]): Problem {
  const problem: Problem = {
    code: "SCHEMA_E_ENUM",
    path,
    message:
      allowed.length <= 10
        ? `${describe(value)} is not one of ${listOf(allowed)}`
        : `${describe(value)} is not a known value`,
  };
  const hint =
    typeof value === "string"
      ? didYouMean(
          value,
          allowed.filter((v) => typeof v === "string"),
        )
      : undefined;
  if (hint !== undefined) problem.hint = hint;
  return problem;
}

const DURATION_PATTERN = "^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$";

/** Schema paths whose limit has a meaning of its own, with their own code. */
function tooManyItemsCode(path: PathSegment[]): string {
  return path.length === 1 && path[0] === "meters" ? "SITE_E_TOO_MANY_METERS" : "SCHEMA_E_ITEMS";
}

function problemFromError(error: ErrorObject, data: unknown, root: Schema): Problem | undefined {
  const path = pathOf(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  const value: unknown = error.data;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const properties = isRecord(error.parentSchema) ? error.parentSchema.properties : undefined;
      const allowed = isRecord(properties) ? Object.keys(properties) : [];
      const problem: Problem = {
        code: "SCHEMA_E_UNKNOWN_KEY",
        path: [...path, key],
        at: "key",
        message: `unknown key "${key}"`,
      };
      const hint = didYouMean(key, allowed);
      if (hint !== undefined) problem.hint = hint;
      else if (allowed.length > 0) problem.hint = `allowed keys: ${allowed.join(", ")}`;
      return problem;
    }
    case "required":
      return {
        code: "SCHEMA_E_REQUIRED",
        path,
        message: `missing required key "${String(params.missingProperty)}"`,
      };
    case "enum":
      return enumProblem(path, value, Array.isArray(params.allowedValues) ? params.allowedValues : []);
    case "const":
      return enumProblem(path, value, [params.allowedValue]);
    case "discriminator": {
      const tag = String(params.tag);
      if (!isRecord(value) || !(tag in value)) {
        return { code: "SCHEMA_E_REQUIRED", path, message: `missing required key "${tag}"` };
      }
      const allowed = discriminatorValues(error.parentSchema, tag, root);
      if (params.error === "mapping") return enumProblem([...path, tag], value[tag], allowed);
      return {
        code: "SCHEMA_E_TYPE",
        path: [...path, tag],
        message: `expected one of ${listOf(allowed)}, got ${describe(value[tag])}`,
      };
    }
    case "type":
      return {
        code: "SCHEMA_E_TYPE",
        path,
        message: `expected ${expected(params.type)}, got ${describe(value)}`,
      };
    case "minimum":
    case "exclusiveMinimum":
      return {
        code: "SCHEMA_E_RANGE",
        path,
        message: `${describe(value)} is below the minimum ${String(params.limit)}`,
      };
    case "maximum":
    case "exclusiveMaximum":
      return {
        code: "SCHEMA_E_RANGE",
        path,
        message: `${describe(value)} is above the maximum ${String(params.limit)}`,
      };
    case "minLength":
      return {
        code: "SCHEMA_E_LENGTH",
        path,
        message:
          params.limit === 1 ? "must not be empty" : `is shorter than ${String(params.limit)} characters`,
      };
    case "maxLength":
      return { code: "SCHEMA_E_LENGTH", path, message: `is longer than ${String(params.limit)} characters` };
    case "minItems":
      return { code: "SCHEMA_E_ITEMS", path, message: `needs at least ${String(params.limit)} item(s)` };
    case "maxItems": {
      const count = Array.isArray(value) ? value.length : "too many";
      const code = tooManyItemsCode(path);
      const message =
        code === "SITE_E_TOO_MANY_METERS"
          ? `${count} meters; a site has at most ${String(params.limit)} (the unit loads one RS485 bus carries)`
          : `${count} items; at most ${String(params.limit)} are allowed`;
      return { code, path, message };
    }
    case "pattern": {
      const description = firstSentence(
        isRecord(error.parentSchema) ? error.parentSchema.description : undefined,
      );
      if (error.propertyName !== undefined) {
        const problem: Problem = {
          code: "SCHEMA_E_KEY_NAME",
          path: [...path, error.propertyName],
          at: "key",
          message: `"${error.propertyName}" is not a valid name here: use lowercase letters, digits, - and _, starting with a letter`,
        };
        return problem;
      }
      if (params.pattern === DURATION_PATTERN) {
        return {
          code: "SCHEMA_E_PATTERN",
          path,
          message: `${describe(value)} is not a duration`,
          hint: "write a number and a unit ms, s, m, h or d, e.g. 500ms, 5s, 15m",
        };
      }
      const problem: Problem = {
        code: "SCHEMA_E_PATTERN",
        path,
        message: `${describe(value)} is not in the expected form`,
      };
      if (description !== undefined) problem.hint = `expected: ${description}`;
      return problem;
    }
    case "propertyNames":
      // Already reported by the "pattern" error on the same name.
      return undefined;
    case "not":
      return { code: "SCHEMA_E_NOT_ALLOWED", path, message: `${describe(value)} is not allowed here` };
    default:
      return {
        code: "SCHEMA_E_INVALID",
        path,
        message: error.message ?? `fails the schema rule "${error.keyword}"`,
      };
  }
}

/** Value checks that say nothing new once the value has the wrong type ("fast" is not a baud rate). */
const MOOT_AFTER_TYPE_ERROR = new Set([
  "SCHEMA_E_ENUM",
  "SCHEMA_E_RANGE",
  "SCHEMA_E_PATTERN",
  "SCHEMA_E_LENGTH",
]);

/** All ajv errors as Problems, without repeats. */
export function problemsFromAjv(errors: readonly ErrorObject[], data: unknown, root: Schema): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const problem = problemFromError(error, data, root);
    if (problem === undefined) continue;
    const key = `${problem.code} ${JSON.stringify(problem.path)} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  const wrongType = new Set(
    problems.filter((p) => p.code === "SCHEMA_E_TYPE").map((p) => JSON.stringify(p.path)),
  );
  return problems.filter((p) => !MOOT_AFTER_TYPE_ERROR.has(p.code) || !wrongType.has(JSON.stringify(p.path)));
}
