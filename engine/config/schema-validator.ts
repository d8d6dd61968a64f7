// Layer 1: the shape of a file, checked against schema/*.schema.json (the only source of truth).
// ajv collects every error; schema-problems.ts turns them into coded, readable Problems.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { schemaDir } from "../paths.js";
import type { Problem } from "./problem.js";
import { problemsFromAjv } from "./schema-problems.js";

export type SchemaName = "site" | "profile";

const SCHEMA_IDS: Record<SchemaName, string> = {
  site: "https://ampx.energy/schema/site.schema.json",
  profile: "https://ampx.energy/schema/profile.schema.json",
};

let ajv: Ajv2020 | undefined;

function compiler(): Ajv2020 {
  if (ajv !== undefined) return ajv;
  ajv = new Ajv2020({
    strict: true,
    // The discriminated unions (Transport, UploadAuth) list `required: ["type"]` next to oneOf,
    // which ajv's discriminator needs but strictRequired would reject.
    strictRequired: false,
    // variables: string | number | boolean.
    allowUnionTypes: true,
    allErrors: true,
    discriminator: true,
    // parentSchema on every error: the allowed keys and descriptions behind "did you mean".
    verbose: true,
  });
  for (const name of readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json"))) {
    ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, name), "utf8")) as object);
  }
  return ajv;
}

function validator(name: SchemaName): ValidateFunction {
  const validate = compiler().getSchema(SCHEMA_IDS[name]);
  if (validate === undefined) throw new Error(`schema ${SCHEMA_IDS[name]} not found in ${schemaDir}`);
  return validate;
}

/** The root schema document of `name`, for resolving local $refs in error messages. */
export function rootSchema(name: SchemaName): Record<string, unknown> {
  return validator(name).schema as Record<string, unknown>;
}

/** Every way `data` breaks the schema, as coded Problems; empty when it fits. */
export function checkSchema(name: SchemaName, data: unknown): Problem[] {
  const validate = validator(name);
  if (validate(data)) return [];
  return problemsFromAjv(validate.errors ?? [], data, rootSchema(name));
}
