// What a reading of a quantity can plausibly be, by quantity family, in the quantity's canonical unit.
// Deliberately wide: the probe asks "could a meter say this?", not "is the grid healthy?".
import { quantityInfo } from "../config/quantities.js";

export interface QuantityFamily {
  /** Short name shown in the probe's header, e.g. "voltage L-N". */
  name: string;
  unit: string;
  min: number;
  max: number;
  /** Values a healthy grid sits near; the closer, the likelier the reading. */
  nominal?: number[];
  /** Distance from the nearest nominal value at which closeness counts nothing. */
  tolerance?: number;
  /** Comes in phases (L1, L2, L3 side by side), so the next value of the same shape should be plausible too. */
  phased: boolean;
  /** Multipliers a meter of this family may need (value = raw × multiplier): scaled integers or floats. */
  scales: number[];
}

const DECIMAL_SCALES = [1, 0.1, 0.01, 0.001];
/** Power and energy may also come in k-units (kW, kWh where the vocabulary says W, or Wh → kWh). */
const POWER_SCALES = [...DECIMAL_SCALES, 1000];

const FAMILIES: { test: RegExp; family: QuantityFamily }[] = [
  {
    test: /^voltage_n_e$/,
    family: { name: "voltage N-E", unit: "V", min: 0, max: 50, phased: false, scales: DECIMAL_SCALES },
  },
  {
    test: /^voltage_(l\d_l\d|ll_avg)$/,
    family: {
      name: "voltage L-L",
      unit: "V",
      min: 330,
      max: 450,
      nominal: [400],
      tolerance: 70,
      phased: true,
      scales: DECIMAL_SCALES,
    },
  },
  {
    test: /^voltage_/,
    family: {
      name: "voltage L-N",
      unit: "V",
      min: 180,
      max: 260,
      nominal: [230],
      tolerance: 50,
      phased: true,
      scales: DECIMAL_SCALES,
    },
  },
  {
    test: /^frequency/,
    family: {
      name: "frequency",
      unit: "Hz",
      min: 45,
      max: 65,
      nominal: [50, 60],
      tolerance: 5,
      phased: false,
      scales: DECIMAL_SCALES,
    },
  },
  {
    test: /^current/,
    family: { name: "current", unit: "A", min: 0, max: 6000, phased: true, scales: DECIMAL_SCALES },
  },
  {
    test: /power_factor/,
    family: { name: "power factor", unit: "", min: -1, max: 1, phased: true, scales: DECIMAL_SCALES },
  },
  {
    test: /^apparent_power/,
    family: { name: "apparent power", unit: "VA", min: 0, max: 1e7, phased: true, scales: POWER_SCALES },
  },
  {
    test: /power/,
    family: { name: "power", unit: "W", min: -1e7, max: 1e7, phased: true, scales: POWER_SCALES },
  },
  {
    test: /energy/,
    family: { name: "energy", unit: "kWh", min: 0, max: 1e9, phased: true, scales: POWER_SCALES },
  },
  {
    test: /^thd_/,
    family: { name: "THD", unit: "%", min: 0, max: 100, phased: true, scales: DECIMAL_SCALES },
  },
];

/** The family of a quantity name; quantities without one (identity fields) are judged only as finite numbers. */
export function familyOf(quantity: string): QuantityFamily {
  const found = FAMILIES.find((f) => f.test.test(quantity));
  if (found !== undefined) return found.family;
  return {
    name: quantityInfo(quantity)?.label ?? quantity,
    unit: quantityInfo(quantity)?.unit ?? "",
    min: -Infinity,
    max: Infinity,
    phased: false,
    scales: [1],
  };
}

/**
 * Whether a value could be this quantity. Non-zero magnitudes below 1e-6 are what the bits of an integer
 * look like read as a float (denormals): never a plausible reading.
 */
export function isPlausible(value: number, family: QuantityFamily): boolean {
  if (!Number.isFinite(value)) return false;
  if (value !== 0 && Math.abs(value) < 1e-6) return false;
  return value >= family.min && value <= family.max;
}

/** 0…1: how close a plausible value is to the family's nearest nominal value (0 when it has none). */
export function closeness(value: number, family: QuantityFamily): number {
  if (family.nominal === undefined || family.tolerance === undefined) return 0;
  const distance = Math.min(...family.nominal.map((n) => Math.abs(value - n)));
  return Math.max(0, 1 - distance / family.tolerance);
}
