// Faults a simulated meter can be told to show, switchable at runtime. Each fault lasts until it
// is cleared, or for `times` requests when that is given.
import type { QuantityName } from "../model.js";

interface Lasting {
  /** Number of requests the fault applies to before it clears itself; unlimited when absent. */
  times?: number;
}

export type Fault =
  /** No answer at all (the client times out). */
  | ({ kind: "timeout" } & Lasting)
  /** Answer late by `ms` milliseconds. */
  | ({ kind: "delay"; ms: number } & Lasting)
  /** RTU: a reply whose CRC does not check. TCP has no CRC: the fault is ignored there. */
  | ({ kind: "bad-crc" } & Lasting)
  /** A well-formed reply carrying another unit id (`unitId`, default the meter's + 1). */
  | ({ kind: "wrong-unit-id"; unitId?: number } & Lasting)
  /** A well-formed read reply with one register less than asked for (byte count 2 short). */
  | ({ kind: "wrong-byte-count" } & Lasting)
  /** A Modbus exception reply with this code (1 illegal function … 4 server device failure, 6 busy, …). */
  | ({ kind: "exception"; code: number } & Lasting)
  /** TCP: close the connection when the next request arrives. RTU: no answer. */
  | ({ kind: "drop-connection" } & Lasting)
  /** One-off action: every energy counter of the meter restarts from zero. */
  | { kind: "counter-reset" }
  /** Serve an implausible value (default: 9999 on every voltage quantity). */
  | ({ kind: "out-of-range"; quantity?: QuantityName; value?: number } & Lasting)
  /** Serve NaN (floats) or the first sentinel / all-ones (integers) (default: every measured quantity). */
  | ({ kind: "nan"; quantity?: QuantityName } & Lasting);

export type FaultKind = Fault["kind"];

export const FAULT_KINDS: readonly FaultKind[] = [
  "timeout",
  "delay",
  "bad-crc",
  "wrong-unit-id",
  "wrong-byte-count",
  "exception",
  "drop-connection",
  "counter-reset",
  "out-of-range",
  "nan",
];

/** A fault description that cannot be used (unknown kind, missing or bad field). */
export class FaultError extends Error {
  override name = "FaultError" as const;
  readonly code = "SIM_E_FAULT";
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function integerField(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultError(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks a fault that came from outside (JSON over the control API) and returns it typed. */
export function parseFault(input: unknown): Fault {
  if (!isRecord(input)) throw new FaultError("a fault is a JSON object with a kind");
  const kind = input.kind;
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultError(
      `unknown fault kind ${JSON.stringify(kind)}; expected one of ${FAULT_KINDS.join(", ")}`,
    );
  }
  const times = integerField(input, "times", 1, 1_000_000);
  const lasting = times === undefined ? {} : { times };
  const quantity = input.quantity;
  if (quantity !== undefined && typeof quantity !== "string")
    throw new FaultError("quantity must be a string");
  const target = quantity === undefined ? {} : { quantity: quantity as QuantityName };
  switch (kind as FaultKind) {
    case "delay": {
      const ms = integerField(input, "ms", 0, 600_000);
      if (ms === undefined) throw new FaultError("a delay fault needs ms");
      return { kind: "delay", ms, ...lasting };
    }
    case "exception": {
      const code = integerField(input, "code", 1, 255);
      if (code === undefined) throw new FaultError("an exception fault needs code");
      return { kind: "exception", code, ...lasting };
    }
    case "wrong-unit-id": {
      const unitId = integerField(input, "unitId", 0, 255);
      return { kind: "wrong-unit-id", ...(unitId === undefined ? {} : { unitId }), ...lasting };
    }
    case "out-of-range": {
      const value = input.value;
      if (value !== undefined && typeof value !== "number") throw new FaultError("value must be a number");
      return { kind: "out-of-range", ...target, ...(value === undefined ? {} : { value }), ...lasting };
    }
    case "nan":
      return { kind: "nan", ...target, ...lasting };
    case "counter-reset":
      return { kind: "counter-reset" };
    case "timeout":
    case "bad-crc":
    case "wrong-byte-count":
    case "drop-connection":
      return { kind: kind as "timeout" | "bad-crc" | "wrong-byte-count" | "drop-connection", ...lasting };
  }
}
