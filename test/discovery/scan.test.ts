import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadProfiles } from "../../engine/config/index.js";
import { parseUnits, scan, toSiteYaml } from "../../engine/discovery/index.js";
import type { ResolvedProfile } from "../../engine/model.js";
import { Simulator } from "../../engine/sim/index.js";
import { RtuTransport, TcpTransport } from "../../engine/transport/index.js";
import { openPtyPair } from "../helpers/pty.js";
import { rtuSite, tcpSite } from "../helpers/site.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const profiles: ResolvedProfile[] = [...loadProfiles().profiles.values()];

describe("ampx scan discovery", () => {
  it("finds every meter on an RS485 bus and recognises its profile", async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const meters = [
      { id: "a", profile: "meatrol/mp440", unitId: 2, serialNumber: "90001234" },
      { id: "b", profile: "eastron/sdm630", unitId: 5 },
      { id: "c", profile: "chint/dtsu666", unitId: 7 },
      { id: "d", profile: "carlo-gavazzi/em24", unitId: 9 },
    ];
    const site = rtuSite(pty.b, meters, { live: "1s" });
    const sim = new Simulator({ site, rtuPort: pty.a, wireTime: false, seed: 11 });
    await sim.start();
    cleanups.push(() => sim.stop());
    const transport = new RtuTransport({ ...site.transport, port: pty.b } as ConstructorParameters<
      typeof RtuTransport
    >[0]);
    cleanups.push(() => transport.close());
    const seen: number[] = [];
    const findings = await scan(transport, {
      units: parseUnits("1-10"),
      timeoutMs: 60,
      profiles,
      onUnit: (unit) => seen.push(unit),
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(findings.map((f) => [f.unitId, f.match?.profileId])).toEqual([
      [2, "meatrol/mp440"],
      [5, "eastron/sdm630"],
      [7, "chint/dtsu666"],
      [9, "carlo-gavazzi/em24"],
    ]);
    expect(findings[0]!.match!.identification.serial_number).toBe(90001234);
    // Wrong profiles score clearly lower than the right one.
    for (const f of findings) expect(f.scores[1]!.score).toBeLessThan(f.match!.score);

    const yaml = toSiteYaml(findings, { description: `${pty.b} 115200 8N1` });
    const pasted = parse(yaml) as {
      meters: { id: string; profile: string; unitId: number; serialNumber?: string }[];
    };
    expect(pasted.meters).toEqual([
      { id: "meter-2", profile: "meatrol/mp440", unitId: 2, serialNumber: "90001234" },
      { id: "meter-5", profile: "eastron/sdm630", unitId: 5, serialNumber: expect.any(String) },
      { id: "meter-7", profile: "chint/dtsu666", unitId: 7 },
      { id: "meter-9", profile: "carlo-gavazzi/em24", unitId: 9 },
    ]);
    expect(yaml).toMatch(/# score \d+%: /);
  });

  it("finds the unit ids behind a Modbus TCP gateway and writes host and port", async () => {
    const site = tcpSite([{ id: "x", profile: "meatrol/me237", unitId: 3 }], { live: "1s" });
    const sim = new Simulator({ site, seed: 2 });
    await sim.start();
    cleanups.push(() => sim.stop());
    const port = sim.siteForClients().meters[0]!.port!;
    const transport = new TcpTransport({
      host: "127.0.0.1",
      port,
      connectTimeoutMs: 1000,
      responseTimeoutMs: 80,
      reconnectDelayMs: 100,
      reconnectDelayMaxMs: 1000,
      retries: 0,
      halfOpenTimeouts: 1000,
    });
    cleanups.push(() => transport.close());
    const findings = await scan(transport, { units: [1, 2, 3, 4], timeoutMs: 80, profiles });
    expect(findings.map((f) => [f.unitId, f.match?.profileId])).toEqual([[3, "meatrol/me237"]]);
    const pasted = parse(toSiteYaml(findings, { host: "127.0.0.1", port, description: "here" })) as {
      meters: unknown[];
    };
    expect(pasted.meters).toEqual([
      { id: "meter-3", profile: "meatrol/me237", unitId: 3, host: "127.0.0.1", port },
    ]);
    expect(transport.connects).toBe(1);
  });

  it("lists a unit that answers but matches no profile as a comment", async () => {
    const site = tcpSite([{ id: "x", profile: "meatrol/mp440", unitId: 1 }], { live: "1s" });
    const sim = new Simulator({ site, seed: 2 });
    await sim.start();
    cleanups.push(() => sim.stop());
    // Every measured value implausible: no profile should claim it.
    sim.meter("x").inject({ kind: "nan" });
    const transport = new TcpTransport({
      host: "127.0.0.1",
      port: sim.siteForClients().meters[0]!.port!,
      connectTimeoutMs: 1000,
      responseTimeoutMs: 80,
      reconnectDelayMs: 100,
      reconnectDelayMaxMs: 1000,
      retries: 0,
    });
    cleanups.push(() => transport.close());
    const findings = await scan(transport, { units: [1], timeoutMs: 80, profiles });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.match).toBeUndefined();
    const yaml = toSiteYaml(findings, { description: "here" });
    expect(yaml).toMatch(/# unit 1 answers but no profile explains its registers/);
    expect(parse(yaml)).toEqual({ meters: null });
  });

  it("parses unit id lists and ranges", () => {
    expect(parseUnits("1-3,7, 9-10")).toEqual([1, 2, 3, 7, 9, 10]);
    expect(parseUnits("247")).toEqual([247]);
    expect(() => parseUnits("0-3")).toThrow(/1–247/);
    expect(() => parseUnits("5-2")).toThrow(RangeError);
    expect(() => parseUnits("x")).toThrow(/not a unit id/);
  });
});
