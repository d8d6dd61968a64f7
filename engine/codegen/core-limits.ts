// The firmware core's capacities, read from lib/ampx_core/src/ampx_limits.h: that header is the one
// place they are named (STYLE.md), so the generator checks a site against the very numbers the C++
// core is compiled with instead of a copy that could drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../paths.js";

export const coreDir = join(packageRoot, "firmware", "lib", "ampx_core");
export const limitsHeader = join(coreDir, "src", "ampx_limits.h");

export interface CoreLimits {
  maxMeters: number;
  maxBlocksPerMeter: number;
  maxQuantitiesPerMeter: number;
  maxSeries: number;
  maxPollClasses: number;
  maxSentinels: number;
  maxReadRegisters: number;
  maxStringRegisters: number;
  payloadBufferSize: number;
  maxRingSlots: number;
}

const NAMES: Record<keyof CoreLimits, string> = {
  maxMeters: "kMaxMeters",
  maxBlocksPerMeter: "kMaxBlocksPerMeter",
  maxQuantitiesPerMeter: "kMaxQuantitiesPerMeter",
  maxSeries: "kMaxSeries",
  maxPollClasses: "kMaxPollClasses",
  maxSentinels: "kMaxSentinels",
  maxReadRegisters: "kMaxReadRegisters",
  maxStringRegisters: "kMaxStringRegisters",
  payloadBufferSize: "AMPX_PAYLOAD_BUFFER_SIZE",
  maxRingSlots: "AMPX_RING_SLOTS",
};

/** `constexpr std::size_t kName = 32;` and `#define NAME 32768` with a plain integer value. */
export function parseCoreLimits(header: string): CoreLimits {
  const values = new Map<string, number>();
  for (const m of header.matchAll(/constexpr\s+[\w:]+\s+(k\w+)\s*=\s*(\d+)\s*;/g))
    values.set(m[1]!, Number(m[2]));
  for (const m of header.matchAll(/#define\s+(AMPX_\w+)\s+(\d+)/g)) values.set(m[1]!, Number(m[2]));
  const limits = {} as CoreLimits;
  for (const [key, name] of Object.entries(NAMES) as [keyof CoreLimits, string][]) {
    const value = values.get(name);
    if (value === undefined) throw new Error(`${limitsHeader} does not define ${name} as a plain integer`);
    limits[key] = value;
  }
  return limits;
}

export function readCoreLimits(file: string = limitsHeader): CoreLimits {
  return parseCoreLimits(readFileSync(file, "utf8"));
}
