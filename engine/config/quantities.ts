// The quantity vocabulary (schema/quantities.json): canonical unit and kind of every quantity name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CanonicalUnit, QuantityKind, QuantityName } from "../model.js";
import { schemaDir } from "../paths.js";

export interface QuantityInfo {
  name: QuantityName;
  unit: CanonicalUnit;
  kind: QuantityKind;
  label: string;
  description: string;
}

let vocabulary: ReadonlyMap<string, QuantityInfo> | undefined;

/** Every quantity by name, read once from schema/quantities.json. */
export function quantityVocabulary(): ReadonlyMap<string, QuantityInfo> {
  if (vocabulary === undefined) {
    const file = JSON.parse(readFileSync(join(schemaDir, "quantities.json"), "utf8")) as {
      quantities: QuantityInfo[];
    };
    vocabulary = new Map(file.quantities.map((q) => [q.name, Object.freeze(q)]));
  }
  return vocabulary;
}

export function quantityInfo(name: string): QuantityInfo | undefined {
  return quantityVocabulary().get(name);
}
