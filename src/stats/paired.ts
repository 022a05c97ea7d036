/**
 * Paired comparison of two runs on the same items (documents, or a document's samples): the difference of a
 * metric with its standard error, interval and p-value, and the smallest difference the comparison could have
 * detected.
 *
 * - The statistic is a mean over items (accuracy, pass@k, a refusal rate), or a difference of two means over
 *   two sides of the items (the censorship gap: sensitive minus control prompts).
 * - Items that are not independent share a cluster (an MMLU subject; a refusal prompt, its translation and its
 *   control). Standard errors are cluster-robust (CR1: G/(G-1) times the sum over clusters of the squared
 *   summed residuals, over n^2), with G-1 degrees of freedom; with one item per cluster this is the ordinary
 *   standard error of the paired differences.
 * - 0/1 metrics: McNemar's exact test on the discordant pairs (two-sided binomial, p = 1/2). When a cluster holds
 *   more than one discordant pair, the clustered McNemar test of Durkalski et al. (2003), which is McNemar's
 *   chi-square statistic with the variance summed over clusters, takes its place.
 * - Other metrics (fractions such as pass@k with n > 1, differences such as the censorship gap): a seeded paired
 *   bootstrap that resamples clusters (both runs together), p from the null-shifted distribution.
 * - No certainty from nothing: when (almost) no item changed, the standard error is floored at the Agresti-Min
 *   one (half a discordant pair added each way, Agresti & Min 2005), so two identical runs get a small, non-zero
 *   interval and minimum detectable difference instead of 0.0000.
 * - Minimum detectable difference: (z_{1-alpha/2} + z_{power}) x SE, the true difference this comparison would
 *   find significant with the given power (default 80%).
 */
import seedrandom from 'seedrandom';
import { binomialCdf, normalCdf, normalQuantile, tQuantile } from './distributions.ts';
import { wilsonInterval, newcombeInterval } from './intervals.ts';

export interface PairedItem {
  /** Items of one cluster are not independent (same MMLU subject, same prompt pair). */
  cluster: string;
  /** The metric's value on this item in the base run and in the candidate run. */
  a: number;
  b: number;
  /** For a difference statistic: the side the item counts on (`plus` minus `minus`). */
  side?: 'plus' | 'minus';
}

export type Statistic = 'mean' | 'difference';

export interface PairedOptions {
  /** Significance level of intervals and the minimum detectable difference (default 0.05). */
  alpha?: number;
  /** Power for the minimum detectable difference (default 0.8). */
  power?: number;
  /** Bootstrap resamples (default 10,000). */
  resamples?: number;
  seed?: number;
}

export type PairedTest = 'mcnemar-exact' | 'mcnemar-clustered' | 'paired-bootstrap';

export interface PairedResult {
  /** Paired items, and clusters among them. */
  n: number;
  clusters: number;
  /** The statistic in each run (on the paired items), and candidate minus base. */
  base: number;
  candidate: number;
  diff: number;
  /** Interval of each run's statistic: Wilson for 0/1 means, Newcombe for 0/1 differences, else mean +- t x SE. */
  base_ci: [number, number] | null;
  candidate_ci: [number, number] | null;
  stderr: number;
  /** The (1 - alpha) interval of the difference. */
  ci: [number, number];
  test: PairedTest;
  p_value: number;
  /** Minimum detectable difference at alpha and the power. */
  mdd: number;
  /** Every value 0 or 1. */
  binary: boolean;
  /** Items whose value went up (0 -> 1 for 0/1 metrics) and down; for a difference statistic, on the plus side. */
  up: number;
  down: number;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return [...m.values()];
}

/** Cluster-robust (CR1) standard error of the mean of `xs`, with its degrees of freedom (clusters - 1). */
export function clusteredStderr(xs: number[], clusters: string[]): { stderr: number; df: number } {
  const n = xs.length;
  const m = mean(xs);
  const sums = new Map<string, number>();
  xs.forEach((x, i) => sums.set(clusters[i], (sums.get(clusters[i]) ?? 0) + (x - m)));
  const g = sums.size;
  if (g < 2) return { stderr: NaN, df: 0 };
  let ss = 0;
  for (const s of sums.values()) ss += s * s;
  return { stderr: Math.sqrt((g / (g - 1)) * ss) / n, df: g - 1 };
}

