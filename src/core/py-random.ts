import MersenneTwister from 'mersenne-twister';

/**
 * Python's `random.Random` for the few calls reference scripts make (TIGER-Lab's MMLU-Pro guess, lm-evaluation-harness's
 * few-shot sampler): the same MT19937 stream (the `mersenne-twister` package: Matsumoto and Nishimura's reference
 * code, which CPython wraps) and CPython's own reductions on top of it, so the same seed gives the same numbers.
 * Checked against CPython 3 in tests/py-random.test.ts.
 */
export class PyRandom {
  private readonly mt: MersenneTwister;

  /** `random.Random(seed)` for a non-negative integer seed below 2^32 (CPython: init_by_array([seed])). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new RangeError(`PyRandom: seed must be an integer in [0, 2^32), got ${seed}`);
    this.mt = new MersenneTwister();
    this.mt.init_by_array([seed], 1);
  }

  /** `getrandbits(k)` for 1 <= k <= 32. */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 1 || k > 32) throw new RangeError(`PyRandom.getrandbits: k must be in [1, 32], got ${k}`);
    return this.mt.random_int() >>> (32 - k);
  }

  /** CPython's `_randbelow_with_getrandbits(n)`: a uniform integer in [0, n), by rejection on n.bit_length() bits. */
  randbelow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`PyRandom.randbelow: n must be an integer in [1, 2^32], got ${n}`);
    const k = n.toString(2).length;
    let r = this.getrandbits(Math.min(k, 32));
    while (r >= n) r = this.getrandbits(Math.min(k, 32));
    return r;
  }

  /** `randint(a, b)`: a uniform integer in [a, b]. */
  randint(a: number, b: number): number {
    return a + this.randbelow(b - a + 1);
  }

  /** `sample(population, k)`: k distinct items in selection order, by CPython's pool or set method. */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`PyRandom.sample: sample larger than population or is negative (k=${k}, n=${n})`);
    const result: T[] = new Array(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = [...population];
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j]!;
        pool[j] = pool[n - i - 1]!;
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = population[j]!;
      }
    }
    return result;
  }
}
