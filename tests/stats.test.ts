import { describe, expect, it } from 'vitest';
import { mean, meanStderr, pooledSampleStderr, sampleStddev, weightedMean } from '../src/core/stats.ts';
import { aggregateMultipleChoice } from '../src/tasks/multiple-choice/metrics.ts';
import type { McSample } from '../src/tasks/multiple-choice/sample.ts';

describe('statistics as lm-evaluation-harness computes them', () => {
  it('mean_stderr: sample standard deviation (n - 1) over sqrt(n)', () => {
    // values 0, 1, 0.5, 0.5: mean 0.5, sample variance (0.25 + 0.25 + 0 + 0) / 3 = 1/6, stderr sqrt(1/6) / 2
    expect(mean([0, 1, 0.5, 0.5])).toBe(0.5);
    expect(sampleStddev([0, 1, 0.5, 0.5])).toBeCloseTo(0.408248290463863, 14);
    expect(meanStderr([0, 1, 0.5, 0.5])).toBeCloseTo(0.2041241452319315, 14);
    expect(meanStderr([0.3])).toBeNaN();
    expect(mean([])).toBeNaN();
  });

  it('pooled_sample_stderr of size-weighted groups (values from Python)', () => {
    expect(pooledSampleStderr([0.1, 0.2], [10, 20])).toBeCloseTo(0.13844373104863458, 14);
    // 3/10 and 12/20 correct: pooled 0.0906327, the micro mean 0.5 (concatenated stderr would be 0.0928477).
    const a = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const b = [...Array(12).fill(1), ...Array(8).fill(0)];
    expect(pooledSampleStderr([meanStderr(a), meanStderr(b)], [10, 20])).toBeCloseTo(0.09063269671749657, 14);
    expect(weightedMean([mean(a), mean(b)], [10, 20])).toBeCloseTo(0.5, 15);
  });

  it('a one-sample member adds no variance; too few samples overall give NaN', () => {
    expect(pooledSampleStderr([0.1, NaN], [10, 1])).toBeCloseTo(Math.sqrt((9 * 0.01 * 10) / (11 - 2) / 11), 14);
    expect(pooledSampleStderr([NaN], [1])).toBeNaN();
  });
});

describe('standard errors of multiple-choice groups (MMLU categories and the whole)', () => {
  /** Samples of subsets: [subset, correct] pairs. */
  const samples = (spec: [string, number][]): McSample[] =>
    spec.map(([subset, c], i) => ({ doc_id: `${subset}/${i}`, doc: {}, prompt_hash: '', subset, shots: 0, choices: ['A', 'B'], target: 0, correct: c === 1, correct_norm: c === 1 }));
  const groups = { a: 'g1', b: 'g1', c: 'g2' };

  it('the whole task with two or more documents per subset: lm-evaluation-harness pooled standard error', () => {
    const xa = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const xb = [...Array(12).fill(1), ...Array(8).fill(0)];
    const xc = [1, 0, 1, 0];
    const r = aggregateMultipleChoice(samples([...xa.map((x) => ['a', x] as [string, number]), ...xb.map((x) => ['b', x] as [string, number]), ...xc.map((x) => ['c', x] as [string, number])]), ['acc'], groups);
    expect(r.by_group!.g1.acc.stderr).toBeCloseTo(0.09063269671749657, 14);
    const g1 = r.by_group!.g1.acc;
    const g2 = r.by_group!.g2.acc;
    expect(r.metrics.acc.stderr).toBeCloseTo(pooledSampleStderr([g1.stderr!, g2.stderr!], [30, 4]), 14);
  });

  it('a --limit sample, or subsets of one document: the standard error over the documents, never 0.0000', () => {
    // 12 subsets of one document each, 4 right: lm-evaluation-harness's pooled formula has nothing to pool.
    const xs = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0];
    const one = samples(xs.map((x, i) => [['a', 'b', 'c'][i % 3] + String(i), x] as [string, number]));
    const r = aggregateMultipleChoice(one, ['acc'], {});
    expect(r.metrics.acc.stderr).toBeCloseTo(meanStderr(xs), 14);
    expect(r.metrics.acc.stderr).toBeGreaterThan(0.1);
    // A seeded subset: the documents are a random sample of the whole task, whatever the subset sizes.
    const big = samples([...[1, 1, 0, 0].map((x) => ['a', x] as [string, number]), ...[1, 1, 1, 0].map((x) => ['b', x] as [string, number])]);
    expect(aggregateMultipleChoice(big, ['acc'], groups, true).metrics.acc.stderr).toBeCloseTo(meanStderr([1, 1, 0, 0, 1, 1, 1, 0]), 14);
    // Every subset all right or all wrong while the whole is not: no within-subset variance, but no certainty either.
    const split = samples([...[1, 1, 1].map((x) => ['a', x] as [string, number]), ...[0, 0, 0].map((x) => ['b', x] as [string, number])]);
    expect(aggregateMultipleChoice(split, ['acc'], groups).metrics.acc.stderr).toBeCloseTo(meanStderr([1, 1, 1, 0, 0, 0]), 14);
  });
});
