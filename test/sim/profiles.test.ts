// Every profile in profiles/ served by the simulator: each block the planner builds is answered,
// and every quantity decodes as good (inside the profile's plausible range) at any time of day.
import { describe, expect, it } from "vitest";
import { loadProfiles } from "../../engine/config/index.js";
import { decodeRegister } from "../../engine/decode/index.js";
import { planMeter } from "../../engine/plan/index.js";
import { SimulatedMeter } from "../../engine/sim/simulated-meter.js";

const { profiles } = loadProfiles();

describe.each([...profiles.keys()].sort())("profile %s", (id) => {
  const profile = profiles.get(id)!;

  it("answers every planned block with values that decode as good", () => {
    const clock = { t: Date.UTC(2026, 11, 4, 0) };
    const meter = new SimulatedMeter({ id: "m", profile, unitId: 1, seed: 9, now: () => clock.t });
    const blocks = planMeter(profile);
    expect(blocks.length).toBeGreaterThan(0);
    for (let hour = 0; hour < 24; hour += 5) {
      clock.t = Date.UTC(2026, 11, 4, hour);
      for (const block of blocks) {
        const pdu = Buffer.from([
          block.function === "holding" ? 3 : 4,
          block.start >> 8,
          block.start & 0xff,
          0,
          block.count,
        ]);
        const reply = meter.handle(pdu);
        if (reply.action !== "reply") throw new Error("no reply");
        expect(reply.pdu[0], `block ${block.function} ${block.start}+${block.count}`).toBe(pdu[0]);
        for (const reg of block.registers) {
          const offset = 2 + 2 * (reg.address - block.start);
          const words: number[] = [];
          for (let k = 0; k < reg.count; k++) words.push(reply.pdu.readUInt16BE(offset + 2 * k));
          const decoded = decodeRegister(reg, words);
          expect(decoded.quality, `${reg.quantity} = ${decoded.value}`).toBe("good");
        }
      }
    }
  });
});
