// From the model's phase state and counters to the canonical quantity vocabulary
// (schema/quantities.json), in canonical units. Every derived value is computed from the same
// instant, so a block read is consistent: totals are sums, L-L = √3·L-N, PF total = P/S.
import type { QuantityName } from "../model.js";
import type { PhaseState } from "./electrical-model.js";
import { phasePowers, type CounterValues } from "./energy-counters.js";

const SQRT3 = Math.sqrt(3);

type Triple = readonly [number, number, number];
const sum = (x: Triple): number => x[0] + x[1] + x[2];
const mean = (x: Triple): number => sum(x) / 3;

/** Counter quantities and the counter (and phase) behind each. */
export const COUNTER_QUANTITIES: Readonly<
  Partial<Record<QuantityName, { counter: keyof CounterValues; phase: 0 | 1 | 2 | "total" }>>
> = {
  active_energy_import: { counter: "activeImport", phase: "total" },
  active_energy_import_l1: { counter: "activeImport", phase: 0 },
  active_energy_import_l2: { counter: "activeImport", phase: 1 },
  active_energy_import_l3: { counter: "activeImport", phase: 2 },
  active_energy_export: { counter: "activeExport", phase: "total" },
  active_energy_export_l1: { counter: "activeExport", phase: 0 },
  active_energy_export_l2: { counter: "activeExport", phase: 1 },
  active_energy_export_l3: { counter: "activeExport", phase: 2 },
  reactive_energy_import: { counter: "reactiveImport", phase: "total" },
  reactive_energy_import_l1: { counter: "reactiveImport", phase: 0 },
  reactive_energy_import_l2: { counter: "reactiveImport", phase: 1 },
  reactive_energy_import_l3: { counter: "reactiveImport", phase: 2 },
  reactive_energy_export: { counter: "reactiveExport", phase: "total" },
  reactive_energy_export_l1: { counter: "reactiveExport", phase: 0 },
  reactive_energy_export_l2: { counter: "reactiveExport", phase: 1 },
  reactive_energy_export_l3: { counter: "reactiveExport", phase: 2 },
  apparent_energy: { counter: "apparent", phase: "total" },
};

/** The demand figures a meter keeps (sliding-window averages and their maxima). */
export interface DemandValues {
  activePower: number;
  activePowerMax: number;
  apparentPower: number;
  apparentPowerMax: number;
  current: number;
  currentMax: number;
}

/** Every measured (non-identity) quantity at one instant. */
export function measuredQuantities(
  state: PhaseState,
  counters: CounterValues,
  demand: DemandValues,
): Partial<Record<QuantityName, number>> {
  const { voltage: v, current: i, powerFactor: pf } = state;
  const power = phasePowers(state);
  const lineVoltage = (a: number, b: number): number => (SQRT3 * (a + b)) / 2;
  const ll: Triple = [lineVoltage(v[0], v[1]), lineVoltage(v[1], v[2]), lineVoltage(v[2], v[0])];
  // Phasor sum of three currents 120° apart (same displacement on every phase assumed).
  const neutral = Math.sqrt(
    Math.max(0, i[0] ** 2 + i[1] ** 2 + i[2] ** 2 - i[0] * i[1] - i[1] * i[2] - i[2] * i[0]),
  );
  const pTotal = sum(power.active);
  const sTotal = sum(power.apparent);
  // PF = DPF × distortion factor, distortion factor = 1/√(1 + THDi²).
  const dpf = (k: 0 | 1 | 2): number => Math.min(1, pf[k] * Math.sqrt(1 + (state.thdCurrent[k] / 100) ** 2));
  const values: Partial<Record<QuantityName, number>> = {
    voltage_l1: v[0],
    voltage_l2: v[1],
    voltage_l3: v[2],
    voltage_ln_avg: mean(v),
    voltage_l1_l2: ll[0],
    voltage_l2_l3: ll[1],
    voltage_l3_l1: ll[2],
    voltage_ll_avg: mean(ll),
    voltage_n_e: 0.3 + 0.002 * neutral,
    current_l1: i[0],
    current_l2: i[1],
    current_l3: i[2],
    current_n: neutral,
    current_avg: mean(i),
    current_sum: sum(i),
    active_power_l1: power.active[0],
    active_power_l2: power.active[1],
    active_power_l3: power.active[2],
    active_power_total: pTotal,
    reactive_power_l1: power.reactive[0],
    reactive_power_l2: power.reactive[1],
    reactive_power_l3: power.reactive[2],
    reactive_power_total: sum(power.reactive),
    apparent_power_l1: power.apparent[0],
    apparent_power_l2: power.apparent[1],
    apparent_power_l3: power.apparent[2],
    apparent_power_total: sTotal,
    power_factor_l1: pf[0],
    power_factor_l2: pf[1],
    power_factor_l3: pf[2],
    power_factor_total: sTotal > 0 ? pTotal / sTotal : 1,
    displacement_power_factor_l1: dpf(0),
    displacement_power_factor_l2: dpf(1),
    displacement_power_factor_l3: dpf(2),
    displacement_power_factor_total: mean([dpf(0), dpf(1), dpf(2)]),
    frequency: state.frequency,
    frequency_l1: state.frequency,
    frequency_l2: state.frequency,
    frequency_l3: state.frequency,
    thd_voltage_l1: state.thdVoltage[0],
    thd_voltage_l2: state.thdVoltage[1],
    thd_voltage_l3: state.thdVoltage[2],
    thd_voltage_avg: mean(state.thdVoltage),
    thd_current_l1: state.thdCurrent[0],
    thd_current_l2: state.thdCurrent[1],
    thd_current_l3: state.thdCurrent[2],
    thd_current_avg: mean(state.thdCurrent),
    active_power_demand: demand.activePower,
    active_power_demand_max: demand.activePowerMax,
    apparent_power_demand: demand.apparentPower,
    apparent_power_demand_max: demand.apparentPowerMax,
    current_demand: demand.current,
    current_demand_max: demand.currentMax,
  };
  for (const [quantity, source] of Object.entries(COUNTER_QUANTITIES)) {
    if (source === undefined) continue;
    const counter = counters[source.counter];
    values[quantity as QuantityName] = source.phase === "total" ? sum(counter) : counter[source.phase];
  }
  return values;
}
