import { describe, expect, it } from 'vitest';
import { aggregatePassAtK, passAtK } from '../src/tasks/code/pass-at-k.ts';

/** Exact binomial coefficient with BigInt, for checking the product form. */
function binom(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

describe('passAtK (Codex unbiased estimator)', () => {
  it('matches hand-computed values', () => {
    // n=5, c=2: pass@1 = c/n = 0.4; pass@2 = 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
  });

  it('is 0 with no correct sample and 1 with all correct', () => {
    expect(passAtK(10, 0, 1)).toBe(0);
    expect(passAtK(10, 0, 10)).toBe(0);
    expect(passAtK(10, 10, 1)).toBe(1);
    expect(passAtK(10, 10, 10)).toBe(1);
  });

  it('returns 1 when fewer than k samples failed (n - c < k)', () => {
    expect(passAtK(10, 7, 5)).toBe(1);
    expect(passAtK(5, 1, 5)).toBe(1);
  });

  it('is pass@1 = c/n for every c', () => {
    for (let c = 0; c <= 20; c++) expect(passAtK(20, c, 1)).toBeCloseTo(c / 20, 12);
  });

  it('agrees with exact binomials for all small n, c, k', () => {
    for (let n = 1; n <= 15; n++)
      for (let c = 0; c <= n; c++)
        for (let k = 1; k <= n; k++) {
          const exact = 1 - Number(binom(n - c, k)) / Number(binom(n, k));
          expect(passAtK(n, c, k)).toBeCloseTo(exact, 12);
        }
  });

  it('is stable at n=200 where factorials overflow', () => {
    // 1 - C(199,100)/C(200,100) = 1 - 100/200
    expect(passAtK(200, 1, 100)).toBeCloseTo(0.5, 12);
    // 1 - C(198,100)/C(200,100) = 1 - (100*99)/(200*199)
    expect(passAtK(200, 2, 100)).toBeCloseTo(1 - 9900 / 39800, 12);
    // C(190,100)/C(200,100) computed exactly with BigInt, then as a ratio of two floats (both < 1e59)
    expect(passAtK(200, 10, 100)).toBeCloseTo(1 - Number(binom(190, 100)) / Number(binom(200, 100)), 12);
    // 1 - 1/C(200,100): 1 within float precision, and never NaN or Infinity
    expect(passAtK(200, 100, 100)).toBe(1);
    for (let c = 0; c <= 200; c += 7) {
      const v = passAtK(200, c, 10);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('rejects impossible arguments', () => {
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
    expect(() => passAtK(5, 2, 6)).toThrow(/cannot exceed the number of samples/);
    expect(() => passAtK(5, 2, 0)).toThrow(RangeError);
    expect(() => passAtK(5, 1.5, 1)).toThrow(RangeError);
  });
});

describe('aggregation over problems', () => {
  it('aggregates pass@k for each k <= n', () => {
    const problems = [
      { n: 5, c: 2 },
      { n: 5, c: 0 },
      { n: 5, c: 5 },
    ];
    const agg = aggregatePassAtK(problems, [1, 2, 10]);
    expect(agg.map((a) => a.k)).toEqual([1, 2]); // k=10 > n=5 is left out
    const [p1, p2] = agg;
    expect(p1!.mean).toBeCloseTo((0.4 + 0 + 1) / 3, 12);
    expect(p2!.mean).toBeCloseTo((0.7 + 0 + 1) / 3, 12);
    const m = (0.4 + 0 + 1) / 3;
    const sd = Math.sqrt(((0.4 - m) ** 2 + (0 - m) ** 2 + (1 - m) ** 2) / 2);
    expect(p1!.stderr).toBeCloseTo(sd / Math.sqrt(3), 12);
    expect(p1!.problems).toBe(3);
  });

  it('is empty without problems', () => {
    expect(aggregatePassAtK([], [1])).toEqual([]);
  });
});
