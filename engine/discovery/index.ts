// Discovery: find the unit ids that answer and the profiles that explain them (`ampx scan`).
export { scan, scoreProfile, parseUnits, ScanError } from "./scan.js";
export type { ScanOptions, UnitFinding } from "./scan.js";
export { FINGERPRINT, fingerprintOf, pointsFor, rank, ratio, isMatch } from "./score.js";
export type { Evidence, ProfileScore } from "./score.js";
export { toSiteYaml } from "./site-yaml.js";
export type { ScanTarget } from "./site-yaml.js";