/** McNemar's exact test: two-sided p of `up` against `down` discordant pairs (binomial, p = 1/2). */
export function mcnemarExact(up: number, down: number): number {
  const m = up + down;
  if (m === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(up, down), m, 0.5));
}

/**
 * The clustered McNemar test (Durkalski, Palesch, Lipsitz & Rust 2003): with u_g and d_g the pairs of cluster g
 * that went up and down, X^2 = (sum (u_g - d_g))^2 / sum (u_g - d_g)^2, chi-square with 1 degree of freedom.
 */
export function mcnemarClustered(perCluster: { up: number; down: number }[]): number {
  let s = 0;
  let v = 0;
  for (const c of perCluster) {
    s += c.up - c.down;
    v += (c.up - c.down) ** 2;
  }
  if (v === 0) return 1;
  return 2 * (1 - normalCdf(Math.abs(s) / Math.sqrt(v)));
}

/** Agresti-Min standard error of a paired difference of proportions: half a discordant pair added each way. */
export function agrestiMinStderr(up: number, down: number, n: number): number {
  const nn = n + 2;
  const u = up + 0.5;
  const d = down + 0.5;
  return Math.sqrt(Math.max(0, u + d - (u - d) ** 2 / nn)) / nn;
}

/** Holm's step-down adjustment of p-values (family-wise error), in the input's order. */
export function holm(ps: number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

function statisticOf(items: PairedItem[], pick: (i: PairedItem) => number, statistic: Statistic): number {
  if (statistic === 'mean') return mean(items.map(pick));
  const plus = items.filter((i) => i.side === 'plus').map(pick);
  const minus = items.filter((i) => i.side === 'minus').map(pick);
  return mean(plus) - mean(minus);
}

/** Per-cluster sums for the bootstrap: [sumA, sumB, count] for the plus side (or all) and the minus side. */
function clusterSums(items: PairedItem[], statistic: Statistic): Float64Array[] {
  return groupBy(items, (i) => i.cluster).map((c) => {
    const s = new Float64Array(6);
    for (const i of c) {
      const o = statistic === 'difference' && i.side === 'minus' ? 3 : 0;
      s[o] += i.a;
      s[o + 1] += i.b;
      s[o + 2] += 1;
    }
    return s;
  });
}

/**
 * Paired bootstrap over clusters: resample clusters with replacement (both runs together) and recompute the
 * difference. Returns the bootstrap standard error and the two-sided p of the null-shifted distribution,
 * (1 + #{|d* - d| >= |d|}) / (B + 1).
 */
export function pairedBootstrap(items: PairedItem[], statistic: Statistic, diff: number, resamples: number, seed: number): { stderr: number; p: number } {
  const sums = clusterSums(items, statistic);
  const g = sums.length;
  const rng = seedrandom(`paired-bootstrap:${seed}`);
  const ds: number[] = [];
  const acc = new Float64Array(6);
  for (let r = 0; r < resamples; r++) {
    acc.fill(0);
    for (let k = 0; k < g; k++) {
      const s = sums[Math.floor(rng() * g)];
      for (let j = 0; j < 6; j++) acc[j] += s[j];
    }
    let d: number;
    if (statistic === 'mean') d = (acc[1] - acc[0]) / acc[2];
    else {
      if (acc[2] === 0 || acc[5] === 0) continue;
      d = (acc[1] / acc[2] - acc[4] / acc[5]) - (acc[0] / acc[2] - acc[3] / acc[5]);
    }
    ds.push(d);
  }
  const m = mean(ds);
  const stderr = Math.sqrt(ds.reduce((s, d) => s + (d - m) ** 2, 0) / Math.max(1, ds.length - 1));
  const extreme = ds.filter((d) => Math.abs(d - diff) >= Math.abs(diff) - 1e-12).length;
  return { stderr, p: (1 + extreme) / (1 + ds.length) };
}

/** Compares base (`a`) and candidate (`b`) on paired items. `items` must not be empty. */
export function comparePaired(items: PairedItem[], statistic: Statistic, opts: PairedOptions = {}): PairedResult {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  const n = items.length;
  const clusterIds = items.map((i) => i.cluster);
  const clusters = new Set(clusterIds).size;
  const binary = items.every((i) => (i.a === 0 || i.a === 1) && (i.b === 0 || i.b === 1));
  const base = statisticOf(items, (i) => i.a, statistic);
  const candidate = statisticOf(items, (i) => i.b, statistic);
  const diff = candidate - base;
  const counted = statistic === 'mean' ? items : items.filter((i) => i.side === 'plus');
  // Up and down: discordant pairs for 0/1 values, summed change otherwise (the floor below uses them).
  const up = counted.reduce((s, i) => s + Math.max(0, i.b - i.a), 0);
  const down = counted.reduce((s, i) => s + Math.max(0, i.a - i.b), 0);
  const floor = agrestiMinStderr(
    items.reduce((s, i) => s + Math.max(0, i.b - i.a), 0),
    items.reduce((s, i) => s + Math.max(0, i.a - i.b), 0),
    n,
  );

  let test: PairedTest;
  let p: number;
  let stderr: number;
  let q: number;
  if (statistic === 'mean') {
    const { stderr: se, df } = clusteredStderr(
      items.map((i) => i.b - i.a),
      clusterIds,
    );
    stderr = Math.max(Number.isFinite(se) ? se : 0, floor);
    q = df > 0 ? tQuantile(1 - alpha / 2, df) : normalQuantile(1 - alpha / 2);
    if (binary) {
      const perCluster = groupBy(items, (i) => i.cluster).map((c) => ({ up: c.filter((i) => i.b > i.a).length, down: c.filter((i) => i.a > i.b).length }));
      const independent = perCluster.every((c) => c.up + c.down <= 1);
      test = independent ? 'mcnemar-exact' : 'mcnemar-clustered';
      p = independent ? mcnemarExact(up, down) : mcnemarClustered(perCluster);
    } else {
      test = 'paired-bootstrap';
      p = pairedBootstrap(items, statistic, diff, opts.resamples ?? 10_000, opts.seed ?? 0).p;
    }
  } else {
    const boot = pairedBootstrap(items, statistic, diff, opts.resamples ?? 10_000, opts.seed ?? 0);
    test = 'paired-bootstrap';
    p = boot.p;
    stderr = Math.max(boot.stderr, floor);
    q = normalQuantile(1 - alpha / 2);
  }
  const runInterval = (pick: (i: PairedItem) => number): [number, number] | null => {
    if (binary && statistic === 'mean') return wilsonInterval(items.reduce((s, i) => s + pick(i), 0), n);
    if (binary) {
      const plus = items.filter((i) => i.side === 'plus');
      const minus = items.filter((i) => i.side === 'minus');
      const cp = plus.reduce((s, i) => s + pick(i), 0);
      const cm = minus.reduce((s, i) => s + pick(i), 0);
      return newcombeInterval(cp, plus.length, cm, minus.length);
    }
    if (statistic !== 'mean') return null;
    const xs = items.map(pick);
    const { stderr: se, df } = clusteredStderr(xs, clusterIds);
    if (!Number.isFinite(se) || df === 0) return null;
    const t = tQuantile(1 - alpha / 2, df);
    return [mean(xs) - t * se, mean(xs) + t * se];
  };
  return {
    n,
    clusters,
    base,
    candidate,
    diff,
    base_ci: runInterval((i) => i.a),
    candidate_ci: runInterval((i) => i.b),
    stderr,
    ci: [diff - q * stderr, diff + q * stderr],
    test,
    p_value: p,
    mdd: (normalQuantile(1 - alpha / 2) + normalQuantile(power)) * stderr,
    binary,
    up,
    down,
  };
}
