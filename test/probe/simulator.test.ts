// `ampx probe` against the simulator: every shipped profile's meter, served over Modbus TCP (and one over
// RTU on a socat pty), must be read back at the profile's own address, type, word order and scale.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadProfiles } from "../../engine/config/index.js";
import { unitFactor } from "../../engine/decode/index.js";
import type { ResolvedProfile, ResolvedRegister, ResolvedSite, WordOrder } from "../../engine/model.js";
import { formatProbe, probe, ProbeError } from "../../engine/probe/index.js";
import { createPtyPair, Simulator } from "../../engine/sim/index.js";
import { RtuTransport, TcpTransport } from "../../engine/transport/index.js";
import type { Transport } from "../../engine/transport/index.js";
import { loadTestSite } from "../budget/site.js";

const { profiles } = loadProfiles();

/** One meter of `profile` on a TCP site at a free port of 127.0.0.1. */
function tcpSite(profile: ResolvedProfile): ResolvedSite {
  const site = loadTestSite({
    transport: { type: "tcp" },
    meters: [{ id: "m", profile: "eastron/sdm630", host: "127.0.0.1", port: 1502, unitId: 1 }],
  });
  return { ...site, meters: site.meters.map((m) => ({ ...m, profile, port: 0 })) };
}

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

async function serve(profile: ResolvedProfile): Promise<Transport> {
  const simulator = new Simulator({ site: tcpSite(profile), seed: 7 });
  const [endpoint] = await simulator.start();
  running.push(simulator);
  if (endpoint?.transport !== "tcp") throw new Error("tcp endpoint expected");
  const transport = new TcpTransport({
    host: endpoint.host,
    port: endpoint.port,
    connectTimeoutMs: 1000,
    responseTimeoutMs: 500,
    reconnectDelayMs: 100,
    reconnectDelayMaxMs: 200,
    retries: 0,
  });
  running.push({ stop: () => transport.close() });
  return transport;
}

/** What probing is for: the first voltage and the frequency; else (no such register) the first phase quantity. */
function probeTargets(profile: ResolvedProfile): ResolvedRegister[] {
  const voltage = profile.registers.find((r) => /^voltage_l\d(_l\d)?$/.test(r.quantity));
  const frequency = profile.registers.find((r) => r.quantity === "frequency");
  const strong = [voltage, frequency].filter((r) => r !== undefined);
  if (strong.length > 0) return strong;
  return profile.registers.filter((r) => r.kind === "instantaneous").slice(0, 1);
}

function expectFound(
  profile: ResolvedProfile,
  reg: ResolvedRegister,
  best: Awaited<ReturnType<typeof probe>>["candidates"][number] | undefined,
): void {
  const what = `${profile.id} ${reg.quantity} at ${reg.address}`;
  expect(best?.plausible, what).toBe(true);
  expect(best?.address, what).toBe(reg.address);
  expect(best?.types, what).toContain(reg.type);
  expect(best?.wordOrders, what).toContain(reg.wordOrder);
}

describe("ampx probe finds each shipped profile's layout in its simulated meter", () => {
  const ids = [...profiles.keys()].sort();

  it("ships profiles to probe", () => {
    expect(ids.length).toBeGreaterThanOrEqual(7);
  });

  it.each(ids)("%s", async (id) => {
    const profile = profiles.get(id)!;
    const transport = await serve(profile);
    const targets = probeTargets(profile);
    expect(targets.length).toBeGreaterThan(0);
    for (const reg of targets) {
      const result = await probe(transport, {
        unitId: 1,
        function: reg.function,
        address: reg.address,
        quantity: reg.quantity,
      });
      expectFound(profile, reg, result.candidates[0]);
      // Voltages and frequencies also settle the scale (a power in kW is indistinguishable from one in W).
      if (/^(voltage|frequency)/.test(reg.quantity)) {
        expect(result.candidates[0]!.scale).toBeCloseTo(
          reg.multiplier * unitFactor(reg.unit, reg.canonicalUnit)!,
          9,
        );
      }
    }
  });
});

