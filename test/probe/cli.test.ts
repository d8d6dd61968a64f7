// `ampx probe` as a user runs it: the CLI in a child process against a simulated meter in this process.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestSite } from "../budget/site.js";
import { Simulator } from "../../engine/sim/index.js";

const bin = fileURLToPath(new URL("../../bin/ampx.js", import.meta.url));

function ampx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("ampx probe (command line)", () => {
  let simulator: Simulator;
  let target: string;

  beforeAll(async () => {
    const site = loadTestSite({
      transport: { type: "tcp" },
      meters: [{ id: "m", profile: "meatrol/mp440", host: "127.0.0.1", port: 1502, unitId: 3 }],
    });
    simulator = new Simulator({ site: { ...site, meters: site.meters.map((m) => ({ ...m, port: 0 })) } });
    const [endpoint] = await simulator.start();
    if (endpoint?.transport !== "tcp") throw new Error("tcp endpoint expected");
    target = `${endpoint.host}:${endpoint.port}`;
  });
  afterAll(async () => {
    await simulator?.stop();
  });

  it("prints the ranked readings and the profile line of the best one", async () => {
    const { code, stdout } = await ampx(["probe", target, "--unit", "3", "--address", "1010"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/judged as voltage_l1 \(voltage L-N: 180…260 V\)/);
    expect(stdout).toMatch(/^1 +1010 +f32 +ABCD +1 +2\d\d\.\d+ V/m);
    expect(stdout).toContain(
      "most plausible: { quantity: voltage_l1, address: 1010, type: f32, wordOrder: ABCD, function: holding }",
    );
  }, 40_000);

  it("prints JSON with --json", async () => {
    const { code, stdout } = await ampx([
      "probe",
      target,
      "--unit",
      "3",
      "--address",
      "0x432",
      "--quantity",
      "frequency",
      "--json",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      request: { address: number };
      candidates: { address: number; value: number }[];
      best: string;
    };
    expect(result.request.address).toBe(0x432);
    expect(result.candidates[0]!.address).toBe(0x432);
    expect(result.candidates[0]!.value).toBeGreaterThan(45);
    expect(result.best).toContain("type: f32, wordOrder: ABCD");
  }, 40_000);

  it("exits 2 with what to check when the unit does not answer, and refuses a bad option", async () => {
    const silent = await ampx(["probe", target, "--unit", "9", "--address", "1010", "--timeout", "200"]);
    expect(silent.code).toBe(2);
    expect(silent.stderr).toMatch(/unit 9 on 127\.0\.0\.1:\d+ did not answer/);
    expect(silent.stderr).toMatch(/check the host and port, and the unit id/);
    const bad = await ampx(["probe", target, "--address", "1010", "--function", "coils"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--function must be one of holding, input/);
  }, 40_000);
});
