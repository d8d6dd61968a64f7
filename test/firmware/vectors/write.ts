// Writes the vector files the firmware core tests share with the engine:
//   npx tsx test/firmware/vectors/write.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { buildAggregateVectors } from "./aggregate.js";
import { buildJsonNumberVectors } from "./json-numbers.js";

export const vectorsDir = fileURLToPath(new URL("../../vectors/", import.meta.url));

/** The documents the files hold. */
export function vectorDocuments(): Record<string, unknown> {
  return {
    "aggregate.json": buildAggregateVectors(),
    "json-numbers.json": buildJsonNumberVectors(),
  };
}

/** The files and their content, formatted as the repository's prettier config wants them. */
export async function vectorFiles(): Promise<Record<string, string>> {
  const docs = vectorDocuments();
  const files: Record<string, string> = {};
  for (const [name, doc] of Object.entries(docs)) {
    const options = (await resolveConfig(`${vectorsDir}${name}`)) ?? {};
    files[name] = await format(JSON.stringify(doc), { ...options, parser: "json" });
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(await vectorFiles())) {
    writeFileSync(`${vectorsDir}${name}`, text);
    console.log(`wrote test/vectors/${name} (${text.length} bytes)`);
  }
}
