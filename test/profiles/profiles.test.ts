// Every profile file gets the same checks automatically (STYLE.md §11a): it loads through the config
// loader (schema with ajv strict + lints) without a single diagnostic, it follows profiles/STYLE.md, and
// a realistic value for each of its registers survives encode → register image → decodeBlock.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, loadProfile } from "../../engine/config/index.js";
import { decodeBlock, encodeRegister, unitFactor } from "../../engine/decode/index.js";
import type { RegisterFunction, ResolvedProfile, ResolvedRegister } from "../../engine/model.js";
import { packageRoot, profilesDir } from "../../engine/paths.js";
import { realisticValue } from "./realistic.js";

const files = readdirSync(profilesDir, { recursive: true, encoding: "utf8" })
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join(profilesDir, f))
  .sort();

function load(file: string): ResolvedProfile {
  const { profile, diagnostics } = loadProfile(file);
  expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  expect(profile).toBeDefined();
  return profile as ResolvedProfile;
}

/** Words of every register of one function laid out at their wire addresses, from `first` on. */
function registerImage(registers: ResolvedRegister[]): { start: number; words: number[] } {
  const start = Math.min(...registers.map((r) => r.address));
  const end = Math.max(...registers.map((r) => r.address + r.count));
  const words: number[] = new Array<number>(end - start).fill(0xdead);
  for (const reg of registers) {
    encodeRegister(reg, realisticValue(reg)).forEach((w, i) => (words[reg.address - start + i] = w));
  }
  return { start, words };
}

/** What a decoded value may differ by: float32 rounding, or half an integer register's step. */
function tolerance(reg: ResolvedRegister, value: number): number {
  if (reg.type === "f32") return Math.abs(value) * 1e-6 + 1e-9;
  if (reg.type === "f64") return Math.abs(value) * 1e-12 + 1e-12;
  return (Math.abs(reg.multiplier) * (unitFactor(reg.unit, reg.canonicalUnit) ?? 1)) / 2 + 1e-9;
}

it("finds the shipped profiles", () => {
  expect(files.map((f) => relative(profilesDir, f))).toEqual(
    expect.arrayContaining([
      "meatrol/mp440.yaml",
      "meatrol/me237.yaml",
      "meatrol/me631.yaml",
      "meatrol/me631-tcp.yaml",
      "eastron/sdm630.yaml",
      "chint/dtsu666.yaml",
      "carlo-gavazzi/em24.yaml",
    ]),
  );
});

for (const file of files) {
  const name = relative(packageRoot, file);

  describe(name, () => {
    it("loads without diagnostics (schema, lints)", () => {
      load(file);
    });

    it("follows profiles/STYLE.md", () => {
      const profile = load(file);
      const lines = readFileSync(file, "utf8").split("\n");
      expect(lines[0]).toBe("# yaml-language-server: $schema=../../schema/profile.schema.json");
      expect(lines[1]).toMatch(/^# Datasheet: https?:\/\/\S+$/);
      const entries = lines.filter((l) => /^ {2}- \{ quantity: /.test(l));
      expect(entries, "one flow mapping per quantity").toHaveLength(profile.registers.length);
      for (const line of entries) expect(line, "trailing datasheet label").toMatch(/\} # \S.*$/);

      expect(profile.source.verification.sources.every((s) => s.url !== undefined)).toBe(true);
      if (profile.vendor === "Meatrol") {
        expect(profile.status).toBe("unverified");
        expect(profile.caveats.length).toBeGreaterThan(0);
        expect(profile.limits.maxRegistersPerRead).toBeLessThanOrEqual(32);
      }
      const addresses = profile.source.quantities.map((q) => q.address);
      expect(addresses, "quantities in address order").toEqual([...addresses].sort((a, b) => a - b));

      for (const reg of profile.registers) {
        if (reg.kind === "instantaneous") {
          expect(reg.range?.min, `${reg.quantity} range.min`).toBeTypeOf("number");
          expect(reg.range?.max, `${reg.quantity} range.max`).toBeTypeOf("number");
        } else if (reg.kind === "counter") {
          expect(reg.range?.min, `${reg.quantity} counters never go below 0`).toBe(0);
        } else {
          expect(reg.range, `${reg.quantity}: identity fields take no range`).toBeUndefined();
        }
        if (reg.quantity.startsWith("voltage_l") && /^voltage_l\d$/.test(reg.quantity)) {
          expect(reg.range).toEqual({ min: 0, max: 500 });
        }
        if (reg.quantity.startsWith("frequency")) expect(reg.range).toEqual({ min: 45, max: 65 });
        if (reg.quantity.includes("power_factor")) expect(reg.range).toEqual({ min: -1, max: 1 });
      }
    });

    it("decodes a realistic value of every register from a register image", () => {
      const profile = load(file);
      const byFunction = new Map<RegisterFunction, ResolvedRegister[]>();
      for (const reg of profile.registers)
        byFunction.set(reg.function, [...(byFunction.get(reg.function) ?? []), reg]);

      let checked = 0;
      for (const registers of byFunction.values()) {
        const { start, words } = registerImage(registers);
        const samples = decodeBlock({ start, registers }, words, "m1", 1_700_000_000_000);
        samples.forEach((sample, i) => {
          const reg = registers[i] as ResolvedRegister;
          const expected = realisticValue(reg);
          expect(sample.quality, `${reg.quantity} = ${String(sample.value)}`).toBe("good");
          expect(sample.unit).toBe(reg.canonicalUnit);
          if (typeof expected === "string") expect(sample.value).toBe(expected);
          else
            expect(Math.abs((sample.value as number) - expected), reg.quantity).toBeLessThanOrEqual(
              tolerance(reg, expected),
            );
          checked++;
        });
      }
      expect(checked).toBe(profile.registers.length);
    });
  });
}
