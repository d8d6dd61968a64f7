// Each profile lint on small in-memory profiles: it fires on the mistake it exists for, and stays
// quiet on the correct variant.
import { describe, expect, it } from "vitest";
import {
  lintAddressRange,
  lintBlockSize,
  lintDuplicateQuantity,
  lintIdentificationKnown,
  lintNoReadAcross,
  lintPathMatchesNames,
  lintRangeOrder,
  lintRegisterOverlap,
  lintStringLength,
  lintStringOnlyForIdentity,
  lintUnitMatchesQuantity,
} from "../../engine/config/profile-lints.js";
import type { ProfileLint } from "../../engine/config/profile-lints.js";
import type { Profile, QuantityRegister } from "../../engine/config/schema-types.js";

function profile(quantities: QuantityRegister[], extra: Partial<Profile> = {}): Profile {
  return {
    vendor: "ACME",
    model: "T1",
    verification: { status: "verified", sources: [{ title: "test" }] },
    defaults: {},
    quantities: quantities as Profile["quantities"],
    ...extra,
  };
}

const context = { vendorSlug: "acme", modelSlug: "t1" };
const codes = (lint: ProfileLint, p: Profile): string[] => lint(p, context).map((problem) => problem.code);
const paths = (lint: ProfileLint, p: Profile): string[] =>
  lint(p, context).map((problem) => problem.path.join("."));

