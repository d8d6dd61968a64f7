// The poll engine on an emulated 9600-baud RS485 bus with the 32 simulated Meatrol meters of
// sites/rs485-32.yaml (socat pty pair, the simulator delaying every answer by its wire time): one full poll cycle against the bus-time bound
// for the same bytes, the age of every meter's total power under the scheduler, and — on the same bus —
// a naive one-read-per-quantity poller and an mbmd-style poller (one read per value, 200 ms pause on
// every slave switch). Figures, not assertions. BENCH_METERS=n changes the meter count; BENCH_FULL=1
// runs the naive and mbmd-style pollers on all meters instead of every 4th (extrapolated × 4 otherwise).
import { estimateBusTime } from "../engine/budget/index.js";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { loadSite } from "../engine/config/index.js";
import type { ResolvedMeter, ResolvedRtuTransport, ResolvedSite } from "../engine/model.js";
import { planMeter } from "../engine/plan/index.js";
import type { Block } from "../engine/plan/index.js";
import { Poller } from "../engine/poller/index.js";
import { createPtyPair } from "../engine/sim/pty-pair.js";
import { Simulator } from "../engine/sim/index.js";
import {
  frameSilenceMs,
  frameTimeMs,
  RTU_READ_REQUEST_BYTES,
  rtuReadReplyBytes,
} from "../engine/sim/wire-time.js";
import { RtuTransport } from "../engine/transport/index.js";
import { withCrc } from "../engine/transport/crc16.js";
import { SerialPort } from "serialport";
import { packageRoot } from "../engine/paths.js";
import { join } from "node:path";

interface Read {
  unitId: number;
  function: Block["function"];
  start: number;
  count: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Bus time of these reads: bytes only, and bytes plus the 3.5-character silence after every frame. */
function bound(reads: readonly Read[], line: ResolvedRtuTransport): { bytes: number; protocol: number } {
  let bytes = 0;
  for (const r of reads)
    bytes += frameTimeMs(RTU_READ_REQUEST_BYTES, line) + frameTimeMs(rtuReadReplyBytes(r.count), line);
  return { bytes, protocol: bytes + reads.length * 2 * frameSilenceMs(line) };
}

function engineReads(meters: readonly ResolvedMeter[]): Read[] {
  return meters.flatMap((m) =>
    planMeter(m.profile).map((b) => ({
      unitId: m.unitId,
      function: b.function,
      start: b.start,
      count: b.count,
    })),
  );
}

function naiveReads(meters: readonly ResolvedMeter[]): Read[] {
  return meters.flatMap((m) =>
    m.profile.registers.map((r) => ({
      unitId: m.unitId,
      function: r.function,
      start: r.address,
      count: r.count,
    })),
  );
}

/**
 * The fastest a client can go on this emulated bus: each request written the moment the previous
 * answer is complete, no gap, no checks. Separates the emulator's own overhead from the engine's.
 */
async function backToBack(path: string, reads: readonly Read[]): Promise<number> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = 0;
  let waiting: { bytes: number; done: () => void } | undefined;
  port.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (waiting && received >= waiting.bytes) waiting.done();
  });
  const started = performance.now();
  for (const r of reads) {
    received = 0;
    const request = Buffer.from([
      r.unitId,
      r.function === "holding" ? 3 : 4,
      r.start >> 8,
      r.start & 0xff,
      0,
      r.count,
    ]);
    await new Promise<void>((resolve) => {
      waiting = { bytes: rtuReadReplyBytes(r.count), done: resolve };
      port.write(withCrc(request));
    });
  }
  const elapsed = performance.now() - started;
  await new Promise<void>((resolve) => port.close(() => resolve()));
  return elapsed;
}

/** Reads one after the other on the bus; `pauseOnSwitchMs` after every change of unit id (mbmd). */
async function sequential(
  transport: RtuTransport,
  reads: readonly Read[],
  pauseOnSwitchMs = 0,
): Promise<number> {
  const started = performance.now();
  let last: number | undefined;
  for (const r of reads) {
    if (pauseOnSwitchMs > 0 && last !== undefined && last !== r.unitId) await sleep(pauseOnSwitchMs);
    last = r.unitId;
    await transport.read(r.unitId, r.function, r.start, r.count);
  }
  return performance.now() - started;
}

