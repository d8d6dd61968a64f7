// CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF), sent low byte first at the end of every RTU frame.
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    table[n] = crc;
  }
  return table;
})();

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** Appends the CRC (low byte first) to an RTU frame body. */
export function withCrc(body: Buffer): Buffer {
  const frame = Buffer.alloc(body.length + 2);
  body.copy(frame);
  frame.writeUInt16LE(crc16(body), body.length);
  return frame;
}

/** True when the last two bytes of the frame are the CRC of the rest. */
export function crcMatches(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const got = frame[frame.length - 2]! | (frame[frame.length - 1]! << 8);
  return got === crc16(frame, 0, frame.length - 2);
}
