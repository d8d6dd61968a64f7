// A simulated meter in process: consistent values, determinism, energy counters, the register
// map's exceptions, writes, pins and every fault, checked through the real decoder.
import { describe, expect, it } from "vitest";
import { decodeRegister } from "../../engine/decode/index.js";
import type { QuantityName, ResolvedRegister } from "../../engine/model.js";
import { SimulatedMeter, type MeterReply } from "../../engine/sim/simulated-meter.js";
import { mp440, profile, register, scaledIntegers, sdm630 } from "./fixtures.js";

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);

function readPdu(fn: number, start: number, count: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu[0] = fn;
  pdu.writeUInt16BE(start, 1);
  pdu.writeUInt16BE(count, 3);
  return pdu;
}

function words(reply: MeterReply): number[] {
  if (reply.action !== "reply") throw new Error(`no reply: ${reply.action}`);
  const out: number[] = [];
  for (let i = 2; i + 1 < reply.pdu.length; i += 2) out.push(reply.pdu.readUInt16BE(i));
  return out;
}

function exceptionOf(reply: MeterReply): number | undefined {
  if (reply.action !== "reply" || ((reply.pdu[0] ?? 0) & 0x80) === 0) return undefined;
  return reply.pdu[1];
}

/** Reads one register through the meter and decodes it with the engine's decoder. */
function readQuantity(meter: SimulatedMeter, quantity: QuantityName): number | string | null {
  const reg = meter.profile.registers.find((r) => r.quantity === quantity) as ResolvedRegister;
  const fn = reg.function === "holding" ? 3 : 4;
  return decodeRegister(reg, words(meter.handle(readPdu(fn, reg.address, reg.count)))).value;
}

function makeMeter(clock: { t: number }, seed = 7, profileOf = mp440()): SimulatedMeter {
  return new SimulatedMeter({ id: "m1", profile: profileOf, unitId: 1, seed, now: () => clock.t });
}

describe("simulated values", () => {
  it("are physically consistent at any time of day", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock);
    for (let hour = 0; hour < 24; hour += 1.7) {
      clock.t = T0 + hour * 3_600_000;
      const v = meter.values() as Record<string, number>;
      for (const phase of ["l1", "l2", "l3"]) {
        expect(Math.abs((v[`voltage_${phase}`] ?? 0) / 230 - 1)).toBeLessThanOrEqual(0.02);
      }
      expect(v.voltage_l1_l2).toBeCloseTo(
        (Math.sqrt(3) * ((v.voltage_l1 ?? 0) + (v.voltage_l2 ?? 0))) / 2,
        6,
      );
      expect(v.power_factor_total).toBeGreaterThanOrEqual(0.85);
      expect(v.power_factor_total).toBeLessThanOrEqual(0.99);
      expect(Math.abs((v.frequency ?? 0) - 50)).toBeLessThan(0.1);
      expect(v.current_l1).toBeGreaterThan(0);
      expect(v.current_avg).toBeCloseTo(
        ((v.current_l1 ?? 0) + (v.current_l2 ?? 0) + (v.current_l3 ?? 0)) / 3,
        9,
      );
      expect(v.active_power_total).toBeCloseTo(
        (v.active_power_l1 ?? 0) + (v.active_power_l2 ?? 0) + (v.active_power_l3 ?? 0),
        6,
      );
      // S² = P² + Q² on the totals too, since every phase is inductive.
      const s = v.apparent_power_total ?? 0;
      expect(s).toBeGreaterThan(v.active_power_total ?? 0);
      expect(v.power_factor_total).toBeCloseTo((v.active_power_total ?? 0) / s, 9);
    }
  });

  it("compute P = V·I·PF per phase (checked on the model)", () => {
    const meter = makeMeter({ t: T0 });
    const state = meter.model.at(T0 + 123_456);
    const clock = { t: T0 + 123_456 };
    const same = makeMeter(clock);
    const v = same.values() as Record<string, number>;
    expect(v.active_power_l2).toBeCloseTo(state.voltage[1] * state.current[1] * state.powerFactor[1], 6);
  });

  it("follow a daily pattern: the afternoon draws more than the night", () => {
    const clock = { t: Date.UTC(2026, 11, 4, 3) };
    const meter = makeMeter(clock);
    const night = meter.values().current_l1 as number;
    clock.t = Date.UTC(2026, 11, 4, 15);
    expect(meter.values().current_l1 as number).toBeGreaterThan(night * 1.5);
  });

  it("are deterministic for a seed and differ between seeds and meters", () => {
    const a = makeMeter({ t: T0 }, 42);
    const b = makeMeter({ t: T0 }, 42);
    const c = makeMeter({ t: T0 }, 43);
    const read = (m: SimulatedMeter): number[] => words(m.handle(readPdu(3, 1000, 36)));
    expect(read(a)).toEqual(read(b));
    expect(read(a)).not.toEqual(read(c));
    const other = new SimulatedMeter({ id: "m2", profile: mp440(), unitId: 2, seed: 42, now: () => T0 });
    expect(read(other)).not.toEqual(read(a));
  });

  it("round-trip through the engine's decoder, units converted (kW and Wh registers)", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock);
    const truth = meter.values() as Record<string, number>;
    const power = readQuantity(meter, "active_power_total") as number;
    expect(power / (truth.active_power_total ?? 1)).toBeCloseTo(1, 6);
    const energy = readQuantity(meter, "active_energy_import") as number;
    // s64 Wh: 1 Wh resolution.
    expect(Math.abs(energy - (truth.active_energy_import ?? 0))).toBeLessThanOrEqual(0.001);
    expect(readQuantity(meter, "serial_number")).toBeGreaterThan(0);
  });

  it("serves integer registers scaled and strings as text", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock, 7, scaledIntegers());
    const v = meter.values() as Record<string, number | string>;
    expect(readQuantity(meter, "voltage_l1")).toBeCloseTo(v.voltage_l1 as number, 1);
    expect(readQuantity(meter, "active_energy_import")).toBeCloseTo(v.active_energy_import as number, 2);
    expect(readQuantity(meter, "serial_number")).toMatch(/^\d{8}$/);
  });
});

