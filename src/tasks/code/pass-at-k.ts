/**
 * pass@k, the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on Code",
 * the Codex paper): with n samples of which c pass,
 *
 *   pass@k = 1 - C(n-c, k) / C(n, k)
 *
 * computed as 1 - prod_{i=n-c+1..n} (1 - k/i), which never forms the (huge) binomials, exactly as the
 * paper's numpy code does. Aggregated over problems as a mean with the standard error of the mean
 * (sample standard deviation with n-1, divided by sqrt(#problems)), like lm-evaluation-harness's `mean_stderr`.
 */

import { mean, meanStderr } from '../../core/stats.ts';

function assertCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`pass@k: ${name} must be a non-negative integer, got ${v}`);
}

/** Unbiased pass@k for one problem: n samples, c of them correct. Requires 1 <= k <= n and 0 <= c <= n. */
export function passAtK(n: number, c: number, k: number): number {
  assertCount('n', n);
  assertCount('c', c);
  assertCount('k', k);
  if (k < 1) throw new RangeError('pass@k: k must be at least 1');
  if (c > n) throw new RangeError(`pass@k: c (${c}) cannot exceed n (${n})`);
  if (k > n) throw new RangeError(`pass@k: k (${k}) cannot exceed the number of samples n (${n})`);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

export interface ProblemSamples {
  /** Samples generated for the problem. */
  n: number;
  /** Samples that passed. */
  c: number;
}

export interface PassAtKAggregate {
  k: number;
  /** Mean pass@k over problems. */
  mean: number;
  /** Standard error of the mean; null with fewer than two problems. */
  stderr: number | null;
  problems: number;
}

/**
 * pass@k over problems for each k in `ks` that every problem has enough samples for (k <= min n);
 * larger k are left out (pass@k is undefined with fewer than k samples).
 */
export function aggregatePassAtK(problems: readonly ProblemSamples[], ks: readonly number[] = [1, 10, 100]): PassAtKAggregate[] {
  if (problems.length === 0) return [];
  const minN = Math.min(...problems.map((p) => p.n));
  const out: PassAtKAggregate[] = [];
  for (const k of [...new Set(ks)].sort((a, b) => a - b)) {
    if (k < 1 || k > minN) continue;
    const values = problems.map((p) => passAtK(p.n, p.c, k));
    const stderr = meanStderr(values);
    out.push({ k, mean: mean(values), stderr: Number.isFinite(stderr) ? stderr : null, problems: problems.length });
  }
  return out;
}
