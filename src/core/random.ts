// Seeded randomness for the data generators (the demo shop, the labelled duplicate lists): an sfc32
// generator, an integer mixer, weighted tables and a seeded permutation of decimal numbers that
// keeps phones and emails unique by construction. Pure: no clock, no Math.random.
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32: small, fast, good enough for demo data. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** Items with weights, picked by binary search over the cumulative weights. */
export class Table<T> {
  private readonly items: T[] = [];
  private readonly cum: number[] = [];
  private total = 0;

  constructor(entries: Iterable<readonly [T, number]>) {
    for (const [item, weight] of entries) {
      this.total += weight;
      this.items.push(item);
      this.cum.push(this.total);
    }
  }

  pick(r: Rng): T {
    const x = r.float() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/** An odd multiplier, not a multiple of 5 (so coprime to any power of ten), below 9e7 (exact products). */
export function multiplier(h: number): number {
  let a = 1 + 2 * (h % 44_000_000);
  if (a % 5 === 0) a += 2;
  return a;
}

export function reverseDigits(x: number, digits: number): number {
  let r = 0;
  for (let k = 0; k < digits; k++) {
    r = r * 10 + (x % 10);
    x = Math.floor(x / 10);
  }
  return r;
}

/**
 * A seeded bijection of [0, 10^digits): affine maps (multiplier coprime to 10) interleaved with digit
 * reversal. Distinct inputs give distinct outputs, which keeps phones and emails unique by construction.
 */
export class DecimalPermutation {
  private readonly size: number;
  private readonly a: number[] = [];
  private readonly b: number[] = [];

  constructor(
    private readonly digits: number,
    key: number,
  ) {
    this.size = 10 ** digits;
    for (let k = 0; k < 3; k++) {
      this.a.push(multiplier(mix32(key + 2 * k)));
      this.b.push(mix32(key + 2 * k + 1) % this.size);
    }
  }

  apply(x: number): number {
    let y = x;
    for (let k = 0; k < 3; k++) {
      y = ((this.a[k] as number) * y + (this.b[k] as number)) % this.size;
      if (k < 2) y = reverseDigits(y, this.digits);
    }
    return y;
  }

  format(x: number): string {
    return String(this.apply(x)).padStart(this.digits, '0');
  }
}

/**
 * A digit string unique to index i: the first 100 indexes get two digits, the next 1,000 three, and
 * so on, each length scrambled by its own permutation (`suffixes[digits]`).
 */
export function uniqueDigits(suffixes: readonly (DecimalPermutation | undefined)[], i: number): string {
  let digits = 2;
  let base = 0;
  let size = 100;
  while (i >= base + size) {
    base += size;
    size *= 10;
    digits++;
  }
  return (suffixes[digits] as DecimalPermutation).format(i - base);
}