describe("energy counters", () => {
  it("grow with power and never run backwards", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock);
    let previous = readQuantity(meter, "active_energy_import") as number;
    const start = previous;
    let seed = 1;
    for (let i = 0; i < 300; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      clock.t += 100 + (seed % 20_000);
      const now = readQuantity(meter, "active_energy_import") as number;
      expect(now).toBeGreaterThanOrEqual(previous);
      previous = now;
    }
    // ≈ mean power × elapsed time (P total stays within a factor 3 of its start over the hour or so).
    const hours = (clock.t - T0) / 3_600_000;
    const p = (meter.values().active_power_total as number) / 1000;
    const grown = previous - start;
    expect(grown).toBeGreaterThan((p * hours) / 3);
    expect(grown).toBeLessThan(p * hours * 3);
  });

  it("integrate the same whatever the read rate", () => {
    const fine = { t: T0 };
    const coarse = { t: T0 };
    const a = makeMeter(fine);
    const b = makeMeter(coarse);
    for (let i = 0; i < 600; i++) {
      fine.t += 1000;
      a.values();
    }
    coarse.t = fine.t;
    const ea = a.values().active_energy_import as number;
    const eb = b.values().active_energy_import as number;
    expect(ea).toBeCloseTo(eb, 6);
  });

  it("restart from zero after an injected counter reset, then grow again", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock);
    expect(readQuantity(meter, "active_energy_import")).toBeGreaterThan(1000);
    meter.inject({ kind: "counter-reset" });
    expect(meter.faults()).toEqual([]);
    const after = readQuantity(meter, "active_energy_import") as number;
    expect(after).toBeLessThan(0.01);
    clock.t += 3_600_000;
    expect(readQuantity(meter, "active_energy_import")).toBeGreaterThan(after + 1);
  });

  it("jump to a value set by a test and keep counting", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock);
    meter.set("active_energy_import", 500);
    expect(readQuantity(meter, "active_energy_import")).toBeCloseTo(500, 2);
    clock.t += 60_000;
    expect(readQuantity(meter, "active_energy_import")).toBeGreaterThan(500);
  });
});

