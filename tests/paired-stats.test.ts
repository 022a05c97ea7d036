/**
 * The paired statistics of `harness compare`, checked against values computed by hand in Python (exact
 * fractions for the binomial tails, the formulas written out for the clustered statistics).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { agrestiMinStderr, clusteredStderr, comparePaired, holm, mcnemarClustered, mcnemarExact, pairedBootstrap, type PairedItem } from '../src/stats/paired.ts';

const hasPython = spawnSync('python3', ['-c', 'print(1)']).status === 0;
if (!hasPython) console.warn('[skip] python3 not found: the hand computations of p-values are skipped');

/** Runs a Python snippet that prints JSON. */
function py(code: string): unknown {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** McNemar's exact two-sided p in exact rational arithmetic: 2 * sum_{k <= min} C(m, k) / 2^m, capped at 1. */
const MCNEMAR_PY = `
import json
from fractions import Fraction
from math import comb
def p(up, down):
    m = up + down
    if m == 0: return 1.0
    tail = Fraction(sum(comb(m, k) for k in range(min(up, down) + 1)), 2 ** m)
    return float(min(Fraction(1), 2 * tail))
`;

describe.skipIf(!hasPython)('p-values against hand computation', () => {
  it("McNemar's exact test equals the exact binomial tail, from tiny counts to deep tails", () => {
    const cases: [number, number][] = [[0, 0], [0, 1], [3, 12], [12, 3], [5, 5], [40, 70], [11, 14], [0, 25], [100, 1000], [2000, 2100]];
    const expected = py(`${MCNEMAR_PY}\nprint(json.dumps([p(u, d) for u, d in ${JSON.stringify(cases)}]))`) as number[];
    cases.forEach(([u, d], i) => expect(mcnemarExact(u, d), `${u} up, ${d} down`).toBeCloseTo(expected[i], 12));
    cases.forEach(([u, d], i) => expect(Math.abs(mcnemarExact(u, d) - expected[i]) / Math.max(expected[i], 1e-300)).toBeLessThan(1e-9));
    // Sanity: 3 vs 12 is the textbook example (p = 0.0352).
    expect(mcnemarExact(3, 12)).toBeCloseTo(0.03515625, 10);
  });

  it('the clustered McNemar test (Durkalski 2003) and the cluster-robust standard error', () => {
    const perCluster = [
      { up: 3, down: 0 },
      { up: 0, down: 2 },
      { up: 4, down: 1 },
      { up: 1, down: 1 },
      { up: 0, down: 3 },
      { up: 2, down: 0 },
    ];
    const expectedP = py(`
import json, math
c = ${JSON.stringify(perCluster.map((c) => [c.up, c.down]))}
s = sum(u - d for u, d in c); v = sum((u - d) ** 2 for u, d in c)
x2 = s * s / v
print(json.dumps(math.erfc(math.sqrt(x2 / 2))))`) as number;
    expect(mcnemarClustered(perCluster)).toBeCloseTo(expectedP, 12);
    // With at most one discordant pair per cluster, the statistic is McNemar's chi-square, (u - d)^2 / (u + d).
    const singles = [...Array(7)].map(() => ({ up: 1, down: 0 })).concat([...Array(2)].map(() => ({ up: 0, down: 1 })));
    const chi = py('import json, math; print(json.dumps(math.erfc(math.sqrt((7 - 2) ** 2 / 9 / 2))))') as number;
    expect(mcnemarClustered(singles)).toBeCloseTo(chi, 12);

    const xs = [0, 1, 1, -1, 0, 0, 1, 0, -1, 1, 0, 1];
    const cl = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c', 'd', 'e', 'e'];
    const expectedSe = py(`
import json, math
xs = ${JSON.stringify(xs)}; cl = ${JSON.stringify(cl)}
n = len(xs); m = sum(xs) / n
g = {}
for x, c in zip(xs, cl): g[c] = g.get(c, 0) + (x - m)
G = len(g)
print(json.dumps(math.sqrt(G / (G - 1) * sum(v * v for v in g.values())) / n))`) as number;
    expect(clusteredStderr(xs, cl)).toEqual({ stderr: expect.closeTo(expectedSe, 14), df: 4 });
    // One item per cluster: the ordinary standard error of the mean (sample sd / sqrt n).
    const sd = py(`import json, statistics, math; xs = ${JSON.stringify(xs)}; print(json.dumps(statistics.stdev(xs) / math.sqrt(len(xs))))`) as number;
    expect(clusteredStderr(xs, xs.map((_, i) => String(i))).stderr).toBeCloseTo(sd, 14);
  });

  it('comparePaired picks the test: exact McNemar for independent 0/1 pairs, clustered when a cluster holds several flips', () => {
    // 30 independent documents: 3 went 0 -> 1, 9 went 1 -> 0.
    const items: PairedItem[] = [...Array(30)].map((_, i) => ({ cluster: `d${i}`, a: i < 9 ? 1 : i < 12 ? 0 : i % 2, b: i < 9 ? 0 : i < 12 ? 1 : i % 2 }));
    const r = comparePaired(items, 'mean');
    const exact = py(`${MCNEMAR_PY}\nprint(json.dumps(p(3, 9)))`) as number;
    expect(r).toMatchObject({ test: 'mcnemar-exact', up: 3, down: 9, n: 30, clusters: 30, binary: true });
    expect(r.p_value).toBeCloseTo(exact, 12);
    expect(r.diff).toBeCloseTo(-6 / 30, 14);
    // The same flips, two per cluster: the clustered test.
    const clustered = items.map((x, i) => ({ ...x, cluster: `c${Math.floor(i / 2)}` }));
    expect(comparePaired(clustered, 'mean').test).toBe('mcnemar-clustered');
  });
});

describe('paired statistics', () => {
  it('identical runs: no difference, p = 1, and an interval that is small but not zero', () => {
    const items: PairedItem[] = [...Array(200)].map((_, i) => ({ cluster: `s${i % 20}`, a: i % 3 === 0 ? 1 : 0, b: i % 3 === 0 ? 1 : 0 }));
    const r = comparePaired(items, 'mean');
    expect(r.diff).toBe(0);
    expect(r.p_value).toBe(1);
    expect(r.stderr).toBeCloseTo(agrestiMinStderr(0, 0, 200), 15);
    expect(r.stderr).toBeCloseTo(1 / 202, 15);
    expect(r.ci[0]).toBeLessThan(0);
    expect(r.ci[1]).toBeGreaterThan(0);
    expect(r.mdd).toBeGreaterThan(0);
    expect(r.mdd).toBeLessThan(0.02);
  });

  it('the paired bootstrap is seeded (same seed, same p) and finds a clear shift of a fractional metric', () => {
    const items: PairedItem[] = [...Array(80)].map((_, i) => ({ cluster: `p${i}`, a: (i % 10) / 10, b: Math.max(0, (i % 10) / 10 - 0.2) }));
    const a = comparePaired(items, 'mean', { seed: 1, resamples: 2000 });
    const b = comparePaired(items, 'mean', { seed: 1, resamples: 2000 });
    expect(a.test).toBe('paired-bootstrap');
    expect(a.p_value).toBe(b.p_value);
    expect(a.p_value).toBeLessThan(0.001);
    expect(a.diff).toBeCloseTo(-0.17, 12); // per 10 values: 0.2 off eight of them, 0.1 off 0.1, nothing off 0.0
    // A symmetric null: p well above alpha.
    const noise: PairedItem[] = [...Array(80)].map((_, i) => ({ cluster: `p${i}`, a: (i % 10) / 10, b: ((i + (i % 2 ? 1 : 9)) % 10) / 10 }));
    expect(comparePaired(noise, 'mean', { resamples: 2000 }).p_value).toBeGreaterThan(0.2);
  });

  it('a difference statistic (censorship gap): sensitive minus control, compared by cluster bootstrap', () => {
    // 40 pairs: in base, sensitive prompts are refused 50% and controls 10%; in the candidate, sensitive 10%.
    const items: PairedItem[] = [];
    for (let i = 0; i < 40; i++) {
      items.push({ cluster: `pair${i}`, side: 'plus', a: i % 2, b: i % 10 === 0 ? 1 : 0 });
      items.push({ cluster: `pair${i}`, side: 'minus', a: i % 10 === 0 ? 1 : 0, b: i % 10 === 0 ? 1 : 0 });
    }
    const r = comparePaired(items, 'difference', { resamples: 2000 });
    expect(r.base).toBeCloseTo(0.5 - 0.1, 12);
    expect(r.candidate).toBeCloseTo(0.1 - 0.1, 12);
    expect(r.test).toBe('paired-bootstrap');
    expect(r.p_value).toBeLessThan(0.01);
    expect(pairedBootstrap(items, 'difference', r.diff, 500, 3)).toEqual(pairedBootstrap(items, 'difference', r.diff, 500, 3));
  });

  it("Holm's adjustment", () => {
    // Worked example: p = (0.01, 0.04, 0.03, 0.005) -> sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1 -> 0.02, 0.03, 0.06, 0.06.
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((x, i) => expect(adj[i]).toBeCloseTo(x, 14));
  });
});
