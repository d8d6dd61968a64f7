// The one table from YAML / engine names to the C++ enumerators of firmware/include/ampx_site_types.h
// and lib/ampx_core/src/ampx_types.h (whose enumerators are the YAML names themselves).
// The generator never spells a C++ enumerator anywhere else: a new YAML value is a new row here
// (and a new enumerator there), and a value without a row cannot be generated (FIRMWARE_E_UNSUPPORTED_*).
import type { QuantityKind, RegisterFunction, RegisterType, WordOrder } from "../model.js";

export const CPP_ENUMS = {
  transport: { rtu: "ampx::TransportKind::rtu", tcp: "ampx::TransportKind::tcp" },
  parity: { none: "ampx::Parity::none", even: "ampx::Parity::even", odd: "ampx::Parity::odd" },
  registerFunction: {
    holding: "ampx::RegisterFunction::holding",
    input: "ampx::RegisterFunction::input",
  },
  registerType: {
    u16: "ampx::RegisterType::u16",
    s16: "ampx::RegisterType::s16",
    u32: "ampx::RegisterType::u32",
    s32: "ampx::RegisterType::s32",
    u64: "ampx::RegisterType::u64",
    s64: "ampx::RegisterType::s64",
    f32: "ampx::RegisterType::f32",
    f64: "ampx::RegisterType::f64",
    string: "ampx::RegisterType::string",
  },
  wordOrder: {
    ABCD: "ampx::WordOrder::ABCD",
    CDAB: "ampx::WordOrder::CDAB",
    BADC: "ampx::WordOrder::BADC",
    DCBA: "ampx::WordOrder::DCBA",
  },
  quantityKind: {
    instantaneous: "ampx::QuantityKind::instantaneous",
    counter: "ampx::QuantityKind::counter",
    identity: "ampx::QuantityKind::identity",
  },
  uploadMode: { site: "ampx::UploadMode::site", meter: "ampx::UploadMode::meter" },
  authKind: {
    none: "ampx::AuthKind::none",
    bearer: "ampx::AuthKind::bearer",
    basic: "ampx::AuthKind::basic",
    header: "ampx::AuthKind::header",
  },
  secretSource: {
    none: "ampx::SecretSource::none",
    literal: "ampx::SecretSource::literal",
    env: "ampx::SecretSource::env",
    secret: "ampx::SecretSource::secrets_file",
  },
  aggregateField: {
    avg: "ampx::AggregateField::avg",
    min: "ampx::AggregateField::min",
    max: "ampx::AggregateField::max",
    first: "ampx::AggregateField::first",
    last: "ampx::AggregateField::last",
    delta: "ampx::AggregateField::delta",
    count: "ampx::AggregateField::count",
    badCount: "ampx::AggregateField::bad_count",
    coverage: "ampx::AggregateField::coverage",
    quality: "ampx::AggregateField::quality",
    reset: "ampx::AggregateField::reset",
  },
  slotSource: {
    aggregate: "ampx::SlotSource::aggregate",
    intervalStart: "ampx::SlotSource::interval_start",
    intervalEnd: "ampx::SlotSource::interval_end",
    identity: "ampx::SlotSource::identity",
  },
  timeRepr: {
    none: "ampx::TimeRepr::none",
    isoMillis: "ampx::TimeRepr::iso_millis",
    isoSeconds: "ampx::TimeRepr::iso_seconds",
    epochMillis: "ampx::TimeRepr::epoch_millis",
    epochSeconds: "ampx::TimeRepr::epoch_seconds",
  },
  slotOp: {
    none: "ampx::SlotOp::none",
    multiply: "ampx::SlotOp::multiply",
    divide: "ampx::SlotOp::divide",
  },
  slotFormat: {
    json: "ampx::SlotFormat::json",
    jsonInner: "ampx::SlotFormat::json_inner",
    text: "ampx::SlotFormat::text",
    textEscaped: "ampx::SlotFormat::text_escaped",
  },
} as const;

export type CppEnumTable = typeof CPP_ENUMS;
export type AggregateField = keyof CppEnumTable["aggregateField"];
export type SlotSourceName = keyof CppEnumTable["slotSource"];
export type TimeRepr = keyof CppEnumTable["timeRepr"];
export type SlotOpName = keyof CppEnumTable["slotOp"];
export type SlotFormat = keyof CppEnumTable["slotFormat"];
export type AuthKind = keyof CppEnumTable["authKind"];
export type SecretSourceName = keyof CppEnumTable["secretSource"];

/** The C++ enumerator for `value` of enum `table`, or undefined when the firmware has none. */
export function cppEnum<T extends keyof CppEnumTable>(table: T, value: string): string | undefined {
  const rows = CPP_ENUMS[table] as Readonly<Record<string, string>>;
  return Object.hasOwn(rows, value) ? rows[value] : undefined;
}

/** Type guards for the tables the site data is checked against. */
export function isSupportedRegisterType(type: string): type is RegisterType {
  return cppEnum("registerType", type) !== undefined;
}
export function isSupportedWordOrder(order: string): order is WordOrder {
  return cppEnum("wordOrder", order) !== undefined;
}
export function isSupportedFunction(fn: string): fn is RegisterFunction {
  return cppEnum("registerFunction", fn) !== undefined;
}
export function isSupportedKind(kind: string): kind is QuantityKind {
  return cppEnum("quantityKind", kind) !== undefined;
}
