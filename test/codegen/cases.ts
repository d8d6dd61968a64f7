// The golden cases of `ampx firmware` and what the codegen tests share: the example sites, the
// golden folder, UPDATE_GOLDEN=1, and reproducible interval values for the payload tests.
import { join } from "node:path";
import { aggregatePlan } from "../../engine/aggregate/plan.js";
import type { IntervalAggregate, ResolvedSite } from "../../engine/model.js";
import { packageRoot } from "../../engine/paths.js";

export const CASES = [
  { name: "demo", site: "sites/demo.yaml", about: "Modbus TCP, default template, one request per interval" },
  {
    name: "rs485",
    site: "sites/ampx-portal.yaml",
    about: "RS485, AmpX portal template, one request per meter",
  },
  {
    name: "w5500",
    site: "sites/tcp-plant.yaml",
    about: "Modbus TCP plant (W5500), bearer token, a disabled meter",
  },
] as const;

/** Files of a generated project compared with the golden copy (the rest are copies of firmware/ sources). */
export const GENERATED_FILES = ["platformio.ini", "include/site_config.h"] as const;

export const UPDATE_GOLDEN = process.env["UPDATE_GOLDEN"] === "1";
export const goldenDir = (name: string) => join(packageRoot, "test", "codegen", "golden", name);
export const sitePath = (site: string) => join(packageRoot, site);

/** mulberry32: a small seeded generator, so every run (and every vector file) is the same. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Numbers that stress JSON number formatting: long fractions, exponents, both ends of the plain range. */
const AWKWARD = [
  0.1 + 0.2,
  1e21,
  1e-7,
  123456789012345680000,
  5e-324,
  -1.5e-7,
  0.000001,
  1 / 3,
  2 ** 53 + 2,
  -1e300,
];

/**
 * Interval aggregates for every planned quantity of a site, as engine/aggregate would produce them
 * (fields absent when count is 0, reset only on counters with samples).
 */
export function intervalAggregates(
  site: ResolvedSite,
  start: number,
  end: number,
  rnd: () => number,
): IntervalAggregate[] {
  return aggregatePlan(site).map((p) => {
    const count = rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 900);
    const coverage = Math.min(1, (count * p.pollIntervalMs) / (end - start));
    const base: IntervalAggregate = {
      meterId: p.meterId,
      quantity: p.quantity,
      kind: p.kind,
      unit: p.unit,
      start,
      end,
      count,
      badCount: Math.floor(rnd() * 3),
      coverage,
      quality: count === 0 ? "missing" : coverage >= 0.9 ? "good" : "partial",
    };
    if (count === 0) return base;
    const value = () =>
      rnd() < 0.1
        ? AWKWARD[Math.floor(rnd() * AWKWARD.length)]!
        : (rnd() - 0.2) * 10 ** Math.floor(rnd() * 6);
    if (p.kind === "instantaneous") {
      const values = [value(), value(), value()];
      return {
        ...base,
        avg: values.reduce((a, b) => a + b, 0) / 3,
        min: Math.min(...values),
        max: Math.max(...values),
      };
    }
    const first = Math.abs(value());
    const delta = Math.abs(value());
    return { ...base, first, last: first + delta, delta, reset: rnd() < 0.2 };
  });
}

/** Serial numbers as a meter might report them: unknown, a number, or text that needs JSON escaping. */
export function identityValue(rnd: () => number): string | number | undefined {
  const r = rnd();
  if (r < 0.3) return undefined;
  if (r < 0.6) return Math.floor(rnd() * 1e8);
  return `SN-"${Math.floor(rnd() * 1000)}"\\é/\u0001`;
}
