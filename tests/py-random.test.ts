import { describe, expect, it } from 'vitest';
import { PyRandom } from '../src/core/py-random.ts';

// Expected values printed by CPython 3.11 (`import random`), e.g. random.Random(12345).randint(0, 9) twelve times.
describe('PyRandom equals CPython random.Random', () => {
  it('randint after seed 12345 (TIGER-Lab MMLU-Pro guess)', () => {
    const r = new PyRandom(12345);
    expect(Array.from({ length: 12 }, () => r.randint(0, 9))).toEqual([6, 0, 4, 5, 3, 4, 9, 6, 2, 5, 1, 6]);
    const s = new PyRandom(12345);
    expect([3, 4, 10, 1, 7, 2, 10, 5].map((n) => s.randint(0, n - 1))).toEqual([1, 0, 4, 0, 1, 1, 9, 3]);
  });

  it('sample: the set method (large population) and the pool method (small one)', () => {
    const pop = Array.from({ length: 7473 }, (_, i) => i);
    const r = new PyRandom(1234);
    expect([r.sample(pop, 5), r.sample(pop, 5), r.sample(pop, 5)]).toEqual([
      [6374, 3610, 957, 61, 742],
      [7462, 6610, 4769, 286, 5501],
      [5677, 687, 806, 6279, 2905],
    ]);
    const small = new PyRandom(1234);
    const eight = [0, 1, 2, 3, 4, 5, 6, 7];
    expect([small.sample(eight, 8), small.sample(eight, 8)]).toEqual([
      [7, 0, 6, 5, 4, 2, 3, 1],
      [5, 1, 0, 7, 4, 6, 2, 3],
    ]);
    // k > 5 widens the set-size threshold (4 ** ceil(log4(3k))): 30 of 100 still uses the pool.
    expect(new PyRandom(7).sample(Array.from({ length: 100 }, (_, i) => i), 30)).toEqual([
      41, 19, 50, 83, 6, 9, 68, 12, 46, 74, 7, 64, 27, 4, 11, 55, 53, 8, 30, 85, 70, 54, 89, 72, 15, 28, 77, 97, 95, 90,
    ]);
  });

  it('getrandbits keeps the top bits of each 32-bit word', () => {
    const r = new PyRandom(0);
    expect([1, 5, 17, 32].map((k) => r.getrandbits(k))).toEqual([1, 12, 99346, 3823568514]);
  });

  it('rejects what CPython rejects', () => {
    expect(() => new PyRandom(1).sample([1, 2], 3)).toThrow(/larger than population/);
    expect(() => new PyRandom(-1)).toThrow(RangeError);
  });
});
