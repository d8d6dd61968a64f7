// A pseudo-terminal pair made with socat: two linked serial devices, a stand-in for an RS485 bus in tests.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface PtyPair {
  /** Temporary folder holding the two links. */
  dir: string;
  /** One end (e.g. the meters' side). */
  a: string;
  /** The other end (e.g. the gateway's side). */
  b: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/** Starts `socat pty,raw,echo=0,link=a pty,raw,echo=0,link=b` and waits (at most 5 s) until both links exist. */
export async function openPtyPair(prefix = "ampx-pty-"): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const a = join(dir, "a");
  const b = join(dir, "b");
  const child = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
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
  for (let i = 0; i < 250; i++) {
    if (existsSync(a) && existsSync(b)) return { dir, a, b, process: child, close };
    if (exited) break;
    await sleep(20);
  }
  await close();
  throw new Error(`socat did not create the pty pair: ${stderr.trim() || "timeout"}`);
}
