// Numbers for people: units scaled (W → kW), a sensible number of decimals per unit, grouping, and ages.

const fmtCache = new Map();
function nf(decimals) {
  let f = fmtCache.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat(undefined, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    fmtCache.set(decimals, f);
  }
  return f;
}

/** Decimals for a value in a unit (after scaling). */
function decimalsFor(unit, abs) {
  switch (unit) {
    case "V":
      return 1;
    case "A":
      return abs >= 100 ? 1 : 2;
    case "W":
    case "var":
    case "VA":
      return 0;
    case "kW":
    case "kvar":
    case "kVA":
    case "MW":
      return abs >= 100 ? 1 : 2;
    case "kWh":
    case "kvarh":
    case "kVAh":
      return abs >= 100000 ? 0 : 1;
    case "Hz":
      return 2;
    case "%":
      return 1;
    default:
      return abs >= 100 ? 1 : 3;
  }
}

const SCALED = { W: "kW", var: "kvar", VA: "kVA" };

/**
 * @param {number | string | null | undefined} value in the canonical unit
 * @param {string} unit canonical unit ("" for power factor and identities)
 * @returns {{ text: string, unit: string }}
 */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return { text: "—", unit: "" };
  if (typeof value === "string") return { text: value, unit: "" };
  if (!Number.isFinite(value)) return { text: "—", unit: "" };
  let v = value;
  let u = unit;
  if (SCALED[unit] && Math.abs(v) >= 1000) {
    v = v / 1000;
    u = SCALED[unit];
  }
  return { text: nf(decimalsFor(u, Math.abs(v))).format(v), unit: u };
}

/** "230.1 V", "2.34 kW", "0.970" */
export function formatWithUnit(value, unit) {
  const f = formatValue(value, unit);
  return f.unit ? `${f.text} ${f.unit}` : f.text;
}

/** Age of a timestamp: "now", "4 s", "3 min", "2 h", "5 d"; "never" when null. */
export function formatAge(ms) {
  if (ms === null || ms === undefined) return "never";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 1) return "now";
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const hrs = Math.round(m / 60);
  if (hrs < 48) return `${hrs} h`;
  return `${Math.round(hrs / 24)} d`;
}

export function formatBytes(n) {
  if (n === null || n === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${nf(i === 0 ? 0 : 1).format(v)} ${units[i]}`;
}

/** Local date and time of an epoch-ms timestamp, in the site's time zone when the browser knows it. */
export function formatTime(ms, timeZone) {
  if (ms === null || ms === undefined) return "—";
  try {
    return new Date(ms).toLocaleString(undefined, { timeZone, dateStyle: "short", timeStyle: "medium" });
  } catch {
    return new Date(ms).toLocaleString();
  }
}

export function formatDuration(ms) {
  if (ms % 3600000 === 0) return `${ms / 3600000} h`;
  if (ms % 60000 === 0) return `${ms / 60000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
