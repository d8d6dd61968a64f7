// Layer 2 for profiles: rules the schema cannot express. One small named function per rule, each
// with its own stable code; they run on a profile that already fits the schema.
import type { Profile } from "./schema-types.js";
import type { PathSegment } from "./diagnostic.js";
import { LIMIT_DEFAULTS } from "./defaults.js";
import type { Problem } from "./problem.js";
import { quantityInfo } from "./quantities.js";
import { registerSpan, spanText } from "./register-layout.js";
import { slugify } from "./slug.js";
import { unitFactor } from "../decode/units.js";

export interface ProfileLintContext {
  /** Folder and file name slugs the profile was found under (profiles/<vendor>/<model>.yaml). */
  vendorSlug: string;
  modelSlug: string;
}

export type ProfileLint = (profile: Profile, context: ProfileLintContext) => Problem[];

const quantityPath = (index: number, key?: string): PathSegment[] =>
  key === undefined ? ["quantities", index] : ["quantities", index, key];

/** vendor and model, slugged, must be the folder and file the profile lives in: sites refer to it by that path. */
export const lintPathMatchesNames: ProfileLint = (profile, { vendorSlug, modelSlug }) => {
  const problems: Problem[] = [];
  if (slugify(profile.vendor) !== vendorSlug) {
    problems.push({
      code: "PROFILE_E_PATH_MISMATCH",
      path: ["vendor"],
      message: `vendor "${profile.vendor}" belongs in folder "${slugify(profile.vendor)}/", but the file is in "${vendorSlug}/"`,
      hint: "rename the folder or fix the vendor",
    });
  }
  if (slugify(profile.model) !== modelSlug) {
    problems.push({
      code: "PROFILE_E_PATH_MISMATCH",
      path: ["model"],
      message: `model "${profile.model}" belongs in file "${slugify(profile.model)}.yaml", but the file is "${modelSlug}.yaml"`,
      hint: "rename the file or fix the model",
    });
  }
  return problems;
};

/** A quantity appears once per profile: two registers for one quantity leave the engine guessing. */
export const lintDuplicateQuantity: ProfileLint = (profile) => {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    const earlier = first.get(register.quantity);
    if (earlier === undefined) first.set(register.quantity, index);
    else
      problems.push({
        code: "PROFILE_E_DUPLICATE_QUANTITY",
        path: quantityPath(index, "quantity"),
        message: `${register.quantity} is already mapped by quantities[${earlier}]`,
      });
  });
  return problems;
};

/** Two quantities must not share registers of the same function (a copy-paste slip in an address). */
export const lintRegisterOverlap: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  const spans = profile.quantities.map((register, index) => ({
    register,
    index,
    ...registerSpan(profile, register),
  }));
  for (const b of spans) {
    const a = spans.find(
      (other) =>
        other.index < b.index &&
        other.function === b.function &&
        other.count > 0 &&
        b.count > 0 &&
        other.start < b.start + b.count &&
        b.start < other.start + other.count,
    );
    if (a === undefined) continue;
    problems.push({
      code: "PROFILE_E_REGISTER_OVERLAP",
      path: quantityPath(b.index, "address"),
      message:
        `${b.register.quantity} (${b.function} ${spanText(b.register.address, b.count)}) overlaps ` +
        `${a.register.quantity} (quantities[${a.index}], ${spanText(a.register.address, a.count)})`,
    });
  }
  return problems;
};

/** The raw unit must convert to the quantity's canonical unit (kW → W yes, kWh → W no). */
export const lintUnitMatchesQuantity: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    const info = quantityInfo(register.quantity);
    if (info === undefined || register.unit === undefined) return;
    if (unitFactor(register.unit, info.unit) !== undefined) return;
    problems.push({
      code: "PROFILE_E_UNIT_MISMATCH",
      path: quantityPath(index, "unit"),
      message: `unit "${register.unit}" cannot be converted to ${register.quantity}'s unit "${info.unit}"`,
    });
  });
  return problems;
};

/** A string needs its length in registers; other types have a fixed width and take no length. */
export const lintStringLength: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    if (register.type === "string" && register.length === undefined) {
      problems.push({
        code: "PROFILE_E_STRING_WITHOUT_LENGTH",
        path: quantityPath(index, "type"),
        message: `${register.quantity} is a string but has no length (number of registers, two characters each)`,
      });
    } else if (register.type !== "string" && register.length !== undefined) {
      problems.push({
        code: "PROFILE_E_LENGTH_WITHOUT_STRING",
        path: quantityPath(index, "length"),
        message: `length applies only to type string; ${register.type} has a fixed width`,
      });
    }
  });
  return problems;
};