function line(
  label: string,
  measuredMs: number,
  reads: readonly Read[],
  transport: ResolvedRtuTransport,
  scale = 1,
): void {
  const b = bound(reads, transport);
  const extrapolated =
    scale === 1 ? "" : ` (measured ${seconds(measuredMs)} on ${reads.length} reads, × ${scale})`;
  console.log(
    `${label.padEnd(30)} ${String(reads.length * scale).padStart(5)} reads  cycle ${seconds(measuredMs * scale).padStart(8)}` +
      `  bound ${seconds(b.bytes * scale)} bytes / ${seconds(b.protocol * scale)} with 3.5-char gaps` +
      `  utilisation ${(b.bytes / measuredMs).toFixed(2)} / ${(b.protocol / measuredMs).toFixed(2)}${extrapolated}`,
  );
}

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_METERS ?? 32);
  const full = process.env.BENCH_FULL === "1";
  const pty = await createPtyPair();
  const loaded = loadSite(join(packageRoot, "sites/rs485-32.yaml"));
  if (!loaded.site) throw new Error("sites/rs485-32.yaml does not load");
  const base = loaded.site;
  // Total power gets a poll class of its own: the dashboard wants it fresh, the rest can wait longer.
  const meters = base.meters.slice(0, count).map((m) => ({
    ...m,
    profile: {
      ...m.profile,
      registers: m.profile.registers.map((r) =>
        r.quantity === "active_power_total" ? { ...r, pollClass: "power" } : r,
      ),
    },
  }));
  const transport = { ...(base.transport as ResolvedRtuTransport), port: pty.clientEnd };
  const site: ResolvedSite = {
    ...base,
    transport,
    meters,
    pollClasses: { ...base.pollClasses, power: { intervalMs: 2000 } },
  };
  const sim = new Simulator({ site, rtuPort: pty.simulatorEnd, wireTime: true, seed: 1 });
  await sim.start();
  const mix = new Map<string, number>();
  for (const m of meters) mix.set(m.profile.id, (mix.get(m.profile.id) ?? 0) + 1);
  const withPower = meters.filter((m) =>
    m.profile.registers.some((r) => r.quantity === "active_power_total"),
  );
  console.log(
    `${meters.length} meters (${[...mix].map(([id, n]) => `${n} × ${id}`).join(", ")}) on ${transport.baudRate} baud 8N1, turnaround ${transport.turnaroundDelayMs} ms, ` +
      `response timeout ${transport.responseTimeoutMs} ms; simulator answers after the wire time plus 3.5 characters`,
  );
  try {
    // 1. One full cycle: every block of every meter once.
    const poller = new Poller(site);
    const started = performance.now();
    const samples = await poller.pollOnce();
    const cycle = performance.now() - started;
    await poller.stop();
    const reads = engineReads(meters);
    line("engine (coalesced blocks)", cycle, reads, transport);
    const raw = await backToBack(pty.clientEnd, reads);
    console.log(
      `  ${samples.length} samples, ${(samples.length / (cycle / 1000)).toFixed(0)} values/s; the same reads back to back ` +
        `with no gaps take ${seconds(raw)} on this emulated bus: the engine runs at ${(raw / cycle).toFixed(2)} of that`,
    );
    // The estimate `ampx validate` / `ampx budget` make from the same settings, for every block once.
    const estimate = estimateBusTime(site).buses[0]!.classes.reduce((sum, c) => sum + c.cycleMs, 0);
    console.log(
      `  bus-time budget estimate (ampx budget) for the same cycle: ${seconds(estimate)}; ` +
        `measured / estimate = ${(cycle / estimate).toFixed(3)} (goal: within ±10 %)`,
    );

    // 2. The same bus, the way most pollers do it.
    const subset = full ? meters : meters.filter((_, i) => i % 4 === 0);
    const scale = meters.length / subset.length;
    const naive = new RtuTransport(transport);
    try {
      const naiveList = naiveReads(subset);
      line("naive (one read per quantity)", await sequential(naive, naiveList), naiveList, transport, scale);
      line(
        "mbmd-style (+200 ms per switch)",
        await sequential(naive, naiveList, 200),
        naiveList,
        transport,
        scale,
      );
    } finally {
      await naive.close();
    }

    // 3. The scheduler: age of every meter's total power (2 s class) and live values (15 s class).
    const runMs = Number(process.env.BENCH_RUN_MS ?? 30_000);
    const scheduler = new Poller(site);
    const lastPower = new Map<string, number>();
    const lastLive = new Map<string, number>();
    scheduler.on("samples", (batch) => {
      for (const s of batch) {
        if (s.quantity === "active_power_total") lastPower.set(s.meterId, s.timestamp);
        if (s.quantity === "voltage_l1") lastLive.set(s.meterId, s.timestamp);
      }
    });
    scheduler.start();
    const powerAges: number[] = [];
    const liveAges: number[] = [];
    const warmUp = performance.now() + 16_000; // the first live round of every meter
    const end = performance.now() + runMs;
    while (performance.now() < end) {
      await sleep(100);
      if (performance.now() < warmUp) continue;
      const now = Date.now();
      for (const m of withPower) powerAges.push(now - (lastPower.get(m.id) ?? 0));
      for (const m of meters) if (lastLive.has(m.id)) liveAges.push(now - lastLive.get(m.id)!);
    }
    await scheduler.stop();
    const pct = (xs: number[], p: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
    const missed = scheduler.health().reduce((sum, h) => sum + (h.missedCycles ?? 0), 0);
    console.log(
      `scheduler over ${seconds(runMs - 16_000)} after warm-up, ${withPower.length} meters with total power: age p50 ${seconds(pct(powerAges, 50))}, ` +
        `p95 ${seconds(pct(powerAges, 95))}, max ${seconds(Math.max(...powerAges))} (class interval 2 s); ` +
        `live values age max ${seconds(Math.max(...liveAges))} (class 15 s); missed cycles ${missed}`,
    );
  } finally {
    await sim.stop();
    await pty.close();
  }
}
