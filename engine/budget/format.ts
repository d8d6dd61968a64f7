// The budget as text: durations a site engineer reads at a glance, and the per-class table of `ampx budget`.
import type { BusBudget, BusTimeEstimate } from "./estimate.js";

/** 250 ms, 11.8 s, 5 s, 15 min, 6 h. */
export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const trim = (n: number): string => n.toFixed(1).replace(/\.0$/, "");
  if (ms < 120_000) return `${trim(ms / 1000)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)} min`;
  return `${trim(ms / 3_600_000)} h`;
}

const percent = (fraction: number): string =>
  `${fraction * 100 < 1 && fraction > 0 ? "<1" : Math.round(fraction * 100)} %`;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

function formatBus(bus: BusBudget): string[] {
  const meters = `${bus.meters} meter${bus.meters === 1 ? "" : "s"}`;
  const title =
    bus.kind === "rtu"
      ? `RS485 bus ${bus.bus}, ${bus.line ?? ""}, ${meters}`
      : `Modbus TCP ${bus.bus}, ${meters}`;
  const rows = [
    ["class", "interval", "meters", "blocks", "registers", "cycle", "load", ""],
    ...bus.classes.map((c) => [
      c.pollClass,
      formatSeconds(c.intervalMs),
      String(c.meters),
      String(c.blocks),
      String(c.registers),
      formatSeconds(c.cycleMs),
      percent(c.load),
      c.cycleMs > c.intervalMs ? "TOO SLOW" : "",
    ]),
  ];
  const verdict =
    bus.load <= 1
      ? "every class can keep its interval"
      : "the bus cannot keep every interval: reads will fall behind (health shows missedCycles)";
  return [title, ...table(rows).map((line) => `  ${line}`), `  bus load ${percent(bus.load)}: ${verdict}`];
}

/** The text `ampx budget` prints. */
export function formatEstimate(estimate: BusTimeEstimate): string {
  if (estimate.buses.length === 0) return "no enabled meters: nothing to read\n";
  return estimate.buses.map((bus) => formatBus(bus).join("\n")).join("\n\n") + "\n";
}