describe("pinned values", () => {
  it("hold until released", () => {
    const clock = { t: T0 };
    const meter = makeMeter(clock);
    meter.set("voltage_l1", 241.5);
    expect(readQuantity(meter, "voltage_l1")).toBeCloseTo(241.5, 4);
    clock.t += 3_600_000;
    expect(readQuantity(meter, "voltage_l1")).toBeCloseTo(241.5, 4);
    expect(meter.pins()).toEqual({ voltage_l1: 241.5 });
    meter.unset("voltage_l1");
    expect(readQuantity(meter, "voltage_l1")).not.toBeCloseTo(241.5, 4);
  });
});

describe("register map", () => {
  const meter = makeMeter({ t: T0 });

  it("answers exception 02 outside the profile's map", () => {
    expect(exceptionOf(meter.handle(readPdu(3, 3000, 2)))).toBe(2);
    expect(exceptionOf(meter.handle(readPdu(3, 1070, 10)))).toBe(2); // runs past 1075
    expect(exceptionOf(meter.handle(readPdu(4, 1000, 2)))).toBe(2); // holding map, read as input
  });

  it("reads through small gaps (what the planner merges) as zeros", () => {
    // 1016–1019 are not in the fixture profile: a 4-register gap ≤ maxGapRegisters (8).
    const w = words(meter.handle(readPdu(3, 1014, 8)));
    expect(w.slice(2, 6)).toEqual([0, 0, 0, 0]);
    expect(exceptionOf(meter.handle(readPdu(3, 1000, 60)))).toBeUndefined();
    // 1060–1073 is a 14-register gap: a meter need not answer it.
    expect(exceptionOf(meter.handle(readPdu(3, 1000, 76)))).toBe(2);
  });

  it("answers 03 for more than 125 registers or more than the profile allows", () => {
    expect(exceptionOf(meter.handle(readPdu(3, 1000, 126)))).toBe(3);
    const limited = makeMeter({ t: T0 }, 7, {
      ...mp440(),
      limits: { ...mp440().limits, maxRegistersPerRead: 16 },
    });
    expect(exceptionOf(limited.handle(readPdu(3, 1000, 16)))).toBeUndefined();
    expect(exceptionOf(limited.handle(readPdu(3, 1000, 18)))).toBe(3);
  });

  it("refuses noReadAcross holes and odd reads of an even-aligned meter", () => {
    const sdm = makeMeter({ t: T0 }, 7, sdm630());
    expect(exceptionOf(sdm.handle(readPdu(4, 0, 14)))).toBeUndefined();
    expect(exceptionOf(sdm.handle(readPdu(4, 12, 4)))).toBe(2); // 14–15 is a hole
    expect(exceptionOf(sdm.handle(readPdu(4, 16, 2)))).toBe(2); // 16 is past the span before 52
    expect(exceptionOf(sdm.handle(readPdu(4, 1, 2)))).toBe(2); // odd start
    expect(exceptionOf(sdm.handle(readPdu(3, 0, 2)))).toBe(2); // FC03 on an input-only map
  });

  it("answers 01 to a function it does not implement", () => {
    expect(exceptionOf(meter.handle(Buffer.from([0x2b, 0x0e, 0x01, 0x00])))).toBe(1);
    expect(exceptionOf(meter.handle(Buffer.from([0x01, 0x00, 0x00, 0x00, 0x08])))).toBe(1);
  });

  it("accepts writes to mapped holding registers and serves them back", () => {
    const m = makeMeter({ t: T0 });
    const reply = m.handle(Buffer.from([0x06, 0x00, 70, 0x12, 0x34]));
    expect(reply.action === "reply" && reply.pdu).toEqual(Buffer.from([0x06, 0x00, 70, 0x12, 0x34]));
    expect(words(m.handle(readPdu(3, 70, 2)))[0]).toBe(0x1234);
    expect(exceptionOf(m.handle(Buffer.from([0x06, 0x0b, 0xb8, 0, 1])))).toBe(2);
    const multi = m.handle(Buffer.from([0x10, 0x03, 0xe8, 0x00, 0x02, 0x04, 0, 1, 0, 2]));
    expect(multi.action === "reply" && multi.pdu).toEqual(Buffer.from([0x10, 0x03, 0xe8, 0x00, 0x02]));
  });
});

