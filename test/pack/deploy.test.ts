// deploy/: the systemd unit is valid and keeps its promises (own user, dialout, state and config
// directories, restart, SIGTERM), its commands exist, the example site loads, and install.sh does what it says.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadSite } from "../../engine/config/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const unitFile = join(root, "deploy/ampx-gateway.service");
const unit = readFileSync(unitFile, "utf8");
const temp = mkdtempSync(join(tmpdir(), "ampx-deploy-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function has(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function directives(name: string): string[] {
  return [...unit.matchAll(new RegExp(`^${name}=(.*)$`, "gm"))].map((m) => m[1]!);
}

describe("deploy/ampx-gateway.service", () => {
  it("runs as its own user with serial access, state and config directories, and restarts on failure", () => {
    expect(directives("User")).toEqual(["ampx"]);
    expect(directives("SupplementaryGroups")).toEqual(["dialout"]);
    expect(directives("StateDirectory")).toEqual(["ampx"]);
    expect(directives("ConfigurationDirectory")).toEqual(["ampx"]);
    expect(directives("Restart")).toEqual(["on-failure"]);
    expect(directives("KillSignal")).toEqual(["SIGTERM"]);
    expect(directives("TimeoutStopSec")).toHaveLength(1);
    expect(directives("EnvironmentFile")).toEqual(["-/etc/ampx/ampx.env"]);
    expect(directives("ExecStart")).toEqual(["/usr/bin/ampx run /etc/ampx/site.yaml --json"]);
  });

  it("keeps serial ports and Node's JIT working under its hardening", () => {
    expect(directives("ProtectSystem")).toEqual(["strict"]);
    expect(directives("PrivateDevices")).toEqual([]);
    expect(directives("DevicePolicy")).toEqual([]);
    expect(directives("MemoryDenyWriteExecute")).toEqual([]);
  });

  it.skipIf(!has("systemd-analyze"))("passes systemd-analyze verify", () => {
    // verify wants ExecStart's binary to exist; node stands in for ampx.
    const copy = join(temp, "ampx-gateway.service");
    writeFileSync(copy, unit.replaceAll("/usr/bin/ampx", process.execPath));
    const output = execFileSync("systemd-analyze", ["verify", copy], { encoding: "utf8", stdio: "pipe" });
    expect(output).toBe("");
  });

  it("starts commands and flags the CLI has", () => {
    const help = (args: string[]): string =>
      execFileSync(process.execPath, [join(root, "bin/ampx.js"), ...args, "--help"], { encoding: "utf8" });
    for (const line of [...directives("ExecStartPre"), ...directives("ExecStart")]) {
      const [, command, ...args] = line.split(" ");
      const text = help([command!]);
      for (const flag of args.filter((a) => a.startsWith("--")))
        expect(text, `${command} ${flag}`).toContain(flag);
    }
  }, 60_000);
});

describe("deploy/site.example.yaml", () => {
  it("is a valid site whose database lies in the service's state directory", () => {
    const { site, diagnostics } = loadSite(join(root, "deploy/site.example.yaml"), {
      env: { AMPX_API_TOKEN: "x" },
    });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(site?.storage.path.startsWith("/var/lib/ampx/")).toBe(true);
    expect(site?.upload?.auth).toMatchObject({ type: "bearer", token: "${env:AMPX_API_TOKEN}" });
  });
});

describe("deploy/install.sh", () => {
  it("is valid sh", () => {
    execFileSync("sh", ["-n", join(root, "deploy/install.sh")]);
  });

  it("with DRY_RUN=1 shows every step against the ampx on the PATH and changes nothing", async () => {
    const bin = join(temp, "bin");
    execFileSync("mkdir", ["-p", bin]);
    symlinkSync(join(root, "bin/ampx.js"), join(bin, "ampx"));
    const output = await new Promise<string>((done, fail) =>
      execFile(
        "sh",
        [join(root, "deploy/install.sh")],
        { env: { ...process.env, DRY_RUN: "1", PATH: `${bin}:${process.env.PATH ?? ""}` } },
        (error, stdout) => (error ? fail(error) : done(stdout)),
      ),
    );
    expect(output).toContain("+ usermod --append --groups dialout ampx");
    expect(output).toContain("+ install -d -m 0750 -o ampx -g ampx /var/lib/ampx");
    expect(output).toContain(
      `+ sed s#/usr/bin/ampx#${join(bin, "ampx")}# ${join(root, "deploy")}/ampx-gateway.service`,
    );
    expect(output).toContain("+ systemctl daemon-reload");
    expect(output).toContain(`sudo -u ampx ${join(bin, "ampx")} validate /etc/ampx/site.yaml`);
  });
});
