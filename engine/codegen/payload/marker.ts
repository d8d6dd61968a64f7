// Marker values: stand-ins for the values only known when an interval closes. The template is
// rendered at generation time with markers in place of those values; each marker prints as a
// unique token, and the rendered text split on the tokens gives the literal chunks and the slots.
import type { PayloadSlot, SlotOp, SlotValueSpec } from "./slot.js";

const OPEN = "\uE000";
const CLOSE = "\uE001";
/**
 * A slot token. The "=" inside tells whether handlebars HTML-escaped the token on its way out
 * ("&#x3D;"), which changes the slot's format from text to textEscaped.
 */
export const TOKEN_PATTERN = "\\uE000(\\d+)(=|&#x3D;)\\uE001";
const TOKEN_TEST = new RegExp(TOKEN_PATTERN);

/** Thrown when code treats a runtime value as a number at generation time (arithmetic, comparison). */
export class RuntimeValueUsedError extends Error {
  override name = "RuntimeValueUsedError" as const;
  constructor(readonly description: string) {
    super(
      `${description} is only known when the interval closes; it cannot be computed with at generation time`,
    );
  }
}

/** The slots of one rendering; tokens are indexes into it. */
export class SlotRegistry {
  readonly slots: PayloadSlot[] = [];

  token(slot: PayloadSlot): string {
    this.slots.push(slot);
    return `${OPEN}${this.slots.length - 1}=${CLOSE}`;
  }
}

/** A value of the template context that the firmware fills in at run time. */
export class RuntimeValue {
  constructor(
    readonly registry: SlotRegistry,
    readonly spec: SlotValueSpec,
    /** For error messages: what the value is, e.g. `avg of voltage_l1 of meter "main"`. */
    readonly description: string,
    readonly ops: readonly SlotOp[] = [],
  ) {}

  /** The same value with one more arithmetic step. */
  withOp(op: SlotOp, description: string): RuntimeValue {
    return new RuntimeValue(this.registry, this.spec, description, [...this.ops, op]);
  }

  /** The token of this value printed as handlebars prints a value. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "number") throw new RuntimeValueUsedError(this.description);
    return this.token("text");
  }

  toString(): string {
    return this.token("text");
  }

  toJSON(): never {
    throw new RuntimeValueUsedError(this.description);
  }

  token(format: PayloadSlot["format"]): string {
    return this.registry.token({ value: this.spec, ops: [...this.ops], format });
  }
}

/** True when `value` itself is a runtime value, or text built from one. */
export function isRuntimeValue(value: unknown): boolean {
  return value instanceof RuntimeValue || (typeof value === "string" && TOKEN_TEST.test(value));
}

/** True when `value` is or holds (in a string, an array or an object, a few levels deep) a runtime value. */
export function holdsRuntimeValue(value: unknown, depth = 0): boolean {
  if (value instanceof RuntimeValue) return true;
  if (typeof value === "string") return TOKEN_TEST.test(value);
  if (depth >= 4 || value === null || typeof value !== "object") return false;
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return items.some((item) => holdsRuntimeValue(item, depth + 1));
}

/** The first runtime value inside `value`, for error messages. */
export function describeRuntimeValue(value: unknown, depth = 0): string | undefined {
  if (value instanceof RuntimeValue) return value.description;
  if (typeof value === "string")
    return TOKEN_TEST.test(value) ? "a text built from a runtime value" : undefined;
  if (depth >= 4 || value === null || typeof value !== "object") return undefined;
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const item of items) {
    const found = describeRuntimeValue(item, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A string that holds tokens, re-tokenized for use inside a JSON string: the literal parts
 * JSON-escaped, the tokens switched to jsonInner. JSON.stringify escapes character by character,
 * so JSON.stringify(a + b) is the quoted concatenation of both parts escaped.
 */
export function jsonStringWithTokens(registry: SlotRegistry, text: string): string {
  const re = new RegExp(TOKEN_PATTERN, "g");
  let out = '"';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out += JSON.stringify(text.slice(last, m.index)).slice(1, -1);
    const slot = registry.slots[Number(m[1])];
    if (slot === undefined || slot.format !== "text" || m[2] !== "=") {
      throw new RuntimeValueUsedError("a text built from a runtime value and already formatted");
    }
    out += registry.token({ ...slot, format: "jsonInner" });
    last = m.index + m[0].length;
  }
  return out + JSON.stringify(text.slice(last)).slice(1, -1) + '"';
}
