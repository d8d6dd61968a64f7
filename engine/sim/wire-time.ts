// Time a Modbus RTU frame spends on an RS485 wire. Pure arithmetic, shared by the simulator's
// wire-time emulation, the poll engine's benchmark and the bus-time budget.

/** Character framing of a serial line. */
export interface SerialSettings {
  /** Bits per second. */
  baudRate: number;
  /** @default "none" */
  parity?: "none" | "even" | "odd";
  /** @default 8 */
  dataBits?: number;
  /** @default 1 */
  stopBits?: number;
}

/** Bits one character occupies on the wire: 1 start bit + data bits + parity bit (if any) + stop bits. */
export function charBits(serial: SerialSettings): number {
  const parityBits = (serial.parity ?? "none") === "none" ? 0 : 1;
  return 1 + (serial.dataBits ?? 8) + parityBits + (serial.stopBits ?? 1);
}

/** Time of one character on the wire, in milliseconds. */
export function charTimeMs(serial: SerialSettings): number {
  return (charBits(serial) * 1000) / serial.baudRate;
}

/** Time `bytes` characters take on the wire, back to back, in milliseconds. */
export function frameTimeMs(bytes: number, serial: SerialSettings): number {
  return bytes * charTimeMs(serial);
}

/**
 * The silence that ends an RTU frame: 3.5 character times, but a fixed 1.75 ms above 19200 baud
 * (Modbus over serial line V1.02, §2.5.1.1), because timers cannot resolve shorter gaps there.
 */
export function frameSilenceMs(serial: SerialSettings): number {
  if (serial.baudRate > 19200) return 1.75;
  return 3.5 * charTimeMs(serial);
}

/** Bytes of an RTU read request (FC03/FC04): unit, function, start (2), count (2), CRC (2). */
export const RTU_READ_REQUEST_BYTES = 8;

/** Bytes of an RTU read reply of `count` registers: unit, function, byte count, data, CRC (2). */
export function rtuReadReplyBytes(count: number): number {
  return 5 + 2 * count;
}

/**
 * Bus time of one read transaction of `count` registers: the request on the wire, the slave's
 * turnaround, and the reply on the wire. This is the lower bound a poller cannot beat.
 */
export function readTransactionTimeMs(count: number, serial: SerialSettings, turnaroundMs: number): number {
  return (
    frameTimeMs(RTU_READ_REQUEST_BYTES, serial) + turnaroundMs + frameTimeMs(rtuReadReplyBytes(count), serial)
  );
}
