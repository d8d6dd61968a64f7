// Secrets stay references (${env:NAME}, ${secret:NAME}) inside the resolved site and are resolved
// only at the moment of use. No message here ever contains a secret's value.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { ResolvedSite } from "../model.js";
import type { Site } from "./schema-types.js";

export type SecretErrorCode =
  | "SECRET_E_ENV_UNSET"
  | "SECRET_E_UNKNOWN"
  | "SECRET_E_NO_SECRETS_FILE"
  | "SECRET_E_SECRETS_FILE"
  | "SECRET_E_REFERENCE";

export class SecretError extends Error {
  override name = "SecretError" as const;
  constructor(
    readonly code: SecretErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What dashboards and logs show instead of a secret written into the site file. */
export const REDACTED = "••••";

export interface SecretReference {
  kind: "env" | "secret";
  name: string;
}

const REFERENCE = /\$\{(env|secret):([A-Za-z_][A-Za-z0-9_]*)\}/g;
const EXACT_REFERENCE = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The references in a value, in order. */
export function secretReferences(value: string): SecretReference[] {
  return [...value.matchAll(REFERENCE)].map((m) => ({ kind: m[1] as "env" | "secret", name: m[2] ?? "" }));
}

/** True when the value is exactly one reference, i.e. holds no secret text itself. */
export function isSecretReference(value: string): boolean {
  return EXACT_REFERENCE.test(value);
}

/** True when "${" remains after removing the well-formed references (e.g. "${env:MY-TOKEN}" or "${TOKEN}"). */
export function hasMalformedReference(value: string): boolean {
  return value.replace(REFERENCE, "").includes("${");
}

/** The NAME: value map of a secrets file; throws SecretError (naming the file, never a value). */
export function readSecretsFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new SecretError("SECRET_E_SECRETS_FILE", `cannot read the secrets file ${file}`);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const data: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new SecretError(
      "SECRET_E_SECRETS_FILE",
      `the secrets file ${file} is not a YAML map of NAME: value lines`,
    );
  }
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      secrets[name] = String(value);
    }
  }
  return secrets;
}

/**
 * The value with every ${env:NAME} / ${secret:NAME} replaced; a value without references is returned
 * as written. Throws SecretError naming the missing variable or secret.
 */
export function resolveSecret(
  value: string,
  site: Pick<ResolvedSite, "secretsFile" | "file">,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (hasMalformedReference(value)) {
    throw new SecretError(
      "SECRET_E_REFERENCE",
      "malformed secret reference: write ${env:NAME} or ${secret:NAME}",
    );
  }
  let secrets: Record<string, string> | undefined;
  return value.replace(REFERENCE, (_match, kind: string, name: string) => {
    if (kind === "env") {
      const found = env[name];
      if (found === undefined)
        throw new SecretError("SECRET_E_ENV_UNSET", `environment variable ${name} is not set`);
      return found;
    }
    if (site.secretsFile === undefined) {
      throw new SecretError(
        "SECRET_E_NO_SECRETS_FILE",
        `\${secret:${name}} needs a secretsFile in the site ${site.file}`,
      );
    }
    secrets ??= readSecretsFile(site.secretsFile);
    const found = secrets[name];
    if (found === undefined) {
      throw new SecretError(
        "SECRET_E_UNKNOWN",
        `secret ${name} is not in the secrets file ${site.secretsFile}`,
      );
    }
    return found;
  });
}

export interface SecretField {
  path: (string | number)[];
  value: string;
  /** Header values may be secrets but need not be; auth fields always are. */
  kind: "auth" | "header";
}

/** Every field of the site that holds (or may hold) a secret, with its path. */
export function secretFields(site: Site): SecretField[] {
  const fields: SecretField[] = [];
  const auth = site.upload?.auth;
  if (auth?.type === "bearer")
    fields.push({ path: ["upload", "auth", "token"], value: auth.token, kind: "auth" });
  if (auth?.type === "basic")
    fields.push({ path: ["upload", "auth", "password"], value: auth.password, kind: "auth" });
  if (auth?.type === "header")
    fields.push({ path: ["upload", "auth", "value"], value: auth.value, kind: "auth" });
  for (const [name, value] of Object.entries(site.upload?.headers ?? {})) {
    fields.push({ path: ["upload", "headers", name], value, kind: "header" });
  }
  if (site.web?.auth?.token !== undefined) {
    fields.push({ path: ["web", "auth", "token"], value: site.web.auth.token, kind: "auth" });
  }
  if (site.web?.auth?.password !== undefined) {
    fields.push({ path: ["web", "auth", "password"], value: site.web.auth.password, kind: "auth" });
  }
  return fields;
}

const redactValue = (value: string): string => (isSecretReference(value) ? value : REDACTED);

/**
 * A copy of the site as written with every secret-bearing field replaced by "••••", unless the field is
 * a reference (then the reference itself, e.g. ${env:AMPX_API_TOKEN}, is shown).
 */
export function redactSecrets(source: Site): Site {
  const copy = structuredClone(source);
  const auth = copy.upload?.auth;
  if (auth?.type === "bearer") auth.token = redactValue(auth.token);
  if (auth?.type === "basic") auth.password = redactValue(auth.password);
  if (auth?.type === "header") auth.value = redactValue(auth.value);
  const headers = copy.upload?.headers;
  if (headers !== undefined) {
    for (const name of Object.keys(headers)) headers[name] = redactValue(headers[name] ?? "");
  }
  const web = copy.web?.auth;
  if (web?.token !== undefined) web.token = redactValue(web.token);
  if (web?.password !== undefined) web.password = redactValue(web.password);
  return copy;
}
