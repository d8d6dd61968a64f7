// LoginLimiter on its own, with a hand-driven clock: blocking, the sliding window, reset on success and the
// bound on remembered addresses.
import { describe, expect, it } from "vitest";
import { LoginLimiter } from "../../engine/web/login-limiter.js";

function limiter(options: { maxTracked?: number } = {}): { lim: LoginLimiter; advance(ms: number): void } {
  let clock = 5_000_000;
  const lim = new LoginLimiter({
    maxFailures: 5,
    windowMs: 60_000,
    blockMs: 60_000,
    now: () => clock,
    ...options,
  });
  return { lim, advance: (ms) => (clock += ms) };
}

describe("LoginLimiter", () => {
  it("blocks an address on its 5th failure within a minute, for a minute", () => {
    const { lim, advance } = limiter();
    for (let i = 0; i < 4; i++) expect(lim.failure("10.0.0.1")).toBe(false);
    expect(lim.blockedFor("10.0.0.1")).toBe(0);
    expect(lim.failure("10.0.0.1")).toBe(true);
    expect(lim.blockedFor("10.0.0.1")).toBe(60_000);
    expect(lim.blockedFor("10.0.0.2")).toBe(0);
    advance(59_999);
    expect(lim.blockedFor("10.0.0.1")).toBe(1);
    advance(1);
    expect(lim.blockedFor("10.0.0.1")).toBe(0);
    // After the pause the count starts again: one failure does not block.
    expect(lim.failure("10.0.0.1")).toBe(false);
    expect(lim.blockedFor("10.0.0.1")).toBe(0);
  });

  it("counts only failures within the last minute (sliding window)", () => {
    const { lim, advance } = limiter();
    for (let i = 0; i < 4; i++) {
      lim.failure("a");
      advance(20_000);
    }
    // Failures at 0, 20, 40 and 60 s. At 80 s those at 0 and 20 s are a minute old or more and no longer count:
    // 40, 60, 80 s make three, so it takes two more to reach five (with a fixed count it would be one).
    expect(lim.failure("a")).toBe(false);
    expect(lim.failure("a")).toBe(false);
    expect(lim.failure("a")).toBe(true);
  });

  it("a success clears the address", () => {
    const { lim } = limiter();
    for (let i = 0; i < 4; i++) lim.failure("a");
    lim.success("a");
    expect(lim.size).toBe(0);
    for (let i = 0; i < 4; i++) expect(lim.failure("a")).toBe(false);
  });

  it("remembers at most maxTracked addresses: expired ones go first, then the least recently seen unblocked", () => {
    const { lim, advance } = limiter({ maxTracked: 3 });
    for (let i = 0; i < 5; i++) lim.failure("blocked");
    advance(1000);
    lim.failure("old");
    lim.failure("x");
    lim.failure("y");
    expect(lim.size).toBe(3);
    // A spray of single guesses from many addresses keeps the cap and cannot push the blocked address out.
    for (let i = 0; i < 1000; i++) lim.failure(`spray-${i}`);
    expect(lim.size).toBe(3);
    expect(lim.blockedFor("blocked")).toBe(59_000);
    // "old" was the least recently seen unblocked address, so its failure count is gone.
    for (let i = 0; i < 4; i++) expect(lim.failure("old")).toBe(false);

    const fresh = limiter({ maxTracked: 2 });
    for (let i = 0; i < 5; i++) fresh.lim.failure("blocked");
    fresh.lim.failure("stale");
    fresh.advance(61_000);
    // "stale" is outside the window and "blocked" has served its pause: both go before anyone recent.
    fresh.lim.failure("new1");
    fresh.lim.failure("new2");
    expect(fresh.lim.size).toBe(2);
    for (let i = 0; i < 3; i++) fresh.lim.failure("new1");
    expect(fresh.lim.failure("new1")).toBe(true);

    // When every remembered address is blocked, the least recently seen one makes room.
    const full = limiter({ maxTracked: 2 });
    for (const address of ["b1", "b2", "b3"]) for (let i = 0; i < 5; i++) full.lim.failure(address);
    expect(full.lim.size).toBe(2);
    expect(full.lim.blockedFor("b1")).toBe(0);
    expect(full.lim.blockedFor("b3")).toBe(60_000);
  });
});
