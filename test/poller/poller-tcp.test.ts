import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { MeterHealth, ResolvedSite } from "../../engine/model.js";
import { Poller } from "../../engine/poller/index.js";
import type { PollerOptions } from "../../engine/poller/index.js";
import { Simulator } from "../../engine/sim/index.js";
import type { Fault } from "../../engine/sim/index.js";
import { tcpSite } from "../helpers/site.js";
import type { TestMeter } from "../helpers/site.js";
import { Recorder, lateness, median } from "./recorder.js";
import { WarpClock } from "./warp-clock.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function simulate(meters: TestMeter[], pollClasses: Record<string, string>, transport = {}) {
  const sim = new Simulator({ site: tcpSite(meters, pollClasses, transport), seed: 7 });
  await sim.start();
  cleanups.push(() => sim.stop());
  return { sim, site: sim.siteForClients() };
}

function poll(site: ResolvedSite, options: PollerOptions = {}) {
  const poller = new Poller(site, { offlineBackoffMs: 300, offlineBackoffMaxMs: 600, ...options });
  const recorder = new Recorder(poller);
  cleanups.push(() => poller.stop());
  return { poller, recorder };
}

const healthOf = (poller: Poller, id: string): MeterHealth => poller.health().find((h) => h.meterId === id)!;

