// `ampx simulate` as a separate process: a TCP site and an RTU site on its own socat pty, driven
// over the HTTP control API, stopped with SIGTERM; a site it cannot serve fails with a clear line.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ModbusMod from "modbus-serial";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatorControlClient } from "../../engine/sim/control-client.js";
import { packageRoot } from "../../engine/paths.js";
import { freePort } from "../helpers/free-port.js";

const ModbusRTU = ModbusMod.default;
const STARTUP_MS = 45_000;

interface Running {
  child: ChildProcess;
  ready: Promise<Record<string, unknown>>;
  stderr: () => string;
  exit: Promise<number | null>;
}

function simulate(args: string[]): Running {
  const child = spawn(process.execPath, [join(packageRoot, "bin/ampx.js"), "simulate", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line !== undefined) resolve(JSON.parse(line) as Record<string, unknown>);
    });
    void exit.then((code) => reject(new Error(`ampx simulate exited (${code}): ${stderr}`)));
  });
  ready.catch(() => undefined); // a test that expects a failure never awaits it
  return { child, ready, stderr: () => stderr, exit };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ampx-sim-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("ampx simulate", () => {
  it(
    "serves a TCP site, obeys the control API and stops cleanly on SIGTERM",
    async () => {
      const port = await freePort();
      const site = join(dir, "tcp.yaml");
      writeFileSync(
        site,
        [
          "id: cli-tcp",
          "name: CLI test",
          "transport: { type: tcp }",
          "meters:",
          `  - { id: a, profile: meatrol/mp440, host: 127.0.0.1, port: ${port}, unitId: 1 }`,
          `  - { id: b, profile: eastron/sdm630, host: localhost, port: ${port}, unitId: 2 }`,
        ].join("\n"),
      );
      const run = simulate([site, "--json", "--control-port", "0", "--seed", "4"]);
      try {
        const ready = await run.ready;
        expect(ready.endpoints).toMatchObject([
          { meterId: "a", unitId: 1, transport: "tcp", host: "127.0.0.1", port, profile: "meatrol/mp440" },
          { meterId: "b", unitId: 2, transport: "tcp", host: "127.0.0.1", port, profile: "eastron/sdm630" },
        ]);
        const api = new SimulatorControlClient(ready.controlUrl as string);
        await api.set("a", { frequency: 49.5 });
        const client = new ModbusRTU();
        await client.connectTCP("127.0.0.1", { port });
        client.setID(1);
        client.setTimeout(500);
        const reply = await client.readHoldingRegisters(1074, 2);
        expect(reply.buffer.readFloatBE(0)).toBe(49.5);
        await api.inject("a", { kind: "exception", code: 6 });
        await expect(client.readHoldingRegisters(1074, 2)).rejects.toMatchObject({ modbusCode: 6 });
        await new Promise<void>((resolve) => client.close(() => resolve()));
        expect((await api.meters())[0]?.stats.requests).toBe(2);
      } finally {
        run.child.kill("SIGTERM");
      }
      expect(await run.exit).toBe(0);
      expect(run.stderr()).toContain("simulator stopped");
    },
    STARTUP_MS + 15_000,
  );

  it(
    "serves an RTU site on a pty pair it creates with --pty",
    async () => {
      const site = join(dir, "rtu.yaml");
      writeFileSync(
        site,
        [
          "id: cli-rtu",
          "name: CLI RTU test",
          "transport: { type: rtu, port: /dev/ttyAMPX-none, baudRate: 19200 }",
          "meters:",
          "  - { id: m7, profile: meatrol/mp440, unitId: 7 }",
        ].join("\n"),
      );
      const run = simulate([site, "--json", "--pty", "--wire-time", "off"]);
      try {
        const ready = await run.ready;
        const path = ready.clientRtuPort as string;
        expect(path).toMatch(/client$/);
        expect(ready.endpoints).toMatchObject([
          { meterId: "m7", transport: "rtu", baudRate: 19200, unitId: 7 },
        ]);
        const client = new ModbusRTU();
        await client.connectRTUBuffered(path, { baudRate: 19200 });
        client.setID(7);
        client.setTimeout(500);
        const reply = await client.readHoldingRegisters(1010, 2);
        expect(reply.buffer.readFloatBE(0)).toBeGreaterThan(220);
        expect(reply.buffer.readFloatBE(0)).toBeLessThan(240);
        await new Promise<void>((resolve) => client.close(() => resolve()));
      } finally {
        run.child.kill("SIGINT");
      }
      expect(await run.exit).toBe(0);
    },
    STARTUP_MS + 15_000,
  );

  it(
    "refuses a TCP meter on another machine with a clear message",
    async () => {
      const site = join(dir, "far.yaml");
      writeFileSync(
        site,
        [
          "id: cli-far",
          "name: Far",
          "transport: { type: tcp }",
          "meters:",
          "  - { id: far, profile: meatrol/mp440, host: 192.0.2.10, port: 502 }",
        ].join("\n"),
      );
      const run = simulate([site]);
      expect(await run.exit).toBe(1);
      expect(run.stderr()).toMatch(/host 192\.0\.2\.10 is not this machine.*\[SIM_E_CONFIG\]/);
    },
    STARTUP_MS,
  );
});
