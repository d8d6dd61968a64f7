// C++ literals for generated code: strings as UTF-8 with octal escapes (never a hex escape, which
// would swallow a following hex digit), doubles that read back as the same double.

/** A C++ string literal of `text` (UTF-8), or nullptr for undefined/null. */
export function cppString(text: string | null | undefined): string {
  if (text === undefined || text === null) return "nullptr";
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte === 0x09) out += "\\t";
    else if (byte === 0x3f && out.endsWith("?"))
      out += "\\?"; // no trigraphs, whatever the compiler mode
    else if (byte < 0x20 || byte >= 0x7f) out += "\\" + byte.toString(8).padStart(3, "0");
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/** A C++ double literal that reads back as exactly `value` (JavaScript's shortest round-trip digits). */
export function cppDouble(value: number): string {
  if (Number.isNaN(value)) return '__builtin_nan("")';
  if (value === Infinity) return "__builtin_inf()";
  if (value === -Infinity) return "-__builtin_inf()";
  if (Object.is(value, -0)) return "-0.0";
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export function cppBool(value: boolean): string {
  return value ? "true" : "false";
}

/** A C++ comment line's text: no line breaks, no comment terminators. */
export function cppComment(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/\*\//g, "* /");
}
