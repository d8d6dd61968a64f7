// Checks the shape of a POST /api/config body before it reaches the editor. The editor validates the
// resulting file with the site schema; this only makes sure nothing but the safe settings can be asked for.
import type { ConfigChange } from "./sources.js";
import { WebError } from "./web-error.js";

const DURATION = /^[0-9]+(\.[0-9]+)?(ms|s|m|h|d)$/;

export function parseConfigChange(body: unknown): ConfigChange {
  if (!isObject(body)) throw bad("the body must be a JSON object");
  only(body, ["meters", "pollClasses", "upload"], "");
  const change: ConfigChange = {};
  if (body.meters !== undefined) {
    if (!Array.isArray(body.meters)) throw bad("meters must be an array of { id, name }");
    change.meters = body.meters.map((m: unknown, i) => {
      if (!isObject(m)) throw bad(`meters[${i}] must be an object`);
      only(m, ["id", "name"], `meters[${i}].`);
      if (typeof m.id !== "string" || typeof m.name !== "string")
        throw bad(`meters[${i}] needs string id and name`);
      const name = m.name.trim();
      if (name.length === 0 || name.length > 80) throw bad(`meters[${i}].name must be 1 to 80 characters`);
      return { id: m.id, name };
    });
  }
  if (body.pollClasses !== undefined) {
    if (!isObject(body.pollClasses)) throw bad("pollClasses must be an object of name: duration");
    const pollClasses: Record<string, string> = {};
    for (const [name, interval] of Object.entries(body.pollClasses)) {
      if (typeof interval !== "string" || !DURATION.test(interval)) {
        throw bad(`pollClasses.${name} must be a duration such as 2s, 500ms or 1m`);
      }
      pollClasses[name] = interval;
    }
    change.pollClasses = pollClasses;
  }
  if (body.upload !== undefined) {
    const upload = body.upload;
    if (!isObject(upload)) throw bad("upload must be an object { url?, interval? }");
    only(upload, ["url", "interval"], "upload.");
    change.upload = {};
    if (upload.url !== undefined) {
      if (typeof upload.url !== "string" || !/^https?:\/\/\S+$/.test(upload.url)) {
        throw bad("upload.url must be an http:// or https:// URL");
      }
      change.upload.url = upload.url;
    }
    if (upload.interval !== undefined) {
      if (typeof upload.interval !== "string" || !DURATION.test(upload.interval)) {
        throw bad("upload.interval must be a duration such as 15m");
      }
      change.upload.interval = upload.interval;
    }
  }
  return change;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function only(obj: Record<string, unknown>, keys: string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!keys.includes(key))
      throw bad(`${prefix}${key} cannot be changed here (allowed: ${keys.join(", ")})`);
  }
}

function bad(message: string): WebError {
  return new WebError(400, "WEB_E_BAD_BODY", message);
}
