// Resolution: every default applied, durations in ms, paths absolute, the result deeply frozen.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProfile, loadSite } from "../../engine/config/index.js";
import { defaultInterFrameDelayMs } from "../../engine/config/serial-timing.js";
import { templatesDir } from "../../engine/paths.js";

const fixtures = join(import.meta.dirname, "../fixtures/good");
const profilesDir = join(fixtures, "profiles");

function load(name: string) {
  const { site, diagnostics } = loadSite(join(fixtures, name), { profilesDir, env: {} });
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (site === undefined) throw new Error(`${name} did not load`);
  return site;
}

describe("site resolution", () => {
  it("fills every default of a minimal RTU site", () => {
    const site = load("rtu-minimal.yaml");
    expect(site.file).toBe(join(fixtures, "rtu-minimal.yaml"));
    expect(site.timezone).toBe("UTC");
    expect(site.transport).toEqual({
      type: "rtu",
      port: "/dev/ttyUSB0",
      baudRate: 9600,
      parity: "none",
      dataBits: 8,
      stopBits: 1,
      responseTimeoutMs: 500,
      turnaroundDelayMs: 5,
      interFrameDelayMs: (3.5 * 10 * 1000) / 9600,
      retries: 1,
    });
    expect(site.pollClasses).toEqual({
      live: { intervalMs: 2000 },
      energy: { intervalMs: 60000 },
      identity: { intervalMs: 3600000 },
    });
    expect(site.web).toEqual({ enabled: true, port: 8080, bind: "0.0.0.0", allowedOrigins: [] });
    expect(site.storage).toEqual({
      path: join(fixtures, "data/minimal.db"),
      sampleRetentionMs: 86400000,
      intervalRetentionMs: 400 * 86400000,
    });
    expect(site.upload).toBeUndefined();
    const [m1, m2] = site.meters;
    expect(m1).toMatchObject({ id: "m1", name: "m1", unitId: 1, priority: 5, enabled: true });
    expect(m1?.profile.id).toBe("acme/pm3");
    // RTU meters carry no host or port.
    expect(m1).not.toHaveProperty("host");
    expect(m1).not.toHaveProperty("port");
    // acme/pm1's factory unit id is 7.
    expect(m2?.unitId).toBe(7);
  });

  it("keeps everything a full TCP site writes, and defaults the rest", () => {
    const site = load("tcp-full.yaml");
    expect(site.transport).toEqual({
      type: "tcp",
      connectTimeoutMs: 2000,
      responseTimeoutMs: 750,
      reconnectDelayMs: 500,
      reconnectDelayMaxMs: 60000,
      retries: 3,
    });
    expect(site.pollClasses).toEqual({
      live: { intervalMs: 500 },
      energy: { intervalMs: 60000 },
      identity: { intervalMs: 3600000 },
      demand: { intervalMs: 900000 },
    });
    const [a, b, c] = site.meters;
    expect(a).toMatchObject({
      id: "a",
      name: "Meter A",
      host: "192.0.2.10",
      port: 502,
      unitId: 1,
      priority: 9,
      serialNumber: "12345678",
    });
    // The profile's tcpPort (1502) is the default port.
    expect(b).toMatchObject({ host: "192.0.2.10", port: 1502, unitId: 2 });
    expect(c).toMatchObject({ port: 1502, unitId: 1, enabled: false });
    expect(site.upload).toMatchObject({
      url: "https://api.example.com/ingest",
      intervalMs: 300000,
      templateFile: join(fixtures, "custom/payload.json.hbs"),
      mode: "meter",
      timeoutMs: 10000,
      batchSize: 5,
      retryDelayMs: 1000,
      retryDelayMaxMs: 600000,
      successStatus: [200, 201],
      variables: { gateway_id: 42, region: "eu", test: true },
    });
    // Secrets stay references until the moment of use.
    expect(site.upload?.auth).toEqual({
      type: "basic",
      username: "gateway",
      password: "${secret:UPLOAD_PASSWORD}",
    });
    expect(site.secretsFile).toBe(join(fixtures, "tcp-full.secrets"));
    expect(site.web).toMatchObject({ port: 0, bind: "127.0.0.1", allowedOrigins: ["http://localhost:3000"] });
    expect(site.storage.path).toBe("/tmp/ampx-full-tcp.db");
    expect(site.storage.sampleRetentionMs).toBe(12 * 3600000);
  });

  it("fills the upload defaults; a template name is templates/upload/<name>.json.hbs", () => {
    const site = load("upload-defaults.yaml");
    expect(site.upload).toEqual({
      enabled: true,
      url: "http://127.0.0.1:8090/ingest",
      intervalMs: 900000,
      templateFile: join(templatesDir, "upload/default.json.hbs"),
      mode: "site",
      headers: {},
      variables: {},
      timeoutMs: 30000,
      batchSize: 20,
      retryDelayMs: 5000,
      retryDelayMaxMs: 900000,
      successStatus: [],
      source: { url: "http://127.0.0.1:8090/ingest" },
    });
  });

  it("freezes the whole resolved site, profiles included", () => {
    const site = load("tcp-full.yaml");
    expect(Object.isFrozen(site)).toBe(true);
    expect(Object.isFrozen(site.meters)).toBe(true);
    expect(Object.isFrozen(site.meters[0]?.profile.registers[0])).toBe(true);
    expect(Object.isFrozen(site.source)).toBe(true);
    expect(() => {
      (site.meters as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (site.transport as { responseTimeoutMs: number }).responseTimeoutMs = 1;
    }).toThrow(TypeError);
  });
});

describe("inter-frame delay", () => {
  it("is 3.5 characters at the baud rate, a character being start + data + parity + stop bits", () => {
    expect(defaultInterFrameDelayMs(9600, 8, "none", 1)).toBeCloseTo(3.6458, 4);
    expect(defaultInterFrameDelayMs(9600, 8, "even", 1)).toBeCloseTo((3.5 * 11 * 1000) / 9600, 9);
    expect(defaultInterFrameDelayMs(1200, 8, "none", 2)).toBeCloseTo((3.5 * 11 * 1000) / 1200, 9);
    expect(defaultInterFrameDelayMs(19200, 8, "none", 1)).toBeCloseTo((3.5 * 10 * 1000) / 19200, 9);
  });

  it("is at least 1.75 ms above 19200 baud", () => {
    expect(defaultInterFrameDelayMs(38400, 8, "none", 1)).toBe(1.75);
    expect(defaultInterFrameDelayMs(115200, 8, "even", 2)).toBe(1.75);
  });
});

describe("profile resolution", () => {
  it("applies the profile defaults to each register", () => {
    const { profile, diagnostics } = loadProfile(join(profilesDir, "acme/pm1.yaml"));
    expect(diagnostics).toEqual([]);
    if (profile === undefined) throw new Error("acme/pm1 did not load");
    expect(profile).toMatchObject({
      id: "acme/pm1",
      vendor: "ACME",
      model: "PM1",
      status: "unverified",
      caveats: ["Not a real meter."],
      defaults: {
        unitId: 7,
        tcpPort: 1502,
        serial: { baudRate: 19200, parity: "even", dataBits: 8, stopBits: 1 },
      },
      // noReadAcross in wire addresses (addressBase 1).
      limits: {
        maxRegistersPerRead: 40,
        maxGapRegisters: 2,
        evenAlignment: true,
        noReadAcross: [{ start: 50, end: 59 }],
      },
      identification: [],
    });
    const byName = new Map(profile.registers.map((r) => [r.quantity, r]));
    expect(byName.get("voltage_l1")).toEqual({
      quantity: "voltage_l1",
      kind: "instantaneous",
      canonicalUnit: "V",
      function: "input",
      address: 0,
      count: 2,
      type: "f32",
      wordOrder: "CDAB",
      multiplier: 1,
      offset: 0,
      unit: "V",
      sentinels: [],
      pollClass: "live",
    });
    expect(byName.get("current_l1")).toMatchObject({
      address: 6,
      count: 2,
      wordOrder: "ABCD",
      multiplier: 0.001,
    });
    expect(byName.get("frequency")).toMatchObject({ function: "holding", count: 1, address: 70 });
    expect(byName.get("active_energy_export")).toMatchObject({
      kind: "counter",
      canonicalUnit: "kWh",
      unit: "Wh",
      count: 4,
      pollClass: "energy",
      sentinels: [-1],
    });
    expect(byName.get("firmware_version")).toMatchObject({
      kind: "identity",
      pollClass: "identity",
      canonicalUnit: "",
    });
  });

  it("counts string registers by length and keeps explicit poll classes", () => {
    const pm3 = loadProfile(join(profilesDir, "acme/pm3.yaml")).profile;
    expect(pm3?.registers.find((r) => r.quantity === "serial_number")).toMatchObject({
      type: "string",
      count: 8,
    });
    expect(pm3?.limits).toEqual({
      maxRegistersPerRead: 60,
      maxGapRegisters: 8,
      evenAlignment: false,
      noReadAcross: [],
    });
    const pm5 = loadProfile(join(profilesDir, "acme/pm5-demand.yaml")).profile;
    expect(pm5?.registers.map((r) => r.pollClass)).toEqual(["live", "demand"]);
    expect(pm5?.defaults).toEqual({
      unitId: 1,
      tcpPort: 502,
      serial: { baudRate: 9600, parity: "none", dataBits: 8, stopBits: 1 },
    });
  });
});