describe("Poller over Modbus TCP against the simulator", () => {
  it("reads every quantity of every meter once, with the values the meters serve", async () => {
    const { sim, site } = await simulate(
      [
        { id: "main", profile: "meatrol/mp440" },
        { id: "hvac", profile: "meatrol/me631", unitId: 4 },
        { id: "pv", profile: "eastron/sdm630", unitId: 2 },
      ],
      { live: "1s", energy: "10s", identity: "1h" },
    );
    sim.meter("main").set("voltage_l1", 231.5).set("active_power_total", 12_345);
    sim.meter("pv").set("frequency", 49.75);
    const { poller } = poll(site);
    const before = Date.now();
    const samples = await poller.pollOnce();
    const after = Date.now();
    for (const meter of site.meters) {
      const quantities = samples.filter((s) => s.meterId === meter.id).map((s) => s.quantity);
      expect(quantities.sort(), meter.id).toEqual(meter.profile.registers.map((r) => r.quantity).sort());
    }
    const value = (meterId: string, quantity: string) =>
      samples.find((s) => s.meterId === meterId && s.quantity === quantity);
    expect(value("main", "voltage_l1")).toMatchObject({ value: 231.5, unit: "V", quality: "good" });
    // 12.345 kW on the wire as float32, converted to W.
    expect(value("main", "active_power_total")).toMatchObject({ unit: "W", quality: "good" });
    expect(value("main", "active_power_total")?.value as number).toBeCloseTo(12_345, 2);
    expect(value("pv", "frequency")?.value).toBeCloseTo(49.75, 4);
    // Unpinned values are what the simulator computes (float32 on the wire).
    const served = sim.meter("hvac").values().power_factor_l1 as number;
    expect(value("hvac", "power_factor_l1")?.value as number).toBeCloseTo(served, 1);
    for (const s of samples) expect(s.timestamp >= before && s.timestamp <= after).toBe(true);
    expect(poller.health().map((h) => h.state)).toEqual(["online", "online", "online"]);
  });

  it("keeps each poll class on its interval without drift", async () => {
    const { site } = await simulate(
      [
        { id: "a", profile: "meatrol/mp440" },
        { id: "b", profile: "meatrol/me631" },
      ],
      {
        live: "200ms",
        energy: "1s",
        identity: "1h",
      },
    );
    const { poller, recorder } = poll(site);
    const started = Date.now();
    poller.start();
    await sleep(2100);
    await poller.stop();
    for (const id of ["a", "b"]) {
      const stamps = recorder.of(id, id === "a" ? "voltage_l1" : "frequency").map((s) => s.timestamp);
      expect(stamps.length, id).toBeGreaterThanOrEqual(10);
      expect(stamps.length, id).toBeLessThanOrEqual(12);
      // Reads fall on the 200 ms grid, late by the time a read takes (generous bounds for a busy CI box).
      const late = lateness(stamps, 200, started);
      expect(median(late), `${id}: ${late.join(" ")}`).toBeLessThan(40);
      expect(Math.max(...late), `${id}: ${late.join(" ")}`).toBeLessThan(150);
    }
    expect(recorder.of("a", "active_energy_import").length).toBeGreaterThanOrEqual(2);
    expect(recorder.of("a", "active_energy_import").length).toBeLessThanOrEqual(3);
    expect(recorder.of("a", "serial_number")).toHaveLength(1);
    expect(healthOf(poller, "a").missedCycles).toBe(0);
  });

  it(
    "does not drift over 100 cycles (virtual time: sleeps are instant, reads take real time)",
    { timeout: 90_000 },
    async () => {
      const { site } = await simulate(
        [
          { id: "a", profile: "meatrol/mp440" },
          { id: "b", profile: "meatrol/me631" },
        ],
        {
          live: "200ms",
          energy: "1s",
          identity: "1h",
        },
      );
      const clock = new WarpClock(2); // two lanes: one per TCP host
      const { poller, recorder } = poll(site, { clock });
      const started = clock.now();
      poller.start();
      // Bounded by wall time, not by a count of polls: on a busy machine the reads (real time) are slower.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && recorder.of("a", "voltage_l1").length < 101) await sleep(5);
      await poller.stop();
      for (const [id, quantity] of [
        ["a", "voltage_l1"],
        ["b", "frequency"],
      ] as const) {
        const stamps = recorder.of(id, quantity).map((s) => s.timestamp);
        const health = JSON.stringify(healthOf(poller, id));
        expect(stamps.length, health).toBeGreaterThanOrEqual(100);
        // Lateness against the grid is bounded by the reads queued at that instant and never adds up;
        // with due = now + interval, 100 cycles of a few ms each would move the phase by hundreds of ms.
        // Medians, so that a read slowed by a busy machine does not decide the outcome.
        const late = lateness(stamps.slice(0, 100), 200, started);
        const trend = median(late.slice(80)) - median(late.slice(0, 20));
        expect(Math.abs(trend), `${id}: ${late.join(" ")}`).toBeLessThan(25);
        expect(median(late), `${id}: ${late.join(" ")}`).toBeLessThan(40);
      }
    },
  );

  it("survives every injected fault: health says what happened, no wrong value, recovery by itself", async () => {
    const faults: Record<string, { fault: Fault; counter: keyof MeterHealth; code: string }> = {
      silent: { fault: { kind: "timeout" }, counter: "timeouts", code: "MODBUS_E_TIMEOUT" },
      slow: { fault: { kind: "delay", ms: 600 }, counter: "timeouts", code: "MODBUS_E_TIMEOUT" },
      wrongunit: {
        fault: { kind: "wrong-unit-id" },
        counter: "invalidResponses",
        code: "MODBUS_E_INVALID_RESPONSE",
      },
      shortread: {
        fault: { kind: "wrong-byte-count" },
        counter: "invalidResponses",
        code: "MODBUS_E_INVALID_RESPONSE",
      },
      busy: { fault: { kind: "exception", code: 6 }, counter: "exceptions", code: "MODBUS_E_EXCEPTION" },
      dropping: {
        fault: { kind: "drop-connection" },
        counter: "connectionErrors",
        code: "MODBUS_E_CONNECTION_LOST",
      },
    };
    const { sim, site } = await simulate(
      [
        { id: "healthy", profile: "meatrol/me631" },
        ...Object.keys(faults).map((id) => ({ id, profile: "meatrol/me631" })),
      ],
      { live: "250ms" },
      { responseTimeout: "200ms", retries: 0 },
    );
    for (const [id, { fault }] of Object.entries(faults)) sim.meter(id).inject(fault);
    const { poller, recorder } = poll(site);
    poller.start();
    await sleep(1600);
    for (const [id, { counter, code }] of Object.entries(faults)) {
      const health = healthOf(poller, id);
      expect(health[counter], `${id} ${counter}`).toBeGreaterThan(0);
      expect(health.lastError?.code, id).toBe(code);
      expect(health.state, id).toBe("offline");
      expect(health.backoffUntil, id).not.toBeNull();
      expect(recorder.meterSamples(id), `${id} must not produce samples`).toHaveLength(0);
      expect(recorder.states.find((s) => s.meterId === id)?.to).toBe("offline");
    }
    expect(recorder.failures.find((f) => f.meterId === "busy")?.error.message).toMatch(
      /exception 6 \(server device busy\)/,
    );
    // The healthy meter kept its schedule: 250 ms over 1.6 s → 7 reads.
    expect(recorder.of("healthy", "frequency").length).toBeGreaterThanOrEqual(6);
    expect(healthOf(poller, "healthy")).toMatchObject({
      state: "online",
      timeouts: 0,
      consecutiveFailures: 0,
    });

    for (const id of Object.keys(faults)) sim.meter(id).clear();
    const cleared = Date.now();
    // Back by themselves within the offline backoff plus a read; up to 5 s on a busy machine.
    for (let waited = 0; waited < 5000; waited += 100) {
      await sleep(100);
      const back = Object.keys(faults).every(
        (id) => healthOf(poller, id).state === "online" && recorder.of(id, "frequency", cleared).length > 0,
      );
      if (back && waited >= 1000) break;
    }
    await poller.stop();
    for (const id of Object.keys(faults)) {
      expect(healthOf(poller, id).state, id).toBe("online");
      expect(recorder.of(id, "frequency", cleared).length, id).toBeGreaterThan(0);
      expect(recorder.states.filter((s) => s.meterId === id).map((s) => s.to)).toEqual(["offline", "online"]);
    }
  });

  it("marks implausible and NaN values by quality, and follows a counter reset", async () => {
    const { sim, site } = await simulate([{ id: "m", profile: "meatrol/mp440" }], {
      live: "1s",
      energy: "1s",
      identity: "1h",
    });
    sim.meter("m").set("active_energy_import", 5000);
    const { poller } = poll(site);
    const first = await poller.pollOnce();
    sim.meter("m").inject({ kind: "out-of-range", quantity: "voltage_l1", value: 9999 });
    sim.meter("m").inject({ kind: "nan", quantity: "frequency" });
    sim.meter("m").inject({ kind: "counter-reset" });
    const second = await poller.pollOnce();
    const find = (samples: typeof first, q: string) => samples.find((s) => s.quantity === q)!;
    expect(find(first, "voltage_l1").quality).toBe("good");
    expect(find(second, "voltage_l1")).toMatchObject({ value: 9999, quality: "out_of_range" });
    expect(find(second, "frequency")).toMatchObject({ value: null, quality: "invalid" });
    expect(find(first, "active_energy_import").value as number).toBeGreaterThanOrEqual(5000);
    expect(find(second, "active_energy_import").value as number).toBeLessThan(1);
    expect(healthOf(poller, "m").state).toBe("online");
  });

  it("reports a host that refuses connections and keeps polling the others", async () => {
    const { site } = await simulate([{ id: "up", profile: "meatrol/me631" }], { live: "200ms" });
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = { ...site.meters[0]!, id: "down", port: deadPort };
    const disabled = { ...site.meters[0]!, id: "spare", enabled: false };
    const { poller, recorder } = poll({ ...site, meters: [...site.meters, down, disabled] });
    poller.start();
    await sleep(1000);
    const health = healthOf(poller, "down");
    expect(health.connectionErrors).toBeGreaterThan(0);
    expect(health.lastError?.code).toBe("MODBUS_E_CONNECT_FAILED");
    expect(health.lastError?.message).toMatch(/connection refused/);
    expect(health.state).toBe("offline");
    expect(healthOf(poller, "spare")).toMatchObject({ state: "disabled", requests: 0 });
    expect(recorder.of("up", "frequency").length).toBeGreaterThanOrEqual(4);
    const stopping = Date.now();
    await poller.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
  });
});
