// Code and static RAM of the firmware core, compiled with -Os for a 32-bit microcontroller, for a
// 32-meter site. ARM Cortex-M4 GCC (Debian gcc-arm-none-eabi) stands in for the ESP32's Xtensa
// compiler, which cannot be installed here; the ESP32 figures will differ somewhat.
import { buildArmImage } from "../test/firmware/arm-image.js";

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export async function run(): Promise<void> {
  console.log(
    "firmware core size (arm-none-eabi-g++ -Os -mcpu=cortex-m4 -mthumb: ARM Cortex-M4 GCC stands in for the " +
      "ESP32 Xtensa compiler, which cannot be installed here)",
  );
  const r = await buildArmImage(32);
  console.log(
    `  core objects alone:        text ${r.core.text} B, data ${r.core.data} B, bss ${r.core.bss} B`,
  );
  console.log(
    `  linked, ${r.meters}-meter site:     text ${r.image.text} B (${kb(r.image.text)}), data ${r.image.data} B, ` +
      `bss ${r.image.bss} B (${kb(r.image.bss)})`,
  );
  console.log(`    of text, site tables:    ${r.siteTables} B (${kb(r.siteTables)}) constexpr in flash`);
  console.log("    largest static RAM users:");
  for (const s of r.ramSymbols.slice(0, 8)) console.log(`      ${s.name.padEnd(28)} ${s.bytes} B`);
  console.log("  (linked with full newlib and --gc-sections; the platform layer is a stub)");
}

if (process.argv[1]?.endsWith("firmware-size.ts")) await run();
