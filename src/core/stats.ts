/** Statistics used by every metric, matching lm-evaluation-harness's lm_eval/api/metrics.py. */

export function mean(xs: number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator). */
export function sampleStddev(xs: number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Standard error of the mean: `mean_stderr` = sample_stddev / sqrt(n). */
export function meanStderr(xs: number[]): number {
  return sampleStddev(xs) / Math.sqrt(xs.length);
}

/**
 * Standard error of a size-weighted group average from its members' standard errors:
 * lm-evaluation-harness's `pooled_sample_stderr` (pooled variance), used for MMLU categories and the whole.
 */
export function pooledSampleStderr(stderrs: number[], sizes: number[]): number {
  const total = sizes.reduce((a, b) => a + b, 0);
  let pooled = 0;
  stderrs.forEach((se, i) => {
    // A member of one sample has no within-member variance (its stderr is undefined, its weight n - 1 is 0).
    if (sizes[i] > 1) pooled += (sizes[i] - 1) * se ** 2 * sizes[i];
  });
  const dof = total - sizes.length;
  if (dof <= 0) return NaN;
  pooled /= dof;
  return Math.sqrt(pooled / total);
}

/** Size-weighted mean of group means (equals the micro average over all samples). */
export function weightedMean(means: number[], sizes: number[]): number {
  const total = sizes.reduce((a, b) => a + b, 0);
  return means.reduce((s, m, i) => s + m * sizes[i], 0) / total;
}
