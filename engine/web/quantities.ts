// The quantity vocabulary (schema/quantities.json): label, canonical unit and kind of every quantity name,
// so the dashboard never shows a bare identifier or guesses a unit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CanonicalUnit, QuantityKind } from "../model.js";
import { schemaDir } from "../paths.js";

export interface QuantityInfo {
  label: string;
  unit: CanonicalUnit;
  kind: QuantityKind;
}

let vocabulary: Map<string, QuantityInfo> | undefined;

export function quantityVocabulary(): Map<string, QuantityInfo> {
  if (!vocabulary) {
    const file = JSON.parse(readFileSync(join(schemaDir, "quantities.json"), "utf8")) as {
      quantities: { name: string; label: string; unit: CanonicalUnit; kind: QuantityKind }[];
    };
    vocabulary = new Map(
      file.quantities.map((q) => [q.name, { label: q.label, unit: q.unit, kind: q.kind }]),
    );
  }
  return vocabulary;
}
