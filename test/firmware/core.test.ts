// Builds the firmware core's host tests (firmware/test/Makefile) and runs them twice: plain, and
// with AddressSanitizer + UBSan. Also checks that the core compiles for a Cortex-M4 and links into a
// 32-meter program (the stand-in for the ESP32 build, which cannot be done here).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { buildArmImage, firmwareDir } from "./arm-image.js";

const run = promisify(execFile);
const testDir = join(firmwareDir, "test");
const buildDir = join(firmwareDir, "build/test");
const vectorsDir = join(firmwareDir, "../test/vectors");

interface Outcome {
  code: number;
  output: string;
}

async function runBinary(file: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, ["--vectors", vectorsDir], {
      env: { ...process.env, ASAN_OPTIONS: "detect_leaks=1", UBSAN_OPTIONS: "print_stacktrace=1" },
      timeout: 30_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("firmware core host tests", () => {
  beforeAll(async () => {
    // -j2: the CI machine has two cores. A cold build takes ~20 s there; later runs are incremental.
    await run("make", ["-C", testDir, "-j2", "all"], { timeout: 150_000, maxBuffer: 1 << 24 });
  }, 160_000);

  for (const variant of ["plain", "asan"]) {
    it(`pass when built ${variant === "plain" ? "with g++ -Wall -Wextra -Werror" : "with ASan and UBSan"}`, async () => {
      const { code, output } = await runBinary(join(buildDir, variant, "ampx_tests"));
      const summary = /(\d+) test cases, (\d+) failed, (\d+) failed checks/.exec(output);
      expect(output.split("\n").filter((line) => line.includes("FAIL"))).toEqual([]);
      expect(summary, output).not.toBeNull();
      expect(Number(summary?.[1])).toBeGreaterThanOrEqual(45);
      expect(Number(summary?.[2])).toBe(0);
      expect(code).toBe(0);
    });
  }

  it("compile for an ARM Cortex-M4 with -Os (objects are ARM ELF)", () => {
    const object = readFileSync(join(buildDir, "arm", "ampx_modbus.o"));
    expect(object.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(object.readUInt16LE(18)).toBe(40); // e_machine EM_ARM
  });

  it("link into a 32-meter program for the Cortex-M4 that fits an ESP32's RAM", async () => {
    const image = await buildArmImage(32, join(buildDir, "arm"));
    expect(image.core.text).toBeGreaterThan(5_000);
    expect(image.core.data + image.core.bss).toBe(0); // all state lives in the objects the firmware declares
    // Static RAM (data + bss) under 128 KiB leaves the ESP32 Wroom's ~300 KiB for Wi-Fi, TLS and the web server.
    expect(image.image.data + image.image.bss).toBeLessThan(128 * 1024);
    expect(image.siteTables).toBeGreaterThan(0);
  }, 60_000);
});
