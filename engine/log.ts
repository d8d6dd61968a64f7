// The engine's logger: pino, JSON lines on stdout; on a terminal, one readable line per entry instead
// (no extra dependency). Keys that can carry secrets are redacted wherever they appear.
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger, LevelWithSilent } from "pino";

export type { Logger };

export interface LoggerOptions {
  /** @default "info" */
  level?: LevelWithSilent;
  /** Component name added to every line. */
  name?: string;
  /** JSON even on a terminal. @default false */
  json?: boolean;
  /** Where to write. @default process.stdout */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Keys never written to a log, at any of the first levels of nesting. */
const SECRET_KEYS = [
  "password",
  "token",
  "secret",
  "apiKey",
  "authorization",
  "Authorization",
  "auth",
  "value",
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]).filter(
  // "value" is only a secret inside auth blocks (upload auth header value); samples carry values too.
  (path) => !/^(\*\.)*value$/.test(path),
);

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO ",
  40: "WARN ",
  50: "ERROR",
  60: "FATAL",
};
const LEVEL_COLOURS: Record<number, string> = { 40: "\u001b[33m", 50: "\u001b[31m", 60: "\u001b[31m" };

/** One pino JSON line → "12:34:56.789 INFO  message key=value …". */
export function prettyLine(json: string, colour = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, pid: _pid, hostname: _hostname, name, ...rest } = entry;
  const stamp = typeof time === "number" ? new Date(time).toISOString().slice(11, 23) : "";
  const levelName = LEVEL_NAMES[level as number] ?? String(level);
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const head = `${stamp} ${levelName} ${name ? `[${String(name)}] ` : ""}${String(msg ?? "")}`;
  const line = fields ? `${head}  ${fields}` : head;
  const tint = colour ? LEVEL_COLOURS[level as number] : undefined;
  return tint ? `${tint}${line}\u001b[0m` : line;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.stream ?? process.stdout;
  const pretty = options.json !== true && out.isTTY === true;
  const settings = {
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    ...(options.name ? { name: options.name } : {}),
  };
  if (!pretty) return pino(settings, out);
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const json of chunk.toString("utf8").split("\n"))
        if (json) out.write(prettyLine(json, true) + "\n");
      done();
    },
  });
  return pino(settings, lines);
}
