// Modbus RTU timing from the line settings (Modbus over Serial Line V1.02, §2.5.1.1).

/** Bits on the wire per character: 1 start bit + data bits + parity bit (if any) + stop bits. */
export function bitsPerCharacter(
  dataBits: number,
  parity: "none" | "even" | "odd",
  stopBits: number,
): number {
  return 1 + dataBits + (parity === "none" ? 0 : 1) + stopBits;
}

/**
 * The silence that ends a frame: 3.5 character times. Above 19200 baud the spec fixes it at
 * 1.75 ms, because timers that fine are a burden and the shorter gap buys nothing.
 */
export function defaultInterFrameDelayMs(
  baudRate: number,
  dataBits: number,
  parity: "none" | "even" | "odd",
  stopBits: number,
): number {
  const characters = (3.5 * bitsPerCharacter(dataBits, parity, stopBits) * 1000) / baudRate;
  return baudRate > 19200 ? Math.max(1.75, characters) : characters;
}
