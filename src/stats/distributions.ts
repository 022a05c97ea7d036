/**
 * Distribution functions from stdlib (@stdlib/stats-base-dists-*), a maintained numerical library whose
 * functions are ports of Boost and Cephes and are tested against them: the binomial CDF through the regularized
 * incomplete beta function keeps full relative precision deep in the tail (a McNemar p-value of 1e-160 stays
 * exact), where jStat rounds its binomial CDF to 1e-10 and simple-statistics has no t or binomial quantiles.
 */
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** P(X <= k) for X ~ Binomial(n, p). */
export const binomialCdf = (k: number, n: number, p: number): number => binomialCdfImpl(k, n, p);
/** P(Z <= z) for a standard normal Z. */
export const normalCdf = (z: number): number => normalCdfImpl(z, 0, 1);
/** The standard normal quantile. */
export const normalQuantile = (p: number): number => normalQuantileImpl(p, 0, 1);
/** The quantile of Student's t with `df` degrees of freedom. */
export const tQuantile = (p: number, df: number): number => tQuantileImpl(p, df);
