// A believable reading for each quantity, in its canonical unit: what a loaded three-phase supply shows
// (about 230/400 V, 12.5 A, exporting 1.5 kW per phase). Chosen inside every profile's plausible range.
import type { ResolvedRegister } from "../../engine/model.js";

const RULES: [RegExp, number | string][] = [
  [/^voltage_l\d_l\d$|^voltage_ll_avg$/, 398.6],
  [/^voltage_n_e$/, 0.4],
  [/^voltage_/, 230.1],
  [/^current_n$/, 1.25],
  [/^current_sum$/, 37.5],
  [/^current_/, 12.5],
  [/^active_power_demand/, 4200],
  [/^active_power_total$/, -4590],
  [/^active_power_/, -1530],
  [/^reactive_power_total$/, 1260],
  [/^reactive_power_/, 420],
  [/^apparent_power_total$/, 4950],
  [/^apparent_power_/, 1650],
  [/^displacement_power_factor_/, 0.97],
  [/^power_factor_/, -0.93],
  [/^frequency/, 50.02],
  [/^thd_/, 3.4],
  [/_energy/, 12345],
  [/^serial_number$/, 12345678],
  [/^(firmware|hardware)_version$/, 102],
  [/./, 1],
];

export function realisticValue(reg: ResolvedRegister): number | string {
  const value = RULES.find(([pattern]) => pattern.test(reg.quantity))?.[1] ?? 1;
  if (reg.type === "string") return typeof value === "string" ? value : `SN${value}`;
  return value;
}
