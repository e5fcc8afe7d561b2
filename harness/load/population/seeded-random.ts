/**
 * Seeded randomness for client schedules: the same seed gives the same start times, channels and
 * jitter. Marsaglia's xorshift32 (shifts 13, 17, 5) after an FNV-1a mix of the seed and a label,
 * so each client has its own independent stream regardless of the order clients run in.
 */

export type Random = () => number;

/** FNV-1a over the text of the parts: a 32-bit seed, never 0 (xorshift's fixed point). */
export function mixSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join(':')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h === 0 ? 0x9e3779b9 : h;
}

/** Uniform in [0, 1). */
export function seededRandom(seed: number): Random {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}
