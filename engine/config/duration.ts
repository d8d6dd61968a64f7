// Durations as the schema writes them ("500ms", "15m", "1.5h") → milliseconds.

export class DurationError extends Error {
  override name = "DurationError" as const;
  readonly code = "CONFIG_E_DURATION";
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/;

/** Milliseconds of a duration such as "500ms", "5s", "15m", "7d"; throws DurationError for anything else. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (match === null) {
    throw new DurationError(
      `"${text}" is not a duration: write a number and a unit ms, s, m, h or d (e.g. 5s)`,
    );
  }
  const [, amount = "", unit = "ms"] = match;
  return Math.round(Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
}

/** The shortest exact spelling of a millisecond count: 900000 → "15m", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms !== 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
