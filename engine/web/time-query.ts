// Time parameters of the API: epoch milliseconds or an ISO 8601 date-time.
import { WebError } from "./web-error.js";

export function parseTime(value: string | string[] | undefined, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  if (Array.isArray(value)) throw new WebError(400, "WEB_E_BAD_TIME", `${name} is given more than once`);
  const t = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t) || t < 0 || t > 8.64e15) {
    throw new WebError(
      400,
      "WEB_E_BAD_TIME",
      `${name} must be epoch milliseconds or an ISO 8601 date-time (e.g. 2026-12-04T10:00:00Z), not "${value.slice(0, 40)}"`,
    );
  }
  return t;
}

/** Keeps at most maxPoints by averaging equal time buckets; a bucket with only nulls stays null (a gap). */
export function downsample(points: [number, number | null][], maxPoints: number): [number, number | null][] {
  if (points.length <= maxPoints) return points;
  const first = points[0]?.[0] ?? 0;
  const last = points[points.length - 1]?.[0] ?? 0;
  const width = (last - first) / maxPoints || 1;
  const out: [number, number | null][] = [];
  let bucket = -1;
  let sum = 0;
  let n = 0;
  let t0 = 0;
  const close = (): void => {
    if (bucket >= 0) out.push([t0, n > 0 ? sum / n : null]);
  };
  for (const [t, v] of points) {
    const b = Math.min(maxPoints - 1, Math.floor((t - first) / width));
    if (b !== bucket) {
      close();
      bucket = b;
      sum = 0;
      n = 0;
      t0 = t;
    }
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  close();
  return out;
}
