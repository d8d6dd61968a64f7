// The table page of the firmware (firmware/src/app/table.html) gzipped into a C++ header
// (firmware/src/app/table_page.h), so the ESP32 serves it from flash as it is and the POSIX build
// serves the same bytes. Regenerate with `npx tsx test/firmware-native/table-page.ts`;
// table-page.test.ts checks that the committed header unpacks to the current page.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const pageFile = fileURLToPath(new URL("../../firmware/src/app/table.html", import.meta.url));
export const headerFile = fileURLToPath(new URL("../../firmware/src/app/table_page.h", import.meta.url));

export function tablePageHeader(html: Buffer): string {
  const gz = gzipSync(html, { level: 9 });
  const rows: string[] = [];
  for (let i = 0; i < gz.length; i += 16) {
    rows.push(
      "    " +
        [...gz.subarray(i, i + 16)].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(", ") +
        ",",
    );
  }
  return `// Generated from table.html (gzip -9, ${html.length} → ${gz.length} bytes) by
// test/firmware-native/table-page.ts: do not edit; change table.html and run
// \`npx tsx test/firmware-native/table-page.ts\`. Served as it is with Content-Encoding: gzip.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ampx::app {

inline constexpr std::uint8_t kTablePageGz[] = {
${rows.join("\n")}
};
inline constexpr std::size_t kTablePageGzLength = sizeof kTablePageGz;

}  // namespace ampx::app
`;
}

/** The bytes of kTablePageGz in a header's text. */
export function headerBytes(header: string): Buffer {
  const body = /kTablePageGz\[\] = \{([^}]*)\}/.exec(header)?.[1] ?? "";
  return Buffer.from([...body.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(headerFile, tablePageHeader(readFileSync(pageFile)));
  console.log(`wrote ${headerFile}`);
}
