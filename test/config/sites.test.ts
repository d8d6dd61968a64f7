// The shipped example sites load against the shipped profiles (warnings allowed) and say what
// their comments promise.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, loadSite } from "../../engine/config/index.js";
import type { ResolvedSite } from "../../engine/model.js";
import { sitesDir } from "../../engine/paths.js";

const siteFiles = readdirSync(sitesDir).filter((f) => f.endsWith(".yaml"));

function load(name: string): ResolvedSite {
  const { site, diagnostics } = loadSite(join(sitesDir, name), { env: {} });
  const errors = diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
  expect(errors).toEqual([]);
  if (site === undefined) throw new Error(`${name} did not load`);
  return site;
}

describe("sites/*.yaml", () => {
  it("ships the demo and the example sites", () => {
    expect(siteFiles.sort()).toEqual(["ampx-portal.yaml", "demo.yaml", "rs485-32.yaml", "tcp-plant.yaml"]);
  });

  it.each(siteFiles)("%s loads without errors and points editors at the schema", (name) => {
    load(name);
    expect(readFileSync(join(sitesDir, name), "utf8")).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/schema\/site\.schema\.json\n/,
    );
  });

  it("demo: TCP meters on 127.0.0.1, one port each, uploading to the local sink", () => {
    const site = load("demo.yaml");
    expect(site.transport.type).toBe("tcp");
    expect(site.meters.length).toBeGreaterThanOrEqual(5);
    expect(site.meters.every((m) => m.host === "127.0.0.1")).toBe(true);
    expect(site.meters.map((m) => m.port)).toEqual(site.meters.map((_, i) => 15020 + i));
    expect(site.meters.filter((m) => m.profile.id.startsWith("meatrol/")).length).toBeGreaterThan(
      site.meters.length / 2,
    );
    expect(site.upload?.url).toBe("http://127.0.0.1:8090/ingest");
    expect(site.upload?.intervalMs).toBeLessThanOrEqual(60000);
    expect(site.web).toMatchObject({ port: 8080, bind: "127.0.0.1" });
    expect(site.storage.path).toBe(join(sitesDir, "../data/demo.db"));
  });

  it("rs485-32: 32 meters on one bus, unit ids 1–32, 9600 8N1", () => {
    const site = load("rs485-32.yaml");
    expect(site.transport).toMatchObject({
      type: "rtu",
      port: "/dev/ttyUSB0",
      baudRate: 9600,
      parity: "none",
      dataBits: 8,
      stopBits: 1,
    });
    expect(site.meters.map((m) => m.unitId)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(site.meters.every((m) => m.profile.vendor === "Meatrol")).toBe(true);
  });

  it("tcp-plant: several hosts, several unit ids behind one gateway, bearer token from the environment", () => {
    const site = load("tcp-plant.yaml");
    expect(new Set(site.meters.map((m) => m.host)).size).toBeGreaterThan(2);
    const behindGateway = site.meters.filter((m) => m.host === "10.20.0.10");
    expect(behindGateway.map((m) => m.unitId)).toEqual([1, 2, 3]);
    expect(site.upload?.auth).toEqual({ type: "bearer", token: "${env:AMPX_API_TOKEN}" });
  });

  it("ampx-portal: the portal template, one request per meter, API key header, gateway id", () => {
    const site = load("ampx-portal.yaml");
    expect(site.upload).toMatchObject({
      mode: "meter",
      variables: { gateway_id: "100001" },
      successStatus: [201],
    });
    expect(site.upload?.templateFile.endsWith("templates/upload/ampx-portal-v2.json.hbs")).toBe(true);
    expect(site.upload?.auth).toEqual({
      type: "header",
      header: "X-AmpX-Api-Key",
      value: "${env:AMPX_PORTAL_API_KEY}",
    });
  });
});
