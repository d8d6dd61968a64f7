// Builds the firmware core for an ARM Cortex-M4 with arm-none-eabi-g++ -Os (Debian's
// gcc-arm-none-eabi stands in for the ESP32's Xtensa compiler, which cannot be installed here) and
// measures it with arm-none-eabi-size. Used by bench/firmware-size.ts and test/firmware/core.test.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sizeSiteHeader } from "./size-site.js";

const run = promisify(execFile);

export const firmwareDir = fileURLToPath(new URL("../../firmware/", import.meta.url));
const coreSrc = join(firmwareDir, "lib/ampx_core/src");

export const ARM_FLAGS = [
  "-std=c++17",
  "-Os",
  "-fno-exceptions",
  "-fno-rtti",
  "-ffp-contract=off",
  "-mcpu=cortex-m4",
  "-mthumb",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-ffunction-sections",
  "-fdata-sections",
];

export interface SectionSizes {
  text: number;
  data: number;
  bss: number;
}

export interface ArmImage {
  /** The core's object files on their own (sum over lib/ampx_core/src/*.cpp). */
  core: SectionSizes;
  /** A linked program (test/size/size_main.cpp) driving the whole core over a generated 32-meter site. */
  image: SectionSizes;
  /** Bytes of the site's constexpr tables in flash (meters, blocks, quantities, payload chunks and slots). */
  siteTables: number;
  /** The largest static RAM users of the image, by symbol. */
  ramSymbols: { name: string; bytes: number }[];
  meters: number;
}

function parseSize(stdout: string): SectionSizes[] {
  return stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [text, data, bss] = line.trim().split(/\s+/).map(Number);
      return { text: text ?? 0, data: data ?? 0, bss: bss ?? 0 };
    });
}

/**
 * Compiles, links and measures; throws when the toolchain is missing or the build fails.
 * `objectsDir`: take the core's objects from there (firmware/test's `make arm` builds them with the
 * same flags) instead of compiling them again.
 */
export async function buildArmImage(meters = 32, objectsDir?: string): Promise<ArmImage> {
  const dir = mkdtempSync(join(tmpdir(), "ampx-arm-"));
  try {
    writeFileSync(join(dir, "site_config.h"), sizeSiteHeader(meters));
    const sources = readdirSync(coreSrc)
      .filter((f) => f.endsWith(".cpp"))
      .sort();
    const includes = [`-I${coreSrc}`, `-I${join(firmwareDir, "include")}`, `-I${dir}`];
    const objects: string[] = [];
    await Promise.all(
      sources.map(async (file) => {
        const object = join(objectsDir ?? dir, file.replace(/\.cpp$/, ".o"));
        objects.push(object);
        if (objectsDir === undefined) {
          await run("arm-none-eabi-g++", [...ARM_FLAGS, ...includes, "-c", join(coreSrc, file), "-o", object]);
        }
      }),
    );
    const core = parseSize((await run("arm-none-eabi-size", objects.sort())).stdout).reduce(
      (sum, s) => ({ text: sum.text + s.text, data: sum.data + s.data, bss: sum.bss + s.bss }),
      { text: 0, data: 0, bss: 0 },
    );
    const elf = join(dir, "size.elf");
    // Full newlib (not nano): the payload writer needs printf's %e and strtod, as on the ESP32.
    await run(
      "arm-none-eabi-g++",
      [
        ...ARM_FLAGS,
        ...includes,
        join(firmwareDir, "test/size/size_main.cpp"),
        ...objects,
        "--specs=nosys.specs",
        "-Wl,--gc-sections",
        "-o",
        elf,
      ],
      { maxBuffer: 1 << 24 },
    );
    const [image] = parseSize((await run("arm-none-eabi-size", [elf])).stdout);
    const symbols = (await run("arm-none-eabi-nm", ["--size-sort", "-S", "-C", elf], { maxBuffer: 1 << 24 })).stdout
      .trim()
      .split("\n")
      .map((line) => {
        const match = /^[0-9a-f]+ ([0-9a-f]+) (\w) (.*)$/.exec(line);
        return match ? { bytes: parseInt(match[1] as string, 16), kind: match[2] as string, name: match[3] as string } : null;
      })
      .filter((s): s is { bytes: number; kind: string; name: string } => s !== null);
    const siteTables = symbols.filter((s) => s.name.startsWith("ampx_site::")).reduce((n, s) => n + s.bytes, 0);
    const ramSymbols = symbols
      .filter((s) => /[bBdD]/.test(s.kind) && s.bytes >= 1024)
      .map((s) => ({ name: s.name.replace("(anonymous namespace)::", ""), bytes: s.bytes }))
      .sort((a, b) => b.bytes - a.bytes);
    if (image === undefined) throw new Error("arm-none-eabi-size printed nothing");
    return { core, image, siteTables, ramSymbols, meters };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
