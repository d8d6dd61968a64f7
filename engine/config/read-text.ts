// Reads a config file as text, refusing what is not a small UTF-8 text file before any parser sees it.
// Each refusal is a diagnostic (CONFIG_E_*), never an exception.
import { readFileSync, statSync } from "node:fs";
import type { Diagnostic } from "./diagnostic.js";

/** Largest config file the loader reads; checked with stat before reading. A real site file is a few kB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type TextResult =
  { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic };

function refuse(file: string, code: string, message: string, line = 1, column = 1): TextResult {
  return { diagnostic: { code, severity: "error", file, line, column, path: "", message } };
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Line and column (1-based) of a byte offset, counting newlines before it. */
function bytePosition(buffer: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = buffer.indexOf(10); i !== -1 && i < offset; i = buffer.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function readConfigText(file: string, maxBytes: number = MAX_CONFIG_BYTES): TextResult {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return refuse(file, "CONFIG_E_NOT_A_FILE", "is not a regular file");
    size = stat.size;
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return refuse(file, "CONFIG_E_NOT_FOUND", "file not found");
    return refuse(file, "CONFIG_E_UNREADABLE", `cannot read the file (${code ?? "unknown error"})`);
  }
  if (size > maxBytes) {
    return refuse(
      file,
      "CONFIG_E_TOO_LARGE",
      `file is ${size} bytes; config files are limited to ${maxBytes} bytes (is this the right file?)`,
    );
  }
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    return refuse(
      file,
      "CONFIG_E_UNREADABLE",
      `cannot read the file (${errnoCode(error) ?? "unknown error"})`,
    );
  }
  const nul = buffer.indexOf(0);
  if (nul !== -1) {
    const { line, column } = bytePosition(buffer, nul);
    return refuse(file, "CONFIG_E_BINARY", "file contains a NUL byte: not a text file", line, column);
  }
  let text: string;
  try {
    text = utf8.decode(buffer);
  } catch {
    return refuse(file, "CONFIG_E_BINARY", "file is not UTF-8 text");
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  return { text };
}
