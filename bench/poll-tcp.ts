// The poll engine against 32 Modbus TCP meters (the simulator in a child process, one port per meter):
// the time of one full poll cycle (hosts in parallel) and the engine's CPU time per block read and per
// meter. Figures, not assertions; the simulator shares the machine's cores with the engine.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { loadSite } from "../engine/config/index.js";
import { packageRoot } from "../engine/paths.js";
import { planMeter } from "../engine/plan/index.js";
import { Poller } from "../engine/poller/index.js";

const PROFILES = ["meatrol/mp440", "meatrol/me237", "eastron/sdm630", "chint/dtsu666"];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_METERS ?? 32);
  const cycles = Number(process.env.BENCH_CYCLES ?? 20);
  const dir = mkdtempSync(join(tmpdir(), "ampx-bench-tcp-"));
  const file = join(dir, "site.yaml");
  const meters = [];
  for (let i = 0; i < count; i++) {
    meters.push({
      id: `m${i + 1}`,
      profile: PROFILES[i % PROFILES.length],
      host: "127.0.0.1",
      port: await freePort(),
    });
  }
  writeFileSync(
    file,
    stringify({
      id: "bench-tcp",
      name: "TCP bench",
      transport: { type: "tcp", responseTimeout: "1s" },
      meters,
    }),
  );
  const loaded = loadSite(file);
  if (!loaded.site) throw new Error(loaded.diagnostics.map((d) => d.message).join("; "));
  const site = loaded.site;
  // The simulator runs in its own process, so that the CPU time measured here is the engine's alone.
  const child = spawn(process.execPath, [join(packageRoot, "bin/ampx.js"), "simulate", file, "--json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`ampx simulate exited with ${code}`)));
    });
    const blocksPerCycle = site.meters.reduce((n, m) => n + planMeter(m.profile).length, 0);
    console.log(
      `${count} meters (${PROFILES.join(", ")} in turn), each its own host:port, ${blocksPerCycle} block reads per full cycle`,
    );

    const parallel = new Poller(site);
    await parallel.pollOnce(); // connect and warm up
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < cycles; i++) {
      const started = performance.now();
      await parallel.pollOnce();
      times.push(performance.now() - started);
    }
    const used = process.cpuUsage(cpu);
    await parallel.stop();
    const cpuMs = (used.user + used.system) / 1000;
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `full cycle, hosts in parallel: median ${median.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms, worst ${times.at(-1)!.toFixed(1)} ms over ${cycles} cycles`,
    );
    console.log(
      `engine CPU: ${(cpuMs / cycles).toFixed(1)} ms per full cycle, ${((cpuMs * 1000) / (cycles * blocksPerCycle)).toFixed(0)} µs per block read ` +
        `(request, decode, samples, health), ${((cpuMs * 1000) / (cycles * count)).toFixed(0)} µs per meter`,
    );
  } finally {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
