import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../scripts/generated-files.js";

describe("generated schema files", () => {
  it("are up to date with schema/*.json (run npm run gen when this fails)", async () => {
    for (const { path, content } of await generatedFiles()) {
      expect(readFileSync(path, "utf8"), path).toBe(content);
    }
  });
});
