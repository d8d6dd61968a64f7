// Where a profile's quantity sits on the wire: function, first wire address and register count.
// Shared by the lints (overlaps, holes, block size) and the resolver, so both agree.
import type { Profile, QuantityRegister } from "./schema-types.js";
import type { RegisterFunction } from "../model.js";
import { PROFILE_DEFAULTS, REGISTER_COUNT } from "./defaults.js";

export interface RegisterSpan {
  function: RegisterFunction;
  /** Wire (PDU) address of the first register. */
  start: number;
  /** Number of 16-bit registers; 0 for a string without a length (a lint reports that). */
  count: number;
}

export function registerCount(register: Pick<QuantityRegister, "type" | "length">): number {
  return register.type === "string" ? (register.length ?? 0) : REGISTER_COUNT[register.type];
}

export function registerSpan(profile: Profile, register: QuantityRegister): RegisterSpan {
  return {
    function: register.function ?? profile.defaults.function ?? PROFILE_DEFAULTS.function,
    start: register.address - (profile.addressBase ?? PROFILE_DEFAULTS.addressBase),
    count: registerCount(register),
  };
}

/** `1000–1001` (inclusive), or `1000` for one register, in the file's own numbering. */
export function spanText(address: number, count: number): string {
  return count <= 1 ? String(address) : `${address}–${address + count - 1}`;
}
