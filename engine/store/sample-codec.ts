// Packs the values of one poll batch into a blob: per quantity a little-endian float64 (NaN = no value)
// followed by one quality byte. Identity quantities (strings) never go through here.
import type { Quality } from "../model.js";

const QUALITIES: readonly Quality[] = ["good", "invalid", "out_of_range", "stale"];
const BYTES_PER_VALUE = 9;

export interface PackedValue {
  value: number | null;
  quality: Quality;
}

export function encodeValues(values: readonly PackedValue[]): Buffer {
  const buffer = Buffer.alloc(values.length * BYTES_PER_VALUE);
  values.forEach((entry, i) => {
    const at = i * BYTES_PER_VALUE;
    buffer.writeDoubleLE(entry.value === null ? Number.NaN : entry.value, at);
    buffer.writeUInt8(Math.max(0, QUALITIES.indexOf(entry.quality)), at + 8);
  });
  return buffer;
}

/** The value at `index` of a packed blob, or undefined when the blob is shorter. */
export function decodeValueAt(data: Buffer, index: number): PackedValue | undefined {
  const at = index * BYTES_PER_VALUE;
  if (at + BYTES_PER_VALUE > data.length) return undefined;
  const raw = data.readDoubleLE(at);
  return { value: Number.isNaN(raw) ? null : raw, quality: QUALITIES[data.readUInt8(at + 8)] ?? "invalid" };
}

export function decodeValues(data: Buffer): PackedValue[] {
  const out: PackedValue[] = [];
  for (let i = 0; i * BYTES_PER_VALUE < data.length; i++) out.push(decodeValueAt(data, i)!);
  return out;
}
