/**
 * A small seeded pseudo-random generator for the simulator: xoshiro128** (Blackman & Vigna)
 * seeded through splitmix32, with uniform, normal (Box–Muller), Poisson and log-normal draws.
 *
 * Everything random in the simulator comes from here (never `Math.random`), so a run is a
 * pure function of its seed. Independent streams are derived from (seed, stream labels), so
 * adding draws to one stream never shifts another: every strategy sees the same path.
 */

/** One step of splitmix32: returns [output, next state]. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, s];
}

/** Mixes a list of integers (seed and stream labels) into one 32-bit value. */
function mix(values: readonly number[]): number {
  let h = 0x243f6a88;
  for (const v of values) {
    const [out] = splitmix32((h ^ (v | 0)) | 0);
    const [out2] = splitmix32((out ^ Math.floor(v / 2 ** 32)) | 0);
    h = out2;
  }
  return h;
}

/** Hashes a string label into a 32-bit integer (FNV-1a). */
function labelHash(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded xoshiro128** generator. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second Box–Muller normal, kept for the next call. */
  private spare: number | null = null;

  /**
   * @param seed an integer seed (any safe integer)
   * @param stream labels that select an independent stream for the same seed
   */
  constructor(seed: number, ...stream: (number | string)[]) {
    let st = mix([seed, ...stream.map((x) => (typeof x === "string" ? labelHash(x) : x))]);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix32(st);
      words.push(out);
      st = next;
    }
    // xoshiro must not start from the all-zero state.
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in the open interval (0, 1), with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal draw (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** A log-normal draw: exp(mu + sigma Z). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /**
   * A Poisson draw with mean `lambda` (Knuth's product method, exact; large means are split
   * into chunks of at most 30, as a sum of independent Poisson draws is Poisson).
   */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`poisson: lambda must be >= 0, got ${lambda}`);
    let n = 0;
    let rest = lambda;
    while (rest > 0) {
      const chunk = Math.min(rest, 30);
      rest -= chunk;
      const limit = Math.exp(-chunk);
      let p = this.uniform();
      while (p > limit) {
        n++;
        p *= this.uniform();
      }
    }
    return n;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
