import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { packageRoot } from "../../engine/paths.js";
import { Simulator } from "../../engine/sim/index.js";
import { freePort } from "../helpers/free-port.js";
import { tcpSite } from "../helpers/site.js";

const dir = mkdtempSync(join(tmpdir(), "ampx-cli-"));
let sim: Simulator;
let ports: number[] = [];

function ampx(args: string[], until?: (stdout: string) => boolean, signal: NodeJS.Signals = "SIGTERM") {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(packageRoot, "bin/ampx.js"), ...args], { cwd: packageRoot });
    let stdout = "";
    let stderr = "";
    let signalled = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until && !signalled && until(stdout)) {
        signalled = true;
        child.kill(signal);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

function writeSite(name: string, meters: object[], extra: object = {}): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      id: name,
      name,
      transport: { type: "tcp", responseTimeout: "300ms", connectTimeout: "500ms" },
      pollClasses: { live: { interval: "300ms" }, energy: { interval: "1s" }, identity: { interval: "1h" } },
      meters,
      // `ampx run` serves the dashboard: on a free port on loopback only.
      web: { port: 0, bind: "127.0.0.1" },
      ...extra,
    }),
  );
  return file;
}

beforeAll(async () => {
  sim = new Simulator({
    site: tcpSite(
      [
        { id: "main", profile: "meatrol/mp440" },
        { id: "pv", profile: "eastron/sdm630", unitId: 2 },
      ],
      { live: "1s" },
    ),
    seed: 5,
  });
  await sim.start();
  ports = sim.siteForClients().meters.map((m) => m.port!);
  sim.meter("main").set("voltage_l1", 233.25);
});

afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

const meters = () => [
  { id: "main", profile: "meatrol/mp440", host: "127.0.0.1", port: ports[0] },
  { id: "pv", profile: "eastron/sdm630", host: "127.0.0.1", port: ports[1], unitId: 2 },
];

describe("ampx read", () => {
  it("prints every quantity of every meter as a table and exits 0", async () => {
    const { code, stdout } = await ampx(["read", writeSite("ok", meters())]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^METER\s+QUANTITY\s+VALUE\s+UNIT\s+QUALITY$/);
    expect(lines).toContainEqual(expect.stringMatching(/^main\s+voltage_l1\s+233\.25\s+V\s+good$/));
    expect(lines.filter((l) => l.startsWith("pv "))).toHaveLength(sim.meter("pv").profile.registers.length);
  });

  it("prints JSON with samples, failures and health", async () => {
    const { code, stdout } = await ampx(["read", writeSite("json", meters()), "--json", "--meter", "main"]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      samples: { meterId: string }[];
      failures: unknown[];
      health: { state: string }[];
    };
    expect(new Set(result.samples.map((s) => s.meterId))).toEqual(new Set(["main"]));
    expect(result.failures).toEqual([]);
    expect(result.health.map((h) => h.state)).toEqual(["online"]);
  });

  it("reports a host that refuses connections in one line per read and exits 1", async () => {
    const dead = await freePort();
    const file = writeSite("refused", [
      ...meters(),
      { id: "gone", profile: "meatrol/me631", host: "127.0.0.1", port: dead },
    ]);
    const { code, stdout, stderr } = await ampx(["read", file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^! gone: holding 2000\+24: cannot connect to 127\.0\.0\.1:\d+: connection refused.*\[MODBUS_E_CONNECT_FAILED\]$/m,
    );
    expect(stdout).toMatch(/^main\s+voltage_l1/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("reports config errors with file:line:column and no stack trace", async () => {
    const file = writeSite("bad", [
      { id: "m", profile: "meatrol/mp440", host: "127.0.0.1", port: 502, unitId: 300 },
    ]);
    const { code, stdout, stderr } = await ampx(["read", file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/bad\.yaml:\d+:\d+ .*unitId/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("ampx run", () => {
  it("logs samples as JSON lines and stops cleanly on SIGTERM", async () => {
    const { code, stdout } = await ampx(
      ["run", writeSite("run", meters()), "--samples", "--health-every", "500ms"],
      (out) => (out.match(/"msg":"samples"/g) ?? []).length >= 6 && out.includes('"msg":"health"'),
    );
    expect(code).toBe(0);
    const entries = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const samples = entries.filter((e) => e.msg === "samples");
    expect(
      samples.some((e) => e.meter === "main" && (e.values as Record<string, unknown>).voltage_l1 === 233.25),
    ).toBe(true);
    expect(entries.some((e) => e.msg === "health" && e.meter === "pv" && e.state === "online")).toBe(true);
    expect(entries.map((e) => e.msg)).toContain("stopping");
    expect(entries.at(-1)?.msg).toBe("stopped");
  });

  it("logs a meter going offline with its error, and keeps running", async () => {
    const dead = await freePort();
    const file = writeSite("offline", [
      ...meters(),
      { id: "gone", profile: "meatrol/me631", host: "127.0.0.1", port: dead },
    ]);
    const { code, stdout } = await ampx(
      ["run", file],
      (out) => out.includes('"msg":"meter offline"'),
      "SIGINT",
    );
    expect(code).toBe(0);
    const offline = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((e) => e.msg === "meter offline");
    expect(offline).toMatchObject({ meter: "gone", code: "MODBUS_E_CONNECT_FAILED", level: 40 });
    expect(String(offline?.error)).toMatch(/connection refused/);
  });
});

describe("ampx scan", () => {
  it("prints a meters list for a TCP host", async () => {
    const { code, stdout } = await ampx([
      "scan",
      "--host",
      "127.0.0.1",
      "--tcp-port",
      String(ports[1]),
      "--units",
      "1-3",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/- id: meter-2 {2}# score \d+%/);
    expect(stdout).toMatch(/profile: eastron\/sdm630/);
  });

  it("names a serial port that does not exist, without a stack trace", async () => {
    const { code, stderr } = await ampx(["scan", "--port", "/dev/ttyAMPX-none", "--units", "1"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      "ampx scan: serial port /dev/ttyAMPX-none does not exist (check the device path and that the adapter is plugged in)",
    );
  });
});
