// Compile check of the ESP32 platform layer (firmware/src/esp32) with the host g++ against stub
// declarations of the Arduino-ESP32 APIs it calls (test/firmware-native/stubs, see its README):
// both builds, with exactly the -D flags the generated platformio.ini gives each environment. It
// proves the layer is consistent with the core, the loop and our transcription of those APIs; it
// is not a build against the real Arduino core, which needs PlatformIO and the Xtensa toolchain.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generateFirmwareProject, writeFirmwareProject } from "../../engine/codegen/project.js";
import { packageRoot } from "../../engine/paths.js";

const exec = promisify(execFile);
const stubs = fileURLToPath(new URL("./stubs", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "ampx-fw-esp32-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The -D flags of one [env:…] section and of [env], as platformio.ini lists them. */
function envDefines(ini: string, env: string): string[] {
  const section = (name: string) => {
    const start = ini.indexOf(`[${name}]`);
    const end = ini.indexOf("\n[", start + 1);
    return ini.slice(start, end === -1 ? undefined : end);
  };
  return [section("env"), section(`env:${env}`)].flatMap((text) =>
    text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("-D")),
  );
}

const CASES = [
  { env: "esp32-rs485", site: "sites/ampx-portal.yaml", transport: "AMPX_TRANSPORT_RS485" },
  { env: "esp32-w5500", site: "sites/tcp-plant.yaml", transport: "AMPX_TRANSPORT_W5500" },
] as const;

describe("ESP32 platform layer against stub Arduino headers", () => {
  for (const c of CASES) {
    it(`${c.env}: src/esp32, src/app and the core's storage compile with g++ -Werror`, async () => {
      const project = generateFirmwareProject(join(packageRoot, c.site));
      const dir = join(scratch, c.env);
      writeFirmwareProject(project, dir);
      const defines = envDefines(project.files.get("platformio.ini")!, c.env);
      expect(defines).toContain(`-D${c.transport}`);
      expect(defines.some((d) => d.startsWith("-DAMPX_PAYLOAD_BUFFER_SIZE="))).toBe(true);
      const sources = [
        ...readdirSync(join(dir, "src", "esp32"))
          .filter((f) => f.endsWith(".cpp"))
          .map((f) => `src/esp32/${f}`),
        ...readdirSync(join(dir, "src", "app"))
          .filter((f) => f.endsWith(".cpp"))
          .map((f) => `src/app/${f}`),
        "lib/ampx_core/src/ampx_storage.cpp",
      ];
      expect(sources).toContain("src/esp32/main.cpp");
      const flags = [
        "-std=gnu++17",
        "-fsyntax-only",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-fno-exceptions",
        "-fno-rtti",
        "-DESP_PLATFORM",
        ...defines,
        `-I${stubs}`,
        "-Iinclude",
        "-Ilib/ampx_core/src",
        "-Isrc",
      ];
      for (const batch of [
        sources.slice(0, Math.ceil(sources.length / 2)),
        sources.slice(Math.ceil(sources.length / 2)),
      ]) {
        await Promise.all(batch.map((source) => exec("g++", [...flags, source], { cwd: dir })));
      }
    }, 60_000);
  }

  it("the W5500 build refuses to compile for an RS485 site (site_config.h's #error)", async () => {
    const project = generateFirmwareProject(join(packageRoot, "sites/ampx-portal.yaml"));
    const dir = join(scratch, "mismatch");
    writeFirmwareProject(project, dir);
    const defines = envDefines(project.files.get("platformio.ini")!, "esp32-w5500");
    const result = exec(
      "g++",
      [
        "-std=gnu++17",
        "-fsyntax-only",
        "-DESP_PLATFORM",
        ...defines,
        `-I${stubs}`,
        "-Iinclude",
        "-Ilib/ampx_core/src",
        "-Isrc",
        "src/esp32/main.cpp",
      ],
      { cwd: dir },
    );
    await expect(result).rejects.toThrow(/build the esp32-rs485 environment/);
  }, 30_000);
});
