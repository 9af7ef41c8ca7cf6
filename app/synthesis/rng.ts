/**
 * Seeded randomness for the theme engine. Nothing in app/synthesis calls
 * Math.random: every random choice goes through a generator made here, so the
 * same input and seed always give the same output.
 */

/** A source of pseudo-random numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a small, fast 32-bit generator. The seed is reduced to an unsigned 32-bit integer. */
export function mulberry32(seed: number): Rng {
  let state = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}

/** A standard normal draw (Box–Muller; one of the pair is discarded for simplicity). */
export function gaussian(rng: Rng): number {
  let u = rng();
  while (u <= 1e-300) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `count` distinct indexes from [0, n), in random order (all of them when count >= n). */
export function sampleIndexes(rng: Rng, n: number, count: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  const m = Math.max(0, Math.min(count, n));
  for (let i = 0; i < m; i++) {
    const j = i + randomInt(rng, n - i);
    const tmp = all[i] as number;
    all[i] = all[j] as number;
    all[j] = tmp;
  }
  return all.slice(0, m);
}

/** Derives an independent seed for a sub-task (restart r, step s...) from a base seed. */
export function deriveSeed(seed: number, ...salt: number[]): number {
  let h = (Math.trunc(seed) >>> 0) ^ 0x9e3779b9;
  for (const s of salt) {
    h = Math.imul(h ^ (Math.trunc(s) >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}
