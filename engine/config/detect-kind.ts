// Is a YAML file a site or a profile? `ampx validate` accepts both, and whole folders of them.
import { sep } from "node:path";
import { readConfigText } from "./read-text.js";

export type ConfigKind = "site" | "profile";

/**
 * A file inside a folder named `profiles` is a profile; otherwise a file whose top level names
 * `quantities` or `vendor` (and no `transport`) is a profile; anything else is checked as a site.
 */
export function detectConfigKind(file: string): ConfigKind {
  if (file.split(sep).includes("profiles")) return "profile";
  const { text } = readConfigText(file);
  if (text === undefined) return "site";
  const topKeys = new Set([...text.matchAll(/^([A-Za-z_$][\w$-]*)\s*:/gm)].map((m) => m[1]));
  return !topKeys.has("transport") && (topKeys.has("quantities") || topKeys.has("vendor"))
    ? "profile"
    : "site";
}
