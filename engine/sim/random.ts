// Deterministic randomness: every simulated value is a pure function of (seed, key, time), so two
// runs with the same seed serve the same numbers whatever the order or rate of reads.

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Mixes integers into a well-spread 32-bit value (the murmur3 finaliser). */
export function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h ^= part >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A uniform number in [0, 1) from integer parts. */
export function unit(...parts: number[]): number {
  return mix(...parts) / 0x1_0000_0000;
}

/** A seeded source of uniform numbers for one meter's fixed parameters (mulberry32). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
}

/**
 * Smooth noise in [-1, 1]: random values on a grid of `stepMs`, joined by cosine interpolation,
 * so that a value read twice within a few milliseconds barely moves.
 */
export function smoothNoise(key: number, timeMs: number, stepMs = 1000): number {
  const x = timeMs / stepMs;
  const i = Math.floor(x);
  const f = x - i;
  const a = unit(key, i, Math.floor(i / 0x1_0000_0000)) * 2 - 1;
  const b = unit(key, i + 1, Math.floor((i + 1) / 0x1_0000_0000)) * 2 - 1;
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return a * (1 - w) + b * w;
}
