/**
 * Intervals for proportions. Wilson and Newcombe are a few lines of closed-form arithmetic (no npm statistics
 * package provides both); they are checked against published values in tests/refusal-metrics.test.ts.
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** Wilson score interval for count/n at the given z (default 95%). */
export function wilsonInterval(count: number, n: number, z: number = Z95): [number, number] {
  if (!Number.isFinite(count) || !Number.isFinite(n) || count < 0 || count > n) {
    throw new RangeError(`wilsonInterval: need 0 <= count <= n, got ${count}/${n}`);
  }
  if (n === 0) return [Number.NaN, Number.NaN];
  const p = count / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp rounding noise at the ends (0/n and n/n have exact bounds 0 and 1).
  return [count === 0 ? 0 : Math.max(0, centre - half), count === n ? 1 : Math.min(1, centre + half)];
}

/**
 * Newcombe's hybrid score interval (method 10, Newcombe 1998) for p1 - p2 of two independent proportions,
 * built from the two Wilson intervals.
 */
export function newcombeInterval(c1: number, n1: number, c2: number, n2: number, z: number = Z95): [number, number] {
  if (n1 === 0 || n2 === 0) return [Number.NaN, Number.NaN];
  const p1 = c1 / n1;
  const p2 = c2 / n2;
  const [l1, u1] = wilsonInterval(c1, n1, z);
  const [l2, u2] = wilsonInterval(c2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