describe("faults", () => {
  const reg = (m: SimulatedMeter, q: QuantityName): ResolvedRegister =>
    m.profile.registers.find((r) => r.quantity === q) as ResolvedRegister;

  it("timeout, delay and dropped connection change what the server does", () => {
    const m = makeMeter({ t: T0 });
    m.inject({ kind: "timeout" });
    expect(m.handle(readPdu(3, 1000, 2)).action).toBe("silence");
    m.clear().inject({ kind: "delay", ms: 250 });
    const slow = m.handle(readPdu(3, 1000, 2));
    expect(slow.action === "reply" && slow.delayMs).toBe(250);
    m.inject({ kind: "drop-connection" });
    expect(m.handle(readPdu(3, 1000, 2)).action).toBe("drop");
    m.clear("drop-connection");
    expect(m.faults()).toEqual([{ kind: "delay", ms: 250 }]);
  });

  it("corrupt CRC, unit id and byte count on demand", () => {
    const m = makeMeter({ t: T0 });
    m.inject({ kind: "bad-crc" }).inject({ kind: "wrong-unit-id" }).inject({ kind: "wrong-byte-count" });
    const reply = m.handle(readPdu(3, 1000, 4));
    expect(reply.action).toBe("reply");
    if (reply.action !== "reply") return;
    expect(reply.corruptCrc).toBe(true);
    expect(reply.unitId).toBe(2);
    expect(reply.pdu[1]).toBe(6);
    expect(reply.pdu.length).toBe(2 + 6);
  });

  it("answer the exception asked for", () => {
    const m = makeMeter({ t: T0 });
    m.inject({ kind: "exception", code: 6 });
    expect(exceptionOf(m.handle(readPdu(3, 1000, 2)))).toBe(6);
    expect(m.stats().exceptions).toBe(1);
  });

  it("serve NaN and out-of-range values that the decoder flags", () => {
    const m = makeMeter({ t: T0 });
    m.inject({ kind: "nan", quantity: "current_l1" });
    expect(decodeRegister(reg(m, "current_l1"), words(m.handle(readPdu(3, 1000, 2))))).toEqual({
      value: null,
      quality: "invalid",
    });
    expect(readQuantity(m, "current_l2")).not.toBeNull();
    m.clear().inject({ kind: "out-of-range" });
    expect(readQuantity(m, "voltage_l1")).toBe(9999);
    expect(readQuantity(m, "voltage_l3")).toBe(9999);
    expect(readQuantity(m, "current_l1")).toBeLessThan(1000);
  });

  it("serve the sentinel (or all ones) for NaN in integer registers", () => {
    const m = makeMeter({ t: T0 }, 7, scaledIntegers());
    m.inject({ kind: "nan" });
    expect(words(m.handle(readPdu(3, 0, 4)))).toEqual([0xffff, 0xffff, 0xffff, 0xffff]);
    expect(readQuantity(m, "current_l1")).toBeNull();
  });

  it("clear themselves after `times` requests", () => {
    const m = makeMeter({ t: T0 });
    m.inject({ kind: "timeout", times: 2 });
    expect(m.handle(readPdu(3, 1000, 2)).action).toBe("silence");
    expect(m.faults()).toEqual([{ kind: "timeout", times: 1 }]);
    expect(m.handle(readPdu(3, 1000, 2)).action).toBe("silence");
    expect(m.handle(readPdu(3, 1000, 2)).action).toBe("reply");
    expect(m.stats()).toMatchObject({ requests: 3, replies: 1, faulted: 2 });
  });
});

describe("even-aligned meters", () => {
  it("answer the register pair around a single-register quantity", () => {
    const p = profile(
      "test/even",
      [register({ quantity: "voltage_l1", address: 5, type: "u16", count: 1 })],
      {
        evenAlignment: true,
      },
    );
    const m = new SimulatedMeter({ id: "e", profile: p, unitId: 1, now: () => T0 });
    expect(exceptionOf(m.handle(readPdu(3, 4, 2)))).toBeUndefined();
    expect(exceptionOf(m.handle(readPdu(3, 6, 2)))).toBe(2);
  });
});
