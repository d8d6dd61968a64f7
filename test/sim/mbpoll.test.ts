// Interoperability: mbpoll (Debian's C Modbus master, built on libmodbus) reads the simulator over
// TCP and over RTU through a socat pty, and gets exactly the values the simulator holds.
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuantityName, ResolvedProfile } from "../../engine/model.js";
import { Simulator } from "../../engine/sim/simulator.js";
import { freePort } from "../helpers/free-port.js";
import { openPtyPair, type PtyPair } from "../helpers/pty.js";
import { mp440, meter, rtuSite, sdm630, tcpSite } from "./fixtures.js";

const T0 = Date.UTC(2026, 11, 4, 14, 30);

interface MbpollResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Reference number → printed value. */
  values: Map<number, number>;
}

function mbpoll(args: string[]): Promise<MbpollResult> {
  return new Promise((resolve) => {
    execFile("mbpoll", args, { timeout: 10_000 }, (error, stdout, stderr) => {
      const values = new Map<number, number>();
      for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)) {
        values.set(Number(match[1]), Number(match[2]));
      }
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr, values });
    });
  });
}

/** The profile with every float stored low word first, as mbpoll reads floats without -B. */
function lowWordFirst(profile: ResolvedProfile): ResolvedProfile {
  return {
    ...profile,
    id: "test/mp440-cdab",
    registers: profile.registers.map((r) => (r.type === "f32" ? { ...r, wordOrder: "CDAB" } : r)),
  };
}

/** Values agree to float32 precision as mbpoll prints them (6 significant digits). */
function expectClose(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-5 + 1e-4);
}

