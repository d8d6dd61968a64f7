import { describe, expect, it } from "vitest";
import { DurationError, formatDuration, parseDuration } from "../../engine/config/duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["0ms", 0],
    ["5s", 5000],
    ["1.5s", 1500],
    ["15m", 900000],
    ["2h", 7200000],
    ["7d", 604800000],
    ["0.25h", 900000],
  ])("%s = %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["5", "5 s", "s", "-1s", "1.s", "1w", "", "5S"])("refuses %j with a DurationError", (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    try {
      parseDuration(text);
    } catch (error) {
      expect((error as DurationError).code).toBe("CONFIG_E_DURATION");
    }
  });

  it("formatDuration writes the largest exact unit", () => {
    expect([900000, 1500, 60000, 86400000, 0, 7200000].map(formatDuration)).toEqual([
      "15m",
      "1500ms",
      "1m",
      "1d",
      "0ms",
      "2h",
    ]);
    for (const ms of [1, 999, 1000, 61000, 3600000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
