// Runs test/helpers/pymodbus_server.py with Debian's python3-pymodbus: an independent Modbus implementation.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, waitForPort } from "./free-port.js";
import type { RegisterMap } from "./register-map.js";

const script = join(dirname(fileURLToPath(import.meta.url)), "pymodbus_server.py");

export interface PymodbusServer {
  /** TCP port (tcp mode). */
  port: number;
  close(): Promise<void>;
}

/** Starts the server over TCP on a free 127.0.0.1 port, or over RTU on `device`; resolves once it listens. */
export async function startPymodbus(
  mode: "tcp" | "rtu",
  map: RegisterMap,
  device?: string,
): Promise<PymodbusServer> {
  const dir = mkdtempSync(join(tmpdir(), "ampx-pymodbus-"));
  const specFile = join(dir, "spec.json");
  const units = Object.fromEntries(Object.entries(map).map(([unit, tables]) => [unit, tables]));
  writeFileSync(specFile, JSON.stringify({ units }));
  const port = mode === "tcp" ? await freePort() : 0;
  const child = spawn("/usr/bin/python3", [script, mode, mode === "tcp" ? String(port) : device!, specFile], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once("exit", () => (exited = true));
  const close = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(2000)]);
      if (!exited) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 250 && !output.includes("READY"); i++) {
      if (exited) throw new Error(`pymodbus server exited: ${output}`);
      await sleep(20);
    }
    if (mode === "tcp") await waitForPort(port);
    // The serial server opens its port after READY; give it a moment.
    else await sleep(300);
  } catch (error) {
    await close();
    throw error;
  }
  return { port, close };
}
