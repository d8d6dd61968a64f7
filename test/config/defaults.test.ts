// engine/config/defaults.ts spells the defaults out in one place; wherever the schema states a
// `default` too, the two must agree, so that editors, docs and the engine say the same.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  LIMIT_DEFAULTS,
  METER_DEFAULTS,
  PROFILE_DEFAULTS,
  REGISTER_DEFAULTS,
  RTU_DEFAULTS,
  SITE_DEFAULTS,
  STORAGE_DEFAULTS,
  TCP_DEFAULTS,
  UPLOAD_DEFAULTS,
  WEB_DEFAULTS,
} from "../../engine/config/defaults.js";
import { schemaDir } from "../../engine/paths.js";

type Schema = { properties?: Record<string, { default?: unknown }>; $defs?: Record<string, Schema> };
const read = (name: string): Schema => JSON.parse(readFileSync(join(schemaDir, name), "utf8")) as Schema;
const site = read("site.schema.json");
const profile = read("profile.schema.json");

/** Every `default` the schema gives to the properties of `schema`. */
function schemaDefaults(schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (property.default !== undefined) out[key] = property.default;
  }
  return out;
}

describe("defaults agree with the schemas", () => {
  it.each([
    ["site", schemaDefaults(site), SITE_DEFAULTS],
    ["RtuTransport", schemaDefaults(site.$defs?.RtuTransport), RTU_DEFAULTS],
    ["TcpTransport", schemaDefaults(site.$defs?.TcpTransport), TCP_DEFAULTS],
    ["Meter", schemaDefaults(site.$defs?.Meter), METER_DEFAULTS],
    ["Upload", schemaDefaults(site.$defs?.Upload), UPLOAD_DEFAULTS],
    ["Web", schemaDefaults(site.$defs?.Web), WEB_DEFAULTS],
    ["Storage", schemaDefaults(site.$defs?.Storage), STORAGE_DEFAULTS],
    ["profile", schemaDefaults(profile), PROFILE_DEFAULTS],
    ["Defaults", schemaDefaults(profile.$defs?.Defaults), PROFILE_DEFAULTS],
    ["Limits", schemaDefaults(profile.$defs?.Limits), LIMIT_DEFAULTS],
    ["QuantityRegister", schemaDefaults(profile.$defs?.QuantityRegister), REGISTER_DEFAULTS],
  ])("%s", (_name, fromSchema, fromCode) => {
    expect(Object.keys(fromSchema).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(fromSchema)) {
      expect(fromCode, key).toHaveProperty(key);
      expect((fromCode as Record<string, unknown>)[key], key).toEqual(value);
    }
  });
});