describe("profile lints", () => {
  it("lintPathMatchesNames: vendor and model slugs must match folder and file", () => {
    expect(
      codes(lintPathMatchesNames, profile([{ quantity: "voltage_l1", address: 0, type: "f32" }])),
    ).toEqual([]);
    const wrong = profile([{ quantity: "voltage_l1", address: 0, type: "f32" }], {
      vendor: "Carlo Gavazzi",
      model: "EM 24",
    });
    expect(paths(lintPathMatchesNames, wrong)).toEqual(["vendor", "model"]);
    expect(lintPathMatchesNames(wrong, { vendorSlug: "carlo-gavazzi", modelSlug: "em-24" })).toEqual([]);
  });

  it("lintDuplicateQuantity", () => {
    const p = profile([
      { quantity: "voltage_l1", address: 0, type: "f32" },
      { quantity: "voltage_l2", address: 2, type: "f32" },
      { quantity: "voltage_l1", address: 4, type: "f32" },
    ]);
    expect(paths(lintDuplicateQuantity, p)).toEqual(["quantities.2.quantity"]);
    expect(codes(lintDuplicateQuantity, profile(p.quantities.slice(0, 2)))).toEqual([]);
  });

  it("lintRegisterOverlap: same function and shared registers only", () => {
    const overlapping = profile([
      { quantity: "voltage_l1", address: 0, type: "f64" },
      { quantity: "voltage_l2", address: 3, type: "u16" },
    ]);
    expect(codes(lintRegisterOverlap, overlapping)).toEqual(["PROFILE_E_REGISTER_OVERLAP"]);
    const adjacent = profile([
      { quantity: "voltage_l1", address: 0, type: "f64" },
      { quantity: "voltage_l2", address: 4, type: "u16" },
    ]);
    expect(codes(lintRegisterOverlap, adjacent)).toEqual([]);
    const otherFunction = profile([
      { quantity: "voltage_l1", address: 0, type: "f32" },
      { quantity: "voltage_l2", address: 0, type: "f32", function: "input" },
    ]);
    expect(codes(lintRegisterOverlap, otherFunction)).toEqual([]);
    // The default function counts: defaults.function input vs an explicit input register overlap.
    const viaDefault = profile(
      [
        { quantity: "voltage_l1", address: 0, type: "f32" },
        { quantity: "voltage_l2", address: 1, type: "f32", function: "input" },
      ],
      { defaults: { function: "input" } },
    );
    expect(codes(lintRegisterOverlap, viaDefault)).toEqual(["PROFILE_E_REGISTER_OVERLAP"]);
  });

  it("lintUnitMatchesQuantity: convertible units pass, other dimensions fail", () => {
    expect(
      codes(
        lintUnitMatchesQuantity,
        profile([{ quantity: "active_power_total", address: 0, type: "f32", unit: "kW" }]),
      ),
    ).toEqual([]);
    expect(
      codes(
        lintUnitMatchesQuantity,
        profile([{ quantity: "active_energy_import", address: 0, type: "u32", unit: "Wh" }]),
      ),
    ).toEqual([]);
    expect(
      codes(
        lintUnitMatchesQuantity,
        profile([{ quantity: "active_power_total", address: 0, type: "f32", unit: "kWh" }]),
      ),
    ).toEqual(["PROFILE_E_UNIT_MISMATCH"]);
    expect(
      codes(
        lintUnitMatchesQuantity,
        profile([{ quantity: "voltage_l1", address: 0, type: "f32", unit: "A" }]),
      ),
    ).toEqual(["PROFILE_E_UNIT_MISMATCH"]);
  });

  it("lintStringLength: strings need a length, other types must not have one", () => {
    expect(
      codes(lintStringLength, profile([{ quantity: "serial_number", address: 0, type: "string" }])),
    ).toEqual(["PROFILE_E_STRING_WITHOUT_LENGTH"]);
    expect(
      codes(
        lintStringLength,
        profile([{ quantity: "serial_number", address: 0, type: "string", length: 4 }]),
      ),
    ).toEqual([]);
    expect(
      codes(lintStringLength, profile([{ quantity: "serial_number", address: 0, type: "u32", length: 2 }])),
    ).toEqual(["PROFILE_E_LENGTH_WITHOUT_STRING"]);
  });

  it("lintStringOnlyForIdentity", () => {
    expect(
      codes(
        lintStringOnlyForIdentity,
        profile([{ quantity: "voltage_l1", address: 0, type: "string", length: 2 }]),
      ),
    ).toEqual(["PROFILE_E_STRING_NOT_IDENTITY"]);
    expect(
      codes(
        lintStringOnlyForIdentity,
        profile([{ quantity: "model_code", address: 0, type: "string", length: 2 }]),
      ),
    ).toEqual([]);
  });

  it("lintIdentificationKnown", () => {
    const quantities: QuantityRegister[] = [{ quantity: "serial_number", address: 0, type: "u32" }];
    expect(
      codes(lintIdentificationKnown, profile(quantities, { identification: ["serial_number"] })),
    ).toEqual([]);
    expect(
      paths(
        lintIdentificationKnown,
        profile(quantities, { identification: ["serial_number", "model_code"] }),
      ),
    ).toEqual(["identification.1"]);
  });

  it("lintBlockSize: one quantity must fit in the meter's largest read", () => {
    const q: QuantityRegister[] = [{ quantity: "serial_number", address: 0, type: "string", length: 10 }];
    expect(codes(lintBlockSize, profile(q, { limits: { maxRegistersPerRead: 10 } }))).toEqual([]);
    expect(codes(lintBlockSize, profile(q, { limits: { maxRegistersPerRead: 9 } }))).toEqual([
      "PROFILE_E_BLOCK_TOO_LARGE",
    ]);
    expect(
      codes(
        lintBlockSize,
        profile([{ quantity: "voltage_l1", address: 0, type: "f64" }], {
          limits: { maxRegistersPerRead: 2 },
        }),
      ),
    ).toEqual(["PROFILE_E_BLOCK_TOO_LARGE"]);
  });

  it("lintAddressRange: below the base, or past 65535", () => {
    expect(
      codes(
        lintAddressRange,
        profile([{ quantity: "voltage_l1", address: 0, type: "f32" }], { addressBase: 1 }),
      ),
    ).toEqual(["PROFILE_E_ADDRESS_RANGE"]);
    expect(
      codes(
        lintAddressRange,
        profile([{ quantity: "voltage_l1", address: 1, type: "f32" }], { addressBase: 1 }),
      ),
    ).toEqual([]);
    expect(
      codes(lintAddressRange, profile([{ quantity: "voltage_l1", address: 65535, type: "f32" }])),
    ).toEqual(["PROFILE_E_ADDRESS_RANGE"]);
    expect(
      codes(lintAddressRange, profile([{ quantity: "voltage_l1", address: 65534, type: "f32" }])),
    ).toEqual([]);
  });

  it("lintNoReadAcross: inverted holes and quantities inside holes", () => {
    const q: QuantityRegister[] = [
      { quantity: "voltage_l1", address: 10, type: "f32" },
      { quantity: "voltage_l2", address: 20, type: "f32", function: "input" },
    ];
    expect(
      codes(lintNoReadAcross, profile(q, { limits: { noReadAcross: [{ start: 12, end: 19 }] } })),
    ).toEqual([]);
    expect(
      codes(lintNoReadAcross, profile(q, { limits: { noReadAcross: [{ start: 11, end: 19 }] } })),
    ).toEqual(["PROFILE_E_REGISTER_IN_HOLE"]);
    expect(
      codes(
        lintNoReadAcross,
        profile(q, { limits: { noReadAcross: [{ start: 20, end: 30, function: "holding" }] } }),
      ),
    ).toEqual([]);
    expect(
      codes(lintNoReadAcross, profile(q, { limits: { noReadAcross: [{ start: 30, end: 25 }] } })),
    ).toEqual(["PROFILE_E_HOLE_INVERTED"]);
  });

  it("lintRangeOrder", () => {
    expect(
      codes(
        lintRangeOrder,
        profile([{ quantity: "voltage_l1", address: 0, type: "f32", range: { min: 300, max: 0 } }]),
      ),
    ).toEqual(["PROFILE_E_RANGE_INVERTED"]);
    expect(
      codes(
        lintRangeOrder,
        profile([{ quantity: "voltage_l1", address: 0, type: "f32", range: { min: 0, max: 300 } }]),
      ),
    ).toEqual([]);
  });
});
