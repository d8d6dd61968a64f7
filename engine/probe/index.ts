// `ampx probe`: settle word-order, type, scale and off-by-one questions with one read of a real meter.
export { probe, ProbeError } from "./probe.js";
export type { ProbeRequest, ProbeResult } from "./probe.js";
export { rankCandidates, PROBE_TYPES } from "./candidates.js";
export type { Candidate, RegisterArea } from "./candidates.js";
export { closeness, familyOf, isPlausible } from "./plausibility.js";
export type { QuantityFamily } from "./plausibility.js";
export { formatProbe, probeToJson } from "./format.js";
