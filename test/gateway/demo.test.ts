// The README's first command, end to end: `ampx demo` starts simulated meters, the gateway, the dashboard
// and the sink; the dashboard shows every meter online with values, closed intervals reach the sink once
// each, in order, and SIGTERM stops everything cleanly.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../engine/paths.js";
import { writeDemoSiteCopy } from "./demo-site.js";

interface MetersResponse {
  meters: { id: string; status: string; values: Record<string, { v: number | string | null; q: string }> }[];
}
interface Received {
  items: { key: string | null; duplicate: boolean; body: string; headers: Record<string, string> }[];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe("ampx demo", () => {
  let dir: string;
  let child: ChildProcess;
  let output = "";
  let dashboard: string;
  let sinkUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ampx-demo-"));
    const copy = await writeDemoSiteCopy(dir, "5s");
    sinkUrl = `http://127.0.0.1:${copy.sinkPort}/`;
    child = spawn(process.execPath, ["bin/ampx.js", "demo", "--site", copy.file, "--data", dir], {
      cwd: packageRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    dashboard = await waitFor(
      "the dashboard URL",
      async () => /dashboard\s+(http:\/\/\S+)/.exec(output)?.[1],
      30_000,
    );
  }, 60_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows every demo meter online with good values on the dashboard API", async () => {
    const meters = await waitFor(
      "all meters online",
      async () => {
        const body = (await (await fetch(`${dashboard}api/meters`)).json()) as MetersResponse;
        const ready = body.meters.every(
          (m) => m.status === "online" && Object.values(m.values).some((v) => v.q === "good"),
        );
        return ready ? body.meters : undefined;
      },
      20_000,
    );
    expect(meters.map((m) => m.id).sort()).toEqual(
      ["hvac", "kitchen", "lighting", "main-incomer", "solar-pv", "tenant-a"].sort(),
    );
    const incomer = meters.find((m) => m.id === "main-incomer")!;
    expect(incomer.values.voltage_l1?.q).toBe("good");
    expect(Number(incomer.values.voltage_l1?.v)).toBeGreaterThan(200);
    expect(Number(incomer.values.voltage_l1?.v)).toBeLessThan(260);
  });

  it("uploads closed intervals to the sink, each once and in order, with every meter", async () => {
    const received = await waitFor(
      "two uploads at the sink",
      async () => {
        const body = (await (await fetch(`${sinkUrl}received`)).json()) as Received;
        return body.items.length >= 2 ? body.items : undefined;
      },
      30_000,
    );
    const keys = received.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    const payloads = received.map(
      (r) =>
        JSON.parse(r.body) as {
          idempotencyKey: string;
          interval: { start: string };
          meters: { id: string }[];
        },
    );
    const starts = payloads.map((p) => Date.parse(p.interval.start));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const [i, payload] of payloads.entries()) {
      expect(payload.idempotencyKey).toBe(received[i]!.key);
      expect(payload.meters).toHaveLength(6);
    }
  });

  it("stops cleanly on SIGTERM and leaves its database behind", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    const code = await Promise.race([exited, sleep(15_000).then(() => "timeout" as const)]);
    expect(code).toBe(0);
    expect(existsSync(join(dir, "demo.db"))).toBe(true);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
