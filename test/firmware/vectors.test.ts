// The shared vector files written by test/firmware/vectors/write.ts are up to date, and their
// expected values agree with what JavaScript itself does (the firmware tests read the same files).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildJsonNumberVectors } from "./vectors/json-numbers.js";
import { vectorDocuments, vectorsDir } from "./vectors/write.js";

describe("firmware test vectors", () => {
  it("are what the generators write (regenerate: npx tsx test/firmware/vectors/write.ts)", () => {
    for (const [name, doc] of Object.entries(vectorDocuments())) {
      expect(JSON.parse(readFileSync(`${vectorsDir}${name}`, "utf8")), name).toEqual(doc);
    }
  });

  it("json-numbers: each expected text is JSON.stringify of the double its bits give", () => {
    const { cases } = buildJsonNumberVectors();
    expect(cases.length).toBeGreaterThan(1000);
    const view = new DataView(new ArrayBuffer(8));
    for (const c of cases) {
      view.setBigUint64(0, BigInt(`0x${c.bits}`));
      expect(JSON.stringify(view.getFloat64(0)), c.bits).toBe(c.expected);
    }
  });
});
