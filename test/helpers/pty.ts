// A pseudo-terminal pair made with socat: two linked serial devices, a stand-in for an RS485 bus in tests.
// The same pair `ampx simulate --pty` uses (engine/sim/pty-pair.ts), with neutral end names for tests.
import type { ChildProcess } from "node:child_process";
import { createPtyPair } from "../../engine/sim/pty-pair.js";

export interface PtyPair {
  /** One end (e.g. the meters' side). */
  a: string;
  /** The other end (e.g. the gateway's side). */
  b: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/** Starts socat and waits (at most 5 s) until both ends exist. */
export async function openPtyPair(): Promise<PtyPair> {
  const pair = await createPtyPair(5000);
  return { a: pair.simulatorEnd, b: pair.clientEnd, process: pair.process, close: () => pair.close() };
}
