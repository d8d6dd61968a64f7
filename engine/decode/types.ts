// Register types: how many 16-bit words each occupies.
import type { RegisterType } from "../model.js";

const WIDTH: Readonly<Record<Exclude<RegisterType, "string">, number>> = {
  u16: 1,
  s16: 1,
  u32: 2,
  s32: 2,
  f32: 2,
  u64: 4,
  s64: 4,
  f64: 4,
};

/** Words a value of this type occupies; a string occupies `length` words (two characters each). */
export function wordCount(type: RegisterType, length?: number): number | undefined {
  return type === "string" ? length : WIDTH[type];
}

export function isFloatType(type: RegisterType): type is "f32" | "f64" {
  return type === "f32" || type === "f64";
}

export function is64BitInteger(type: RegisterType): type is "u64" | "s64" {
  return type === "u64" || type === "s64";
}