describe("mbpoll over Modbus TCP", () => {
  let sim: Simulator;
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    sim = new Simulator({
      site: tcpSite([
        meter("abcd", mp440(), 1, { host: "127.0.0.1", port }),
        meter("cdab", lowWordFirst(mp440()), 2, { host: "127.0.0.1", port }),
        meter("fc04", sdm630(), 3, { host: "127.0.0.1", port }),
      ]),
      seed: 11,
      now: () => T0,
    });
    await sim.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("reads low-word-first floats with mbpoll's default command (1-based references)", async () => {
    const r = await mbpoll([
      "-m",
      "tcp",
      "-a",
      "2",
      "-r",
      "1001",
      "-c",
      "2",
      "-t",
      "4:float",
      "-1",
      "-p",
      `${port}`,
      "127.0.0.1",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const truth = sim.meter("cdab").values();
    expectClose(r.values.get(1001), truth.current_l1 as number);
    expectClose(r.values.get(1003), truth.current_l2 as number);
  });

  it("reads big-endian floats with -B and 0-based references with -0", async () => {
    const r = await mbpoll([
      "-m",
      "tcp",
      "-a",
      "1",
      "-0",
      "-r",
      "1010",
      "-c",
      "3",
      "-t",
      "4:float",
      "-B",
      "-1",
      "-p",
      `${port}`,
      "127.0.0.1",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const truth = sim.meter("abcd").values();
    for (const [ref, q] of [
      [1010, "voltage_l1"],
      [1012, "voltage_l2"],
      [1014, "voltage_l3"],
    ] as const) {
      expectClose(r.values.get(ref), truth[q as QuantityName] as number);
    }
  });

  it("reads input registers (FC04) and 32-bit integers", async () => {
    const input = await mbpoll([
      "-a",
      "3",
      "-0",
      "-r",
      "52",
      "-c",
      "1",
      "-t",
      "3:float",
      "-B",
      "-1",
      "-p",
      `${port}`,
      "127.0.0.1",
    ]);
    expect(input.code, input.stderr).toBe(0);
    expectClose(input.values.get(52), sim.meter("fc04").values().active_power_total as number);
    const serial = await mbpoll([
      "-a",
      "1",
      "-0",
      "-r",
      "70",
      "-c",
      "1",
      "-t",
      "4:int",
      "-B",
      "-1",
      "-p",
      `${port}`,
      "127.0.0.1",
    ]);
    expect(serial.code, serial.stderr).toBe(0);
    expect(serial.values.get(70)).toBe(sim.meter("abcd").values().serial_number);
  });

  it("sees a value set through the control API", async () => {
    sim.meter("abcd").set("active_power_total", 12345.5);
    try {
      const r = await mbpoll([
        "-a",
        "1",
        "-0",
        "-r",
        "1034",
        "-c",
        "1",
        "-t",
        "4:float",
        "-B",
        "-1",
        "-p",
        `${port}`,
        "127.0.0.1",
      ]);
      // The profile stores kW: 12345.5 W is 12.3455 kW on the wire.
      expectClose(r.values.get(1034), 12.3455);
    } finally {
      sim.meter("abcd").unset();
    }
  });

  it("gets illegal data address for a hole and an injected device failure", async () => {
    const hole = await mbpoll([
      "-a",
      "3",
      "-0",
      "-r",
      "14",
      "-c",
      "2",
      "-t",
      "3",
      "-1",
      "-p",
      `${port}`,
      "127.0.0.1",
    ]);
    expect(hole.code).not.toBe(0);
    expect(hole.stderr).toMatch(/Illegal data address/i);
    sim.meter("abcd").inject({ kind: "exception", code: 4 });
    try {
      const failed = await mbpoll([
        "-a",
        "1",
        "-0",
        "-r",
        "1000",
        "-c",
        "2",
        "-t",
        "4",
        "-1",
        "-p",
        `${port}`,
        "127.0.0.1",
      ]);
      expect(failed.stderr).toMatch(/Slave device or server failure/i);
    } finally {
      sim.meter("abcd").clear();
    }
  });
});

describe("mbpoll over Modbus RTU through a socat pty", () => {
  let pty: PtyPair;
  let sim: Simulator;

  beforeAll(async () => {
    pty = await openPtyPair();
    sim = new Simulator({
      site: rtuSite([meter("m1", mp440(), 1), meter("m5", lowWordFirst(mp440()), 5)], pty.a),
      seed: 12,
      now: () => T0,
      wireTime: true,
    });
    await sim.start();
  });

  afterAll(async () => {
    await sim.stop();
    await pty.close();
  });

  it("reads floats with mbpoll's RTU command at 9600 8N1, wire time emulated", async () => {
    const r = await mbpoll([
      "-m",
      "rtu",
      "-b",
      "9600",
      "-P",
      "none",
      "-a",
      "5",
      "-r",
      "1011",
      "-c",
      "2",
      "-t",
      "4:float",
      "-1",
      pty.b,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const truth = sim.meter("m5").values();
    expectClose(r.values.get(1011), truth.voltage_l1 as number);
    expectClose(r.values.get(1013), truth.voltage_l2 as number);
  });

  it("reads 64-bit energy as four raw registers that add up to the counter", async () => {
    const r = await mbpoll([
      "-m",
      "rtu",
      "-b",
      "9600",
      "-P",
      "none",
      "-a",
      "1",
      "-0",
      "-r",
      "2512",
      "-c",
      "4",
      "-t",
      "4",
      "-1",
      pty.b,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const words = [2512, 2513, 2514, 2515].map((ref) => r.values.get(ref) ?? NaN);
    const wh = words.reduce((acc, w) => acc * 65536 + (w < 0 ? w + 65536 : w), 0);
    expect(
      Math.abs(wh / 1000 - (sim.meter("m1").values().active_energy_import as number)),
    ).toBeLessThanOrEqual(0.001);
  });

  it("reports an exception and a corrupted CRC", async () => {
    const hole = await mbpoll([
      "-m",
      "rtu",
      "-b",
      "9600",
      "-P",
      "none",
      "-a",
      "1",
      "-0",
      "-r",
      "5000",
      "-c",
      "2",
      "-1",
      pty.b,
    ]);
    expect(hole.stderr).toMatch(/Illegal data address/i);
    sim.meter("m1").inject({ kind: "bad-crc" });
    try {
      const bad = await mbpoll([
        "-m",
        "rtu",
        "-b",
        "9600",
        "-P",
        "none",
        "-a",
        "1",
        "-0",
        "-r",
        "1000",
        "-c",
        "2",
        "-1",
        "-o",
        "0.5",
        pty.b,
      ]);
      expect(bad.code).not.toBe(0);
      expect(bad.values.size).toBe(0);
      expect(bad.stderr).toMatch(/CRC/i);
    } finally {
      sim.meter("m1").clear();
    }
  });
});
