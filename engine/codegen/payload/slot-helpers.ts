// What the engine's payload helpers (engine/upload/helpers.ts: json, str, num, iso) do when an
// argument is a runtime value. A helper with a row here compiles into a slot (a format, maybe an
// arithmetic step, that the firmware repeats); a helper without one cannot run on the device, and
// using it on a runtime value is an error. Helpers whose arguments are all known at generation time
// run as they are, in the engine's own code, so their output is the engine's by construction.
import Handlebars from "handlebars";
import type { HelperOptions } from "handlebars";
import { jsonStringWithTokens, RuntimeValue, RuntimeValueUsedError } from "./marker.js";
import type { SlotRegistry } from "./marker.js";

/** Compiles one helper call; `params` are the positional arguments, `options` handlebars' (hash). */
export type SlotHelper = (
  params: readonly unknown[],
  options: HelperOptions,
  registry: SlotRegistry,
) => unknown;

const safe = (text: string) => new Handlebars.SafeString(text);

/** Numeric aggregate fields; quality (string), reset (bool) and identity values are not numbers. */
function isNumeric(value: RuntimeValue): boolean {
  const spec = value.spec;
  return spec.source === "aggregate" && spec.field !== "quality" && spec.field !== "reset";
}

function noDefault(options: HelperOptions, helper: string, allowEmpty: boolean): void {
  const fallback = (options.hash as Record<string, unknown>)["default"];
  if (fallback === undefined || (allowEmpty && fallback === "")) return;
  throw new RuntimeValueUsedError(
    `"${helper} … default=" on a runtime value (the firmware writes null for a missing value; drop default=)`,
  );
}

/** {{json x}}: JSON literal; missing or non-finite → null. */
const json: SlotHelper = (params, options, registry) => {
  const value = params[0];
  noDefault(options, "json", false);
  if (value instanceof RuntimeValue) return safe(value.token("json"));
  if (typeof value === "string") return safe(jsonStringWithTokens(registry, value));
  throw new RuntimeValueUsedError(`an object or list holding runtime values, passed to "json"`);
};

/** {{str x}}: String(x) as a JSON string; missing → "". Compiled as quote, jsonInner slot, quote. */
const str: SlotHelper = (params, options, registry) => {
  const value = params[0];
  noDefault(options, "str", true);
  if (value instanceof RuntimeValue) return safe(`"${value.token("jsonInner")}"`);
  if (typeof value === "string") return safe(jsonStringWithTokens(registry, value));
  throw new RuntimeValueUsedError(`an object or list holding runtime values, passed to "str"`);
};

/** {{num x divide=d}}: JSON number of x / d (one division), null when missing or not a number. */
const num: SlotHelper = (params, options) => {
  const value = params[0];
  if (!(value instanceof RuntimeValue)) {
    throw new RuntimeValueUsedError(`a text or object holding runtime values, passed to "num"`);
  }
  if (!isNumeric(value)) return safe("null"); // num of a string or bool is always null
  const divide = (options.hash as Record<string, unknown>)["divide"];
  if (typeof divide === "number" && divide !== 0 && divide !== 1) {
    return safe(
      value.withOp({ op: "divide", operand: divide }, `${value.description} ÷ ${divide}`).token("json"),
    );
  }
  if (divide !== undefined && typeof divide !== "number") {
    throw new RuntimeValueUsedError(
      `"num … divide=" with a divisor that is not a number known at generation time`,
    );
  }
  return safe(value.token("json"));
};

/** Helper name → how it compiles for runtime values (iso only ever sees the interval instants, which are no markers). */
export const SLOT_HELPERS: Readonly<Record<string, SlotHelper>> = { json, str, num };
