// The package as a user gets it: `npm pack` (prepack builds dist/), installed from the tarball into an
// empty folder, then `ampx` run from there. One pack, one install.
// The pack runs in a copy of the sources, so the build's dist/ never appears in the working tree (bin/ampx.js
// would run a stale dist/ instead of the TypeScript sources).
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulator } from "../../engine/sim/index.js";
import { loadTestSite } from "../budget/site.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "ampx-pack-"));
const source = join(temp, "src");
const app = join(temp, "app");
const distBefore = existsSync(join(root, "dist"));

/** The environment of the child npm: the parent npm's npm_* variables (when run from `npm test`) left out. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("npm_")) env[key] = value;
  // better-sqlite3 compiles against the headers of the Node that runs the tests (no download).
  env.npm_config_nodedir = dirname(dirname(process.execPath));
  env.npm_config_update_notifier = "false";
  return env;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  timeout = 120_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: npmEnv(), timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const ampx = (...args: string[]): ReturnType<typeof run> =>
  run("npx", ["--no-install", "ampx", ...args], app, 60_000);

let tarball: string;
let files: string[];

beforeAll(async () => {
  // The sources npm pack needs: package.json, the tsconfigs (prepack builds) and every folder `files` names.
  mkdirSync(source);
  for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json", "README.md", "LICENSE"]) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(source, file));
  }
  for (const dir of [
    "bin",
    "engine",
    "schema",
    "profiles",
    "templates",
    "sites",
    "firmware",
    "deploy",
    "docs",
  ]) {
    cpSync(join(root, dir), join(source, dir), {
      recursive: true,
      filter: (path) => !path.startsWith(join(root, "firmware/build")),
    });
  }
  symlinkSync(join(root, "node_modules"), join(source, "node_modules"), "dir");

  const packed = await run("npm", ["pack", "--pack-destination", temp, "--json"], source, 300_000);
  expect(packed.code, `npm pack failed:\n${packed.stderr.slice(-4000)}`).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(temp, info!.filename);
  files = info!.files.map((f) => f.path);

  mkdirSync(app);
  const installed = await run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball],
    app,
    600_000,
  );
  expect(installed.code, `npm install failed:\n${installed.stderr.slice(-4000)}`).toBe(0);
  // Install scripts are skipped: the only one that matters, better-sqlite3's, compiles for ~60 s on a
  // machine without its prebuilt download, and `npm ci` of this checkout has just proved that it compiles.
  // The addon it built is the same file the installed package needs.
  cpSync(join(root, "node_modules/better-sqlite3/build"), join(app, "node_modules/better-sqlite3/build"), {
    recursive: true,
  });
}, 900_000);

afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("ships the compiled CLI, the data files and deploy/, and no tests or build leftovers", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "bin/ampx.js",
        "dist/engine/cli.js",
        "schema/site.schema.json",
        "profiles/meatrol/mp440.yaml",
        "sites/demo.yaml",
        "templates/upload/default.json.hbs",
        "deploy/ampx-gateway.service",
        "deploy/install.sh",
        "docs/install.md",
        "engine/web/public/index.html",
      ]),
    );
    expect(files.filter((f) => f.startsWith("test/") || f.startsWith("firmware/build/"))).toEqual([]);
    expect(existsSync(join(root, "dist")), "npm pack must not build into the working tree").toBe(distBefore);
  });
});

describe("installed from the tarball", () => {
  let simulator: Simulator | undefined;
  afterAll(async () => {
    await simulator?.stop();
  });

  it("runs compiled JavaScript, without the dev dependencies", () => {
    expect(existsSync(join(app, "node_modules/ampx-gateway/dist/engine/cli.js"))).toBe(true);
    expect(existsSync(join(app, "node_modules/tsx"))).toBe(false);
  });

  it("ampx --help lists the commands", async () => {
    const { code, stdout } = await ampx("--help");
    expect(code).toBe(0);
    for (const command of ["validate", "probe", "budget", "simulate"])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  }, 60_000);

  it("ampx validate checks the installed demo site", async () => {
    const demo = join(app, "node_modules/ampx-gateway/sites/demo.yaml");
    const { code, stdout, stderr } = await ampx("validate", demo);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/demo\.yaml: ok, site with 6 meters/);
  }, 60_000);

  it("ampx probe reads a simulated meter", async () => {
    const site = loadTestSite({
      transport: { type: "tcp" },
      meters: [{ id: "m", profile: "eastron/sdm630", host: "127.0.0.1", port: 1502, unitId: 1 }],
    });
    simulator = new Simulator({ site: { ...site, meters: site.meters.map((m) => ({ ...m, port: 0 })) } });
    const [endpoint] = await simulator.start();
    if (endpoint?.transport !== "tcp") throw new Error("tcp endpoint expected");
    const { code, stdout, stderr } = await ampx(
      "probe",
      `${endpoint.host}:${endpoint.port}`,
      "--function",
      "input",
      "--address",
      "0",
      "--quantity",
      "voltage_l1",
      "--json",
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { best: string | null };
    expect(result.best).toBe(
      "{ quantity: voltage_l1, address: 0, type: f32, wordOrder: ABCD, function: input }",
    );
  }, 60_000);
});
