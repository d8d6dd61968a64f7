// The probe's answer as a table a site engineer reads on a laptop in a switch room, and as JSON.
import type { Candidate } from "./candidates.js";
import type { ProbeResult } from "./probe.js";

function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const text =
    abs !== 0 && (abs >= 1e9 || abs < 1e-3) ? value.toExponential(3) : String(Number(value.toPrecision(7)));
  return unit === "" ? text : `${text} ${unit}`;
}

const hex = (w: number | undefined): string =>
  w === undefined ? "  —   " : `0x${w.toString(16).padStart(4, "0")}`;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}

/** The profile line a candidate stands for: `{ quantity: voltage_l1, address: 1010, type: f32 }`. */
export function profileLine(c: Candidate, quantity: string, fn: string): string {
  const parts = [`quantity: ${quantity}`, `address: ${c.address}`, `type: ${c.types[0]}`];
  if (c.width > 1) parts.push(`wordOrder: ${c.wordOrders[0]}`);
  if (c.scale !== 1) parts.push(`multiplier: ${c.scale}`);
  parts.push(`function: ${fn}`);
  return `{ ${parts.join(", ")} }`;
}

const describe = (c: Candidate): string =>
  `${c.types.join("/")} ${c.width === 1 ? "" : c.wordOrders.join("/")}`.trim();

export interface FormatOptions {
  /** Rows to show. @default 10 */
  top?: number;
  /** Show implausible readings too. @default false */
  all?: boolean;
}

export function formatProbe(result: ProbeResult, options: FormatOptions = {}): string {
  const { request, family, area } = result;
  const lines: string[] = [];
  const range =
    Number.isFinite(family.min) && Number.isFinite(family.max)
      ? `${family.min}…${family.max}${family.unit === "" ? "" : ` ${family.unit}`}`
      : "any number";
  lines.push(
    `unit ${request.unitId}, ${request.function} registers ${area.start}…${area.start + area.words.length - 1}, ` +
      `judged as ${request.quantity} (${family.name}: ${range})`,
  );
  lines.push("");
  lines.push("register  word    decimal");
  area.words.forEach((w, i) => {
    const a = area.start + i;
    const mark = a === request.address ? "  ← --address" : "";
    lines.push(`${String(a).padEnd(8)}  ${hex(w)}  ${w === undefined ? "refused" : String(w)}${mark}`);
  });
  const refused = result.reads.filter((r) => r.error !== undefined);
  if (refused.length > 0) {
    lines.push(
      `(${refused.length} read(s) refused, e.g. ${refused[0]!.error}; the rest read in smaller parts)`,
    );
  }
  lines.push("");

  const plausible = result.candidates.filter((c) => c.plausible);
  const shown = (options.all === true ? result.candidates : plausible).slice(
    0,
    options.all === true ? undefined : (options.top ?? 10),
  );
  if (shown.length === 0) {
    lines.push(`no reading of these registers is a plausible ${family.name}.`);
    lines.push(
      "Check the address (datasheets may print 1-based or 4xxxx numbers), --function, and the unit id.",
    );
    return lines.join("\n") + "\n";
  }
  const rows = [
    ["rank", "address", "type", "word order", "scale", "value", "next value", "plausible"],
    ...shown.map((c, i) => [
      String(i + 1),
      `${c.address}${c.address === request.address ? "" : c.address < request.address ? " (−1)" : " (+1)"}`,
      c.types.join("/"),
      c.width === 1
        ? c.wordOrders.some((o) => o === "BADC" || o === "DCBA")
          ? "bytes swapped"
          : "—"
        : c.wordOrders.join("/"),
      c.scale === 1 ? "1" : `×${c.scale}`,
      formatValue(c.value, family.unit),
      c.next === undefined ? "" : `${formatValue(c.next.value, family.unit)}${c.next.plausible ? " ✓" : ""}`,
      c.plausible ? "yes" : "no",
    ]),
  ];
  lines.push(...table(rows));
  lines.push("");
  const best = shown[0]!;
  if (best.plausible) {
    lines.push(`most plausible: ${profileLine(best, request.quantity, request.function)}`);
    const close = plausible.filter((c) => c !== best && best.score - c.score < 5);
    const shifted = close.find(
      (c) => c.address !== best.address && Math.abs(c.value - best.value) <= 0.01 * Math.abs(best.value),
    );
    if (shifted !== undefined) {
      lines.push(
        `note: ${describe(shifted)} at ${shifted.address} reads almost the same value as ${describe(best)} at ` +
          `${best.address}: a float's low word, or an integer's zero high word, barely changes the value, so one ` +
          "read cannot tell an address offset from a word swap here. Trust the datasheet's address, " +
          "or probe a value whose low word matters (an energy counter as u32) and compare it with the display.",
      );
    } else if (close.length > 0) {
      lines.push(`(${close.length} other reading(s) score almost as well: compare with the meter's display)`);
    }
  } else {
    lines.push(`no plausible ${family.name} in these registers.`);
  }
  return lines.join("\n") + "\n";
}

/** The result as plain JSON (--json). */
export function probeToJson(result: ProbeResult): unknown {
  return {
    request: result.request,
    family: { ...result.family, min: finiteOrNull(result.family.min), max: finiteOrNull(result.family.max) },
    area: { start: result.area.start, words: result.area.words.map((w) => w ?? null) },
    reads: result.reads,
    candidates: result.candidates.map((c) => ({
      ...c,
      value: finiteOrNull(c.value),
      next: c.next && { ...c.next, value: finiteOrNull(c.next.value) },
    })),
    best:
      result.candidates[0]?.plausible === true
        ? profileLine(result.candidates[0], result.request.quantity, result.request.function)
        : null,
  };
}

const finiteOrNull = (n: number): number | null => (Number.isFinite(n) ? n : null);
