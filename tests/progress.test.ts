import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, ProgressMeter } from '../src/runner/progress.ts';

afterEach(() => vi.useRealTimers());

describe('progress', () => {
  it('a token-based ETA for generative tasks: documents left x tokens per finished document over tokens/s', () => {
    vi.useFakeTimers();
    let tokens = 1000;
    const meter = new ProgressMeter(10, 0, () => tokens);
    vi.advanceTimersByTime(10_000);
    tokens += 400; // two documents finished: 200 tokens each
    meter.update(2, 2);
    vi.advanceTimersByTime(5_000);
    tokens += 100; // the third document is 100 tokens in
    const s = meter.snapshot();
    expect(s.tokensPerSecond).toBeCloseTo(500 / 15, 9);
    // 8 documents x 200 tokens at 33.3 tokens/s (the 100 tokens in flight count in the rate, not as done).
    expect(s.etaSeconds).toBeCloseTo(1600 / (500 / 15), 9);
  });

  it('without generated tokens the ETA is documents left over documents per second', () => {
    vi.useFakeTimers();
    const meter = new ProgressMeter(100, 20, () => 0);
    vi.advanceTimersByTime(8_000);
    meter.update(60, 160);
    const s = meter.snapshot();
    expect(s.tokensPerSecond).toBeNull();
    expect(s.etaSeconds).toBeCloseTo(40 / (40 / 8), 9);
  });

  it('prints a line at a fixed interval while a chunk is still running, and at the end', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    let tokens = 0;
    const p = createProgress('lines', stream, 1000);
    p.start('gsm8k', 8, 0, { tokens: () => tokens });
    tokens = 50;
    vi.advanceTimersByTime(1000);
    tokens = 120;
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\[gsm8k\] 0\/8 docs, 0\.0 req\/s, 50\.0 generated tok\/s, 1\.0 s elapsed\n$/);
    expect(lines[2]).toMatch(/60\.0 generated tok\/s/);
    p.update(4, 4);
    p.stop();
    expect(lines.at(-1)).toMatch(/^\[gsm8k\] 4\/8 docs, .* ETA 2s\n$/);
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(4);
  });
});
