/** A small seeded PRNG (sfc32): the one seed drives the workload and the fault schedule, so a run can be replayed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.next() * (hiInclusive - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** An independent stream for another purpose (faults vs workload), still fixed by the seed. */
  fork(salt: number): Rng {
    return new Rng((this.seed ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0);
  }
}

/** Keys 0..n-1 with Zipf skew s (0 = uniform): hot aggregates for concurrency and ordering scenarios. */
export class KeyChooser {
  private cdf: Float64Array;
  constructor(
    readonly count: number,
    readonly skew = 0,
  ) {
    this.cdf = new Float64Array(count);
    let sum = 0;
    for (let i = 0; i < count; i++) {
      sum += 1 / (i + 1) ** skew;
      this.cdf[i] = sum;
    }
    for (let i = 0; i < count; i++) this.cdf[i]! /= sum;
  }
  choose(rng: Rng): number {
    const u = rng.next();
    let lo = 0,
      hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

let chooser: KeyChooser | undefined;

/** The workload's next key index (its key count and skew), from one chooser kept while they stay the same. */
export function chooseKey(rng: Rng, w: { keyCount: number; keySkew: number }): number {
  if (!chooser || chooser.count !== w.keyCount || chooser.skew !== w.keySkew)
    chooser = new KeyChooser(w.keyCount, w.keySkew);
  return chooser.choose(rng);
}