describe("probe settles word order and off-by-one questions", () => {
  const mp440 = profiles.get("meatrol/mp440")!;
  const voltage = mp440.registers.find((r) => r.quantity === "voltage_l1")!;

  it.each(["ABCD", "CDAB", "BADC", "DCBA"] as const)(
    "a meter whose floats are %s",
    async (order: WordOrder) => {
      const variant: ResolvedProfile = {
        ...mp440,
        registers: mp440.registers.map((r) => ({ ...r, wordOrder: order })),
      };
      const transport = await serve(variant);
      const result = await probe(transport, {
        unitId: 1,
        function: "holding",
        address: voltage.address,
        quantity: "voltage_l1",
      });
      expectFound(variant, { ...voltage, wordOrder: order }, result.candidates[0]);
    },
  );

  it("a 16-bit frequency asked for one register too high", async () => {
    // One too low would land on 0x36, a register the EM24 map leaves out and the simulator answers as 0: a
    // u32 [0, 500] reads 50.0 Hz there as well, which the probe rightly calls ambiguous.
    const em24 = profiles.get("carlo-gavazzi/em24")!;
    const frequency = em24.registers.find((r) => r.quantity === "frequency")!;
    expect(frequency.count).toBe(1);
    const transport = await serve(em24);
    const result = await probe(transport, {
      unitId: 1,
      function: frequency.function,
      address: frequency.address + 1,
      quantity: "frequency",
    });
    expect(result.candidates[0]).toMatchObject({
      address: frequency.address,
      scale: frequency.multiplier,
      plausible: true,
    });
  });

  it("a float asked for one register too high: the right reading is listed and the ambiguity is said", async () => {
    const transport = await serve(mp440);
    const result = await probe(transport, {
      unitId: 1,
      function: "holding",
      address: voltage.address + 1,
      quantity: "voltage_l1",
    });
    const right = result.candidates
      .slice(0, 3)
      .find((c) => c.address === voltage.address && c.wordOrders.includes("ABCD") && c.types.includes("f32"));
    expect(right?.plausible).toBe(true);
    expect(formatProbe(result)).toMatch(/cannot tell an address offset from a word swap/);
  });
});

describe("probe errors", () => {
  it("says the meter refused when every address is unknown to it", async () => {
    const transport = await serve(profiles.get("meatrol/mp440")!);
    const error = await probe(transport, {
      unitId: 1,
      function: "input",
      address: 30_000,
      quantity: "voltage_l1",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).code).toBe("PROBE_E_REFUSED");
  });
});

describe("probe over RS485 (socat pty, 19200 8E1)", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of cleanup.reverse()) await stop();
  });

  it("reads over the RTU transport, and reports a unit that does not answer", async () => {
    const pty = await createPtyPair();
    cleanup.push(() => pty.close());
    const site = loadTestSite({
      transport: { type: "rtu", port: pty.clientEnd, baudRate: 19200, parity: "even" },
      meters: [{ id: "m", profile: "meatrol/mp440", unitId: 7 }],
    });
    const simulator = new Simulator({ site, rtuPort: pty.simulatorEnd });
    await simulator.start();
    cleanup.push(() => simulator.stop());
    if (site.transport.type !== "rtu") throw new Error("rtu expected");
    const transport = new RtuTransport({ ...site.transport, responseTimeoutMs: 150, retries: 0 });
    cleanup.push(() => transport.close());
    const frequency = site.meters[0]!.profile.registers.find((r) => r.quantity === "frequency")!;
    const result = await probe(transport, {
      unitId: 7,
      function: "holding",
      address: frequency.address,
      quantity: "frequency",
    });
    expectFound(site.meters[0]!.profile, frequency, result.candidates[0]);
    const silent = await probe(transport, {
      unitId: 8,
      function: "holding",
      address: frequency.address,
      quantity: "frequency",
    }).catch((e: unknown) => e);
    expect((silent as ProbeError).code).toBe("PROBE_E_NO_ANSWER");
  });
});
