import { describe, expect, it } from "vitest";
import {
  LatencyWindow,
  nextDue,
  nextWake,
  offlineBackoff,
  pickNext,
  retryDelay,
} from "../../engine/poller/index.js";

describe("nextDue", () => {
  it("adds the interval to the due time, not to now, so reads do not drift", () => {
    expect(nextDue(1000, 2000, 1350)).toEqual({ dueAt: 3000, missed: 0 });
    expect(nextDue(1000, 2000, 2999)).toEqual({ dueAt: 3000, missed: 0 });
  });

  it("skips whole intervals when the bus is late and counts them as missed", () => {
    // due at 1000, read done at 5500: 3000 and 5000 have passed, next due 7000 → … 5000 is still
    // within one interval of now, so it is kept (read at once), only 3000 is skipped.
    expect(nextDue(1000, 2000, 5500)).toEqual({ dueAt: 5000, missed: 1 });
    expect(nextDue(0, 100, 1050)).toEqual({ dueAt: 1000, missed: 9 });
  });

  it("over a long run keeps the phase of the first due time", () => {
    let due = 17;
    let now = 17;
    for (let i = 0; i < 1000; i++) {
      now = due + 3 + (i % 7); // each read takes a few ms
      due = nextDue(due, 250, now).dueAt;
    }
    expect(due).toBe(17 + 1000 * 250);
  });
});

describe("pickNext", () => {
  const item = (
    name: string,
    dueAt: number,
    priority = 5,
    lastServed = 0,
    availableAt = 0,
    retrying = false,
  ) => ({
    name,
    dueAt,
    priority,
    lastServed,
    availableAt,
    retrying,
    intervalMs: 1000,
  });

  it("takes only due and available items", () => {
    expect(pickNext([item("a", 10), item("b", 5, 5, 0, 20)], 6)).toBeUndefined();
    expect(pickNext([item("a", 10), item("b", 5, 5, 0, 20)], 20)?.name).toBe("b");
  });

  it("serves higher priority first, then the meter served longest ago, then the earliest due", () => {
    expect(pickNext([item("low", 0, 5), item("high", 9, 8)], 10)?.name).toBe("high");
    expect(pickNext([item("recent", 0, 5, 9), item("old", 9, 5, 2)], 10)?.name).toBe("old");
    expect(pickNext([item("late", 5, 5, 1), item("early", 1, 5, 1)], 10)?.name).toBe("early");
  });

  it("serves the more frequent poll class first among equal priorities", () => {
    const live = { ...item("live", 0, 5, 9), intervalMs: 2000 };
    const energy = { ...item("energy", 0, 5, 1), intervalMs: 60_000 };
    expect(pickNext([energy, live], 10)?.name).toBe("live");
    expect(pickNext([energy, { ...live, priority: 4 }], 10)?.name).toBe("energy");
  });

  it("serves meters that answer before retries of offline meters, whatever their priority", () => {
    expect(pickNext([item("offline-vip", 0, 10, 0, 0, true), item("online", 5, 1, 9)], 10)?.name).toBe(
      "online",
    );
    expect(pickNext([item("offline-vip", 0, 10, 0, 0, true)], 10)?.name).toBe("offline-vip");
  });

  it("shares a saturated bus fairly between equal meters (round robin)", () => {
    const meters = Array.from({ length: 32 }, (_, i) => ({ ...item(`m${i}`, 0), reads: 0 }));
    let seq = 0;
    for (let i = 0; i < 32 * 10; i++) {
      const next = pickNext(meters, 1)!;
      next.lastServed = ++seq;
      next.reads++;
    }
    expect(meters.map((m) => m.reads)).toEqual(Array(32).fill(10));
  });

  it("wakes at the earliest due time, or the end of a backoff", () => {
    expect(nextWake([item("a", 300), item("b", 100, 5, 0, 250)])).toBe(250);
    expect(nextWake([])).toBe(Infinity);
  });
});

describe("retryDelay", () => {
  const item = (dueAt: number, retrying = false, availableAt = 0) => ({
    dueAt,
    priority: 5,
    lastServed: 0,
    availableAt,
    retrying,
    intervalMs: 1000,
  });

  it("starts a retry only in a gap long enough for its worst case", () => {
    const retry = item(900, true, 1000);
    expect(retryDelay([item(1500), retry], retry, 1000, 200, 10_000)).toBe(0);
    expect(retryDelay([item(1100), retry], retry, 1000, 200, 10_000)).toBe(100);
    expect(retryDelay([item(1100, false, 1400), retry], retry, 1000, 200, 10_000)).toBe(0);
  });

  it("goes anyway once it has waited long enough for a gap", () => {
    const retry = item(0, true, 0);
    expect(retryDelay([item(10_050), retry], retry, 10_000, 200, 10_000)).toBe(0);
    expect(retryDelay([item(9_950), retry], retry, 9_900, 200, 10_000)).toBe(50);
  });
});

describe("offlineBackoff", () => {
  it("doubles from the initial wait up to the cap", () => {
    expect([1, 2, 3, 4, 10].map((n) => offlineBackoff(n, 5000, 300_000))).toEqual([
      5000, 10_000, 20_000, 40_000, 300_000,
    ]);
  });
});

describe("LatencyWindow", () => {
  it("gives nearest-rank percentiles over the last N values only", () => {
    const w = new LatencyWindow(10);
    expect(w.percentile(50)).toBeNull();
    for (let i = 1; i <= 10; i++) w.add(i);
    expect(w.percentile(50)).toBe(5);
    expect(w.percentile(95)).toBe(10);
    for (let i = 0; i < 10; i++) w.add(100);
    expect(w.percentile(50)).toBe(100);
  });
});
