import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeRegister } from "../../engine/decode/index.js";
import { vectorsFile, vectorsText } from "../../scripts/gen-decode-vectors.js";
import { expectClose, specOf, type Vector } from "./helpers.js";

const { cases } = JSON.parse(readFileSync(vectorsFile, "utf8")) as { cases: Vector[] };

describe("test/vectors/decode.json", () => {
  it("is what scripts/gen-decode-vectors.ts writes (run it when this fails)", async () => {
    expect(readFileSync(vectorsFile, "utf8")).toBe(await vectorsText());
  });

  it("covers every numeric type × word order, every quality, strings and u64 beyond 2^53", () => {
    const seen = new Set(cases.map((c) => `${c.type} ${c.wordOrder}`));
    for (const type of ["u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64"]) {
      for (const order of ["ABCD", "CDAB", "BADC", "DCBA"])
        expect(seen, `${type} ${order}`).toContain(`${type} ${order}`);
    }
    const qualities = new Set(cases.map((c) => c.expected.quality));
    expect([...qualities].sort()).toEqual(["good", "invalid", "out_of_range"]);
    expect(cases.some((c) => c.type === "string")).toBe(true);
    expect(cases.some((c) => c.type === "u64" && (c.expected.value as number) > 2 ** 53)).toBe(true);
    for (const type of ["s16", "s32", "s64", "f32", "f64"]) {
      expect(
        cases.some((c) => c.type === type && (c.expected.value as number) < 0),
        type,
      ).toBe(true);
    }
  });

  it("has unique case names", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const decoded = decodeRegister(specOf(c), c.words);
    expect(decoded.quality).toBe(c.expected.quality);
    if (typeof c.expected.value === "number") expectClose(decoded.value, c.expected.value, c.name);
    else expect(decoded.value).toBe(c.expected.value);
  });
});
