import { describe, expect, it } from 'vitest';
import { mean, meanStderr, pooledSampleStderr, sampleStddev, weightedMean } from '../src/core/stats.ts';

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
