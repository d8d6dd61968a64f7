// Pieces several views share: status badges, quantity lookup, the key columns of the site table.
import { h, setText } from "../dom.js";
import { formatAge } from "../format.js";

const STATUS_TEXT = {
  online: "online",
  offline: "offline",
  stale: "stale",
  disabled: "disabled",
  unknown: "waiting",
};

export function badge(status) {
  return h("span", { class: `badge badge-${status}`, data: { status } }, STATUS_TEXT[status] ?? status);
}

export function updateBadge(el, status) {
  if (!el || el.dataset.status === status) return;
  el.dataset.status = status;
  el.className = `badge badge-${status}`;
  setText(el, STATUS_TEXT[status] ?? status);
}

/** The first of the candidates the meter has (profiles differ in which totals they offer). */
export function pick(meterView, candidates) {
  return candidates.find((q) => meterView.quantities.includes(q)) ?? null;
}

/** The key quantities of the site table; each column shows the first candidate the meter has. */
export const KEY_COLUMNS = [
  {
    col: "voltage",
    label: "Voltage",
    unit: "V",
    candidates: ["voltage_ln_avg", "voltage_l1", "voltage_ll_avg"],
  },
  { col: "current", label: "Current", unit: "A", candidates: ["current_avg", "current_l1", "current_sum"] },
  {
    col: "power",
    label: "Power",
    unit: "W / kW",
    candidates: ["active_power_total"],
    // Profiles without a total (per-channel meters) show the sum of their phases.
    sumOf: ["active_power_l1", "active_power_l2", "active_power_l3"],
  },
  { col: "import", label: "Import", unit: "kWh", candidates: ["active_energy_import"] },
  { col: "export", label: "Export", unit: "kWh", candidates: ["active_energy_export"] },
  { col: "pf", label: "PF", unit: "", candidates: ["power_factor_total", "power_factor_l1"] },
  { col: "frequency", label: "Frequency", unit: "Hz", candidates: ["frequency", "frequency_l1"] },
];

export function ageText(lastUpdate, now) {
  return lastUpdate === null || lastUpdate === undefined ? "never" : formatAge(now - lastUpdate);
}

export function meterLink(meterView) {
  return h("a", { href: `#/meter/${encodeURIComponent(meterView.id)}`, class: "meter-name" }, meterView.name);
}

/** A value cell's content: number and unit in separate spans (the unit is styled smaller). */
export function setValue(cell, formatted, quality) {
  const [num, unit] = cell.children.length === 2 ? cell.children : [null, null];
  if (!num) return;
  setText(num, formatted.text);
  setText(unit, formatted.unit);
  const bad = quality && quality !== "good";
  cell.classList.toggle("bad", Boolean(bad));
  if (bad) cell.title = `quality: ${quality}`;
  else cell.removeAttribute("title");
}

export function valueCell(col, label) {
  return h(
    "td",
    { class: "num", data: { col, label } },
    h("span", { class: "v" }, "—"),
    h("span", { class: "u" }, ""),
  );
}
