// Decode throughput: how many registers per second decodeBlock turns into samples, for every shipped
// profile's registers (realistic values encoded into a register image first). The poll loop decodes
// at most a few thousand registers per second, so this shows the headroom.
import { loadProfiles } from "../engine/config/index.js";
import { decodeBlock, encodeRegister } from "../engine/decode/index.js";
import type { ResolvedRegister } from "../engine/model.js";

function image(registers: readonly ResolvedRegister[]): { start: number; words: number[] } {
  const start = Math.min(...registers.map((r) => r.address));
  const end = Math.max(...registers.map((r) => r.address + r.count));
  const words = new Array<number>(end - start).fill(0);
  for (const reg of registers) {
    const value =
      reg.type === "string"
        ? "SN1"
        : reg.kind === "counter"
          ? 12345
          : reg.range?.max !== undefined
            ? reg.range.max / 2
            : 1;
    encodeRegister(reg, value).forEach((w, i) => (words[reg.address - start + i] = w));
  }
  return { start, words };
}

export async function run(): Promise<void> {
  const { profiles } = loadProfiles();
  for (const [id, profile] of profiles) {
    // One function at a time, as one block read would carry them.
    const registers = profile.registers.filter((r) => r.function === profile.registers[0]?.function);
    const { start, words } = image(registers);
    const rounds = Math.max(1, Math.floor(200_000 / registers.length));
    const began = process.hrtime.bigint();
    let samples = 0;
    for (let i = 0; i < rounds; i++) samples += decodeBlock({ start, registers }, words, "m1", 0).length;
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    console.log(
      `decode ${id.padEnd(20)} ${String(registers.length).padStart(3)} registers: ` +
        `${(samples / seconds / 1e6).toFixed(2)} M registers/s (${((seconds / rounds) * 1e6).toFixed(1)} µs per block)`,
    );
  }
}
