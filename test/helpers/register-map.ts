// Register contents for test servers: per unit id, holding and input registers by wire address.
export interface UnitRegisters {
  holding?: Record<number, number>;
  input?: Record<number, number>;
}
export type RegisterMap = Record<number, UnitRegisters>;

/** Words of an IEEE-754 float32, high word first (ABCD). */
export function float32Words(value: number): [number, number] {
  const buffer = Buffer.alloc(4);
  buffer.writeFloatBE(value);
  return [buffer.readUInt16BE(0), buffer.readUInt16BE(2)];
}

/** Puts words at consecutive addresses of a table. */
export function put(table: Record<number, number>, address: number, words: readonly number[]): void {
  words.forEach((word, i) => (table[address + i] = word));
}
