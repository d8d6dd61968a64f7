// Failed-login limiter for write access: after `maxFailures` wrong credentials from one client address within
// `windowMs`, that address is refused for `blockMs` without its credentials being looked at. A success clears
// the address. The 300 ms delay on a wrong credential slows one guesser; this stops a patient one.
// Memory is bounded: at most `maxTracked` addresses are remembered (the least recently seen unblocked go first).

export interface LoginLimiterOptions {
  /** Wrong credentials within `windowMs` that block an address. @default 5 */
  maxFailures?: number;
  /** @default 60000 */
  windowMs?: number;
  /** How long a blocked address is refused. @default 60000 */
  blockMs?: number;
  /** Most addresses remembered at once. @default 1000 */
  maxTracked?: number;
  /** @default Date.now */
  now?: () => number;
}

interface Entry {
  /** Times of the most recent failures, oldest first (at most maxFailures). */
  failures: number[];
  blockedUntil: number;
}

export class LoginLimiter {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly blockMs: number;
  private readonly maxTracked: number;
  private readonly now: () => number;
  /** Map order is the eviction order: an entry is re-inserted whenever it is touched. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: LoginLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.blockMs = options.blockMs ?? 60_000;
    this.maxTracked = options.maxTracked ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until `address` may try again; 0 when it may try now. */
  blockedFor(address: string): number {
    const entry = this.entries.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.blockedUntil - this.now());
  }

  /** Records wrong credentials from `address`; returns true when this failure blocked it. */
  failure(address: string): boolean {
    const now = this.now();
    const entry = this.entries.get(address) ?? { failures: [], blockedUntil: 0 };
    this.entries.delete(address);
    entry.failures = entry.failures.filter((t) => now - t < this.windowMs);
    entry.failures.push(now);
    if (entry.failures.length > this.maxFailures) entry.failures.shift();
    const blocked = entry.failures.length >= this.maxFailures;
    if (blocked) {
      entry.blockedUntil = now + this.blockMs;
      entry.failures = [];
    }
    this.entries.set(address, entry);
    this.evict(now, address);
    return blocked;
  }

  /** Right credentials: the address starts afresh. */
  success(address: string): void {
    this.entries.delete(address);
  }

  /** Addresses remembered now (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops entries that no longer matter, then the least recently seen addresses that are not blocked (so a
   * spray of guesses from many addresses cannot push a blocked one out), then, only if all are blocked, the
   * least recently seen. `current` (just recorded) always stays, so a full table still counts new guessers.
   */
  private evict(now: number, current: string): void {
    if (this.entries.size <= this.maxTracked) return;
    for (const [address, entry] of this.entries) {
      const lastFailure = entry.failures.at(-1) ?? 0;
      if (entry.blockedUntil <= now && now - lastFailure >= this.windowMs) this.entries.delete(address);
    }
    for (const [address, entry] of this.entries) {
      if (this.entries.size <= this.maxTracked) return;
      if (entry.blockedUntil <= now && address !== current) this.entries.delete(address);
    }
    for (const address of this.entries.keys()) {
      if (this.entries.size <= this.maxTracked) return;
      if (address !== current) this.entries.delete(address);
    }
  }
}
