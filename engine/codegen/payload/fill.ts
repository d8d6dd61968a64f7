// The TypeScript reference of the firmware's payload writer: chunks and filled slots, in order.
import type { IntervalValues, PayloadProgram } from "./slot.js";
import { slotText } from "./format.js";

export function fillPayload(program: PayloadProgram, interval: IntervalValues): string {
  let out = program.chunks[0] ?? "";
  for (let i = 0; i < program.slots.length; i++) {
    out += slotText(program.slots[i]!, interval) + (program.chunks[i + 1] ?? "");
  }
  return out;
}
