// Modbus TCP framing: the 7-byte MBAP header (transaction id, protocol id 0, length, unit id)
// in front of a PDU. TCP is a byte stream, so the decoder reassembles split and joined frames.

export const MBAP_HEADER_BYTES = 7;
/** Length field limit: unit id + the largest PDU (253 bytes). */
export const MBAP_MAX_LENGTH = 254;

export interface MbapFrame {
  transactionId: number;
  protocolId: number;
  unitId: number;
  pdu: Buffer;
}

/** A header no Modbus TCP peer sends; the connection cannot be resynchronised and must be closed. */
export class MbapFramingError extends Error {
  override name = "MbapFramingError" as const;
  readonly code = "SIM_E_MBAP_FRAMING";
}

/** Splits a TCP byte stream into MBAP frames. */
export class MbapDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds received bytes; returns every frame now complete. Throws MbapFramingError on a bad header. */
  push(chunk: Buffer): MbapFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: MbapFrame[] = [];
    while (this.pending.length >= MBAP_HEADER_BYTES) {
      const protocolId = this.pending.readUInt16BE(2);
      const length = this.pending.readUInt16BE(4);
      if (protocolId !== 0) throw new MbapFramingError(`protocol id ${protocolId} is not Modbus (0)`);
      if (length < 2 || length > MBAP_MAX_LENGTH) {
        throw new MbapFramingError(`MBAP length ${length} outside 2–${MBAP_MAX_LENGTH}`);
      }
      const total = 6 + length;
      if (this.pending.length < total) break;
      frames.push({
        transactionId: this.pending.readUInt16BE(0),
        protocolId,
        unitId: this.pending[6] ?? 0,
        pdu: Buffer.from(this.pending.subarray(MBAP_HEADER_BYTES, total)),
      });
      this.pending = this.pending.subarray(total);
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.pending.length;
  }
}

/** Wraps a PDU in an MBAP header. */
export function encodeMbap(transactionId: number, unitId: number, pdu: Uint8Array, protocolId = 0): Buffer {
  const frame = Buffer.alloc(MBAP_HEADER_BYTES + pdu.length);
  frame.writeUInt16BE(transactionId & 0xffff, 0);
  frame.writeUInt16BE(protocolId, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame[6] = unitId & 0xff;
  frame.set(pdu, MBAP_HEADER_BYTES);
  return frame;
}