/** Text cannot be averaged or summed: only identity quantities may be strings. */
export const lintStringOnlyForIdentity: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    const info = quantityInfo(register.quantity);
    if (register.type !== "string" || info === undefined || info.kind === "identity") return;
    problems.push({
      code: "PROFILE_E_STRING_NOT_IDENTITY",
      path: quantityPath(index, "type"),
      message: `${register.quantity} is ${info.kind === "counter" ? "a counter" : "an instantaneous value"} and cannot be a string`,
    });
  });
  return problems;
};

/** Every identification entry must be one of the profile's quantities: discovery reads them by name. */
export const lintIdentificationKnown: ProfileLint = (profile) => {
  const mapped = new Set(profile.quantities.map((q) => q.quantity));
  const problems: Problem[] = [];
  (profile.identification ?? []).forEach((name, index) => {
    if (mapped.has(name)) return;
    problems.push({
      code: "PROFILE_E_IDENTIFICATION_UNKNOWN",
      path: ["identification", index],
      message: `${name} is not among this profile's quantities`,
      hint: "add it under quantities or remove it here",
    });
  });
  return problems;
};

/** One quantity must fit in one read, or the planner can never fetch it. */
export const lintBlockSize: ProfileLint = (profile) => {
  const max = profile.limits?.maxRegistersPerRead ?? LIMIT_DEFAULTS.maxRegistersPerRead;
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    const { count } = registerSpan(profile, register);
    if (count <= max) return;
    problems.push({
      code: "PROFILE_E_BLOCK_TOO_LARGE",
      path: quantityPath(index, register.type === "string" ? "length" : "type"),
      message: `${register.quantity} takes ${count} registers, more than the ${max} the meter answers in one read (limits.maxRegistersPerRead)`,
    });
  });
  return problems;
};

/** The wire address (address − addressBase) and the last register must lie in 0–65535. */
export const lintAddressRange: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    const { start, count } = registerSpan(profile, register);
    if (start < 0) {
      problems.push({
        code: "PROFILE_E_ADDRESS_RANGE",
        path: quantityPath(index, "address"),
        message: `address ${register.address} is below 1, the first register when addressBase is 1`,
      });
    } else if (start + Math.max(count, 1) - 1 > 65535) {
      problems.push({
        code: "PROFILE_E_ADDRESS_RANGE",
        path: quantityPath(index, "address"),
        message: `${register.quantity} runs past register 65535`,
      });
    }
  });
  return problems;
};

/** A hole must run forwards, and no quantity may sit in one: the planner never reads there. */
export const lintNoReadAcross: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  const holes = profile.limits?.noReadAcross ?? [];
  holes.forEach((hole, holeIndex) => {
    if (hole.start > hole.end) {
      problems.push({
        code: "PROFILE_E_HOLE_INVERTED",
        path: ["limits", "noReadAcross", holeIndex, "end"],
        message: `end ${hole.end} is before start ${hole.start}`,
      });
      return;
    }
    profile.quantities.forEach((register, index) => {
      const span = registerSpan(profile, register);
      if (hole.function !== undefined && hole.function !== span.function) return;
      const first = register.address;
      const last = register.address + Math.max(span.count, 1) - 1;
      if (last < hole.start || first > hole.end) return;
      problems.push({
        code: "PROFILE_E_REGISTER_IN_HOLE",
        path: quantityPath(index, "address"),
        message: `${register.quantity} (${spanText(first, span.count)}) lies in limits.noReadAcross[${holeIndex}] (${hole.start}–${hole.end}), which is never read`,
      });
    });
  });
  return problems;
};

/** range.min must not be above range.max, or every value would be out_of_range. */
export const lintRangeOrder: ProfileLint = (profile) => {
  const problems: Problem[] = [];
  profile.quantities.forEach((register, index) => {
    const { min, max } = register.range ?? {};
    if (min === undefined || max === undefined || min <= max) return;
    problems.push({
      code: "PROFILE_E_RANGE_INVERTED",
      path: ["quantities", index, "range", "min"],
      message: `min ${min} is above max ${max}`,
    });
  });
  return problems;
};

export const profileLints: readonly ProfileLint[] = [
  lintPathMatchesNames,
  lintDuplicateQuantity,
  lintRegisterOverlap,
  lintUnitMatchesQuantity,
  lintStringLength,
  lintStringOnlyForIdentity,
  lintIdentificationKnown,
  lintBlockSize,
  lintAddressRange,
  lintNoReadAcross,
  lintRangeOrder,
];
