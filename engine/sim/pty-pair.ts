// A pseudo-terminal pair made with socat, for `ampx simulate --pty`: the simulator serves one end,
// a gateway (or mbpoll) opens the other, and no RS485 hardware is needed.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface PtyPair {
  /** The end the simulator opens. */
  simulatorEnd: string;
  /** The end a client opens. */
  clientEnd: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/** socat is missing or did not create the pair. */
export class PtyPairError extends Error {
  override name = "PtyPairError" as const;
  readonly code = "SIM_E_PTY";
}

/** Starts `socat pty,raw,echo=0,link=… pty,raw,echo=0,link=…` and waits (at most `timeoutMs`) for both links. */
export async function createPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), "ampx-sim-pty-"));
  const simulatorEnd = join(dir, "simulator");
  const clientEnd = join(dir, "client");
  const child = spawn(
    "socat",
    ["-d", "-d", `pty,raw,echo=0,link=${simulatorEnd}`, `pty,raw,echo=0,link=${clientEnd}`],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  let exited = false;
  let spawnError: Error | undefined;
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.once("exit", () => (exited = true));
  child.once("error", (error) => {
    spawnError = error;
    exited = true;
  });
  const close = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(2000)]);
      if (!exited) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !exited) {
    if (existsSync(simulatorEnd) && existsSync(clientEnd))
      return { simulatorEnd, clientEnd, process: child, close };
    await sleep(20);
  }
  await close();
  const why =
    spawnError !== undefined ? `${spawnError.message} (is socat installed?)` : stderr.trim() || "timeout";
  throw new PtyPairError(`socat did not create a pty pair: ${why}`);
}
