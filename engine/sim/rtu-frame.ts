// Modbus RTU framing: unit id + PDU + CRC-16 (low byte first), and the detection of request
// frames in a serial byte stream by expected length and by inter-character silence.
import { crc16, crcMatches } from "../transport/crc16.js";

/** Largest RTU frame: unit id + 253-byte PDU + CRC. */
export const RTU_MAX_FRAME_BYTES = 256;

/** Builds an RTU frame; `corruptCrc` flips the CRC (fault injection). */
export function encodeRtu(unitId: number, pdu: Uint8Array, corruptCrc = false): Buffer {
  const frame = Buffer.alloc(pdu.length + 3);
  frame[0] = unitId & 0xff;
  frame.set(pdu, 1);
  let crc = crc16(frame.subarray(0, frame.length - 2));
  if (corruptCrc) crc ^= 0xffff;
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >>> 8;
  return frame;
}

/**
 * Length of the request frame that starts `bytes`, from its function code (and byte count for
 * FC15/FC16); undefined when not yet known or when the function code has no fixed layout.
 */
export function expectedRequestLength(bytes: Uint8Array): number | undefined {
  const fn = bytes[1];
  if (fn === undefined) return undefined;
  if (fn >= 0x01 && fn <= 0x06) return 8;
  if (fn === 0x0f || fn === 0x10) {
    const byteCount = bytes[6];
    return byteCount === undefined ? undefined : 9 + byteCount;
  }
  return undefined;
}

export interface RtuFrameDetectorOptions {
  /** Silence that ends a frame, in ms (3.5 character times, see wire-time frameSilenceMs). */
  silenceMs: number;
  /** A complete frame with a valid CRC (unit id + PDU + CRC). */
  onFrame: (frame: Buffer) => void;
  /** Bytes thrown away: bad CRC, too long, or cut short by silence. */
  onDiscard?: (bytes: Buffer, reason: string) => void;
}

/**
 * Finds request frames in a serial byte stream. A frame ends as soon as its expected length is
 * in and its CRC checks (no need to wait for silence, which a pseudo-terminal does not keep), or
 * when the line has been silent for `silenceMs` (frames of unknown layout). A CRC failure drops
 * one byte and searches again, so the detector resynchronises on the next good frame.
 */
export class RtuFrameDetector {
  private pending: Buffer = Buffer.alloc(0);
  private silenceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RtuFrameDetectorOptions) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    this.scan();
    this.armSilence();
  }

  /** Stops the silence timer and forgets buffered bytes. */
  close(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    this.pending = Buffer.alloc(0);
  }

  private scan(): void {
    for (;;) {
      const expected = expectedRequestLength(this.pending);
      if (expected === undefined) {
        // Unknown layout: noise, or a function we only answer after silence. A pty keeps no
        // silence, so look for a complete good frame further on and drop what precedes it.
        const at = this.findFrameAfterNoise();
        if (at === undefined) break;
        this.options.onDiscard?.(Buffer.from(this.pending.subarray(0, at)), "noise before a frame");
        this.pending = this.pending.subarray(at);
        continue;
      }
      if (this.pending.length < expected) break;
      const candidate = this.pending.subarray(0, expected);
      if (crcMatches(candidate)) {
        this.pending = this.pending.subarray(expected);
        this.options.onFrame(Buffer.from(candidate));
      } else {
        this.options.onDiscard?.(Buffer.from(this.pending.subarray(0, 1)), "bad CRC, resynchronising");
        this.pending = this.pending.subarray(1);
      }
    }
    if (this.pending.length > RTU_MAX_FRAME_BYTES) {
      this.options.onDiscard?.(Buffer.from(this.pending), "longer than an RTU frame");
      this.pending = Buffer.alloc(0);
    }
  }

  private findFrameAfterNoise(): number | undefined {
    for (let at = 1; at + 4 <= this.pending.length; at++) {
      const rest = this.pending.subarray(at);
      const length = expectedRequestLength(rest);
      if (length !== undefined && rest.length >= length && crcMatches(rest.subarray(0, length))) return at;
    }
    return undefined;
  }

  private armSilence(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    if (this.pending.length === 0) return;
    this.silenceTimer = setTimeout(() => this.onSilence(), this.options.silenceMs);
  }

  private onSilence(): void {
    this.silenceTimer = undefined;
    const bytes = this.pending;
    this.pending = Buffer.alloc(0);
    if (bytes.length >= 4 && crcMatches(bytes)) this.options.onFrame(Buffer.from(bytes));
    else if (bytes.length > 0)
      this.options.onDiscard?.(Buffer.from(bytes), "incomplete frame ended by silence");
  }
}
