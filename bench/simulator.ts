// The simulator's own figures: CPU time to answer one block read, and how closely the RS485
// wire-time emulation matches the computed bus time at 9600 baud over a socat pty.
import { performance } from "node:perf_hooks";
import { SerialPort } from "serialport";
import { loadProfiles } from "../engine/config/index.js";
import type { ResolvedSite } from "../engine/model.js";
import { planMeter } from "../engine/plan/index.js";
import { createPtyPair } from "../engine/sim/pty-pair.js";
import { encodeRtu } from "../engine/sim/rtu-frame.js";
import { SimulatedMeter } from "../engine/sim/simulated-meter.js";
import { Simulator } from "../engine/sim/simulator.js";
import { readTransactionTimeMs } from "../engine/sim/wire-time.js";

function cpuPerRead(): void {
  const { profiles } = loadProfiles();
  const profile = profiles.get("meatrol/mp440");
  if (profile === undefined) throw new Error("profile meatrol/mp440 not found");
  const clock = { t: Date.now() };
  const meter = new SimulatedMeter({ id: "bench", profile, unitId: 1, now: () => clock.t });
  const pdus = planMeter(profile).map((b) =>
    Buffer.from([b.function === "holding" ? 3 : 4, b.start >> 8, b.start & 0xff, 0, b.count]),
  );
  const reads = 20_000;
  const cpu = process.cpuUsage();
  for (let i = 0; i < reads; i++) {
    clock.t += 50;
    meter.handle(pdus[i % pdus.length]!);
  }
  const used = process.cpuUsage(cpu);
  const us = (used.user + used.system) / reads;
  console.log(`answer one block read (meatrol/mp440, ${pdus.length} blocks): ${us.toFixed(1)} µs CPU`);
}

async function wireTime(): Promise<void> {
  const pty = await createPtyPair();
  // A meter whose map is 125 contiguous registers of floats, so that any read size is answered.
  const { profiles } = loadProfiles();
  const base = profiles.get("meatrol/mp440")!;
  const voltage = base.registers.find((r) => r.quantity === "voltage_l1")!;
  const profile = {
    ...base,
    limits: { ...base.limits, maxRegistersPerRead: 125, noReadAcross: [] },
    registers: Array.from({ length: 63 }, (_, i) => ({ ...voltage, address: 1000 + 2 * i })),
  };
  const site = {
    id: "bench",
    name: "bench",
    timezone: "UTC",
    file: "bench",
    transport: {
      type: "rtu",
      port: pty.simulatorEnd,
      baudRate: 9600,
      parity: "none",
      dataBits: 8,
      stopBits: 1,
      responseTimeoutMs: 500,
      turnaroundDelayMs: 0,
      interFrameDelayMs: 4,
      retries: 0,
    },
    pollClasses: {},
    meters: [{ id: "m1", name: "m1", profile, unitId: 1, priority: 5, enabled: true }],
  } as unknown as ResolvedSite;
  const turnaroundMs = 4;
  const sim = new Simulator({ site, wireTime: true, turnaroundMs });
  await sim.start();
  const port = new SerialPort({ path: pty.clientEnd, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  let received = 0;
  let wake: (() => void) | undefined;
  port.on("data", (chunk: Buffer) => {
    received += chunk.length;
    wake?.();
  });
  const until = async (bytes: number): Promise<void> => {
    const deadline = performance.now() + 10_000;
    while (received < bytes) {
      if (performance.now() > deadline) throw new Error(`only ${received} of ${bytes} bytes came back`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
  try {
    for (const count of [2, 60, 125]) {
      const frame = encodeRtu(1, Buffer.from([3, 1000 >> 8, 1000 & 0xff, 0, count]));
      const reads = count === 125 ? 5 : 10;
      const computed = reads * readTransactionTimeMs(count, { baudRate: 9600 }, turnaroundMs);
      received = 0;
      let started = performance.now();
      for (let i = 0; i < reads; i++) {
        port.write(frame);
        await until((i + 1) * (5 + 2 * count));
      }
      const sequential = performance.now() - started;
      received = 0;
      started = performance.now();
      port.write(Buffer.concat(Array.from({ length: reads }, () => frame)));
      await until(reads * (5 + 2 * count));
      const pipelined = performance.now() - started;
      console.log(
        `${reads} reads of ${count} registers at 9600 8N1: computed ${computed.toFixed(1)} ms, ` +
          `sequential ${sequential.toFixed(1)} ms (×${(sequential / computed).toFixed(3)}), ` +
          `pipelined ${pipelined.toFixed(1)} ms (×${(pipelined / computed).toFixed(3)})`,
      );
    }
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
    await sim.stop();
    await pty.close();
  }
}

export async function run(): Promise<void> {
  cpuPerRead();
  await wireTime();
}
