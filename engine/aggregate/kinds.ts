// The kind of every quantity name, from the vocabulary in schema/quantities.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { QuantityKind, QuantityName } from "../model.js";
import { schemaDir } from "../paths.js";

const vocabulary = JSON.parse(readFileSync(join(schemaDir, "quantities.json"), "utf8")) as {
  quantities: { name: string; kind: QuantityKind; unit: string; label: string }[];
};
const kinds = new Map(vocabulary.quantities.map((q) => [q.name, q.kind]));

/** The vocabulary's kind of a quantity; unknown names count as instantaneous. */
export function quantityKind(quantity: QuantityName | string): QuantityKind {
  return kinds.get(quantity) ?? "instantaneous";
}
