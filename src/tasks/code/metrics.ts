import type { MetricTable, TaskResult } from '../../core/result.ts';
import { aggregatePassAtK } from './pass-at-k.ts';
import type { CodeSample } from './sample.ts';

/** pass@k over problems (unbiased estimator, mean and standard error), plus how the attempts ended. */
export function aggregateCode(samplesIn: CodeSample[], ks: number[]): TaskResult {
  const samples = [...samplesIn].sort((a, b) => (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0));
  const scored = samples.filter((s) => s.skipped === undefined);
  const metrics: MetricTable = {};
  for (const p of aggregatePassAtK(scored.map((s) => ({ n: s.n, c: s.c })), ks)) {
    metrics[`pass@${p.k}`] = { value: p.mean, stderr: p.stderr, n: p.problems };
  }
  const outcomes: Record<string, number> = {};
  for (const s of scored) {
    for (const a of s.attempts) {
      const key = a.outcome.reason ? `${a.outcome.status} (${a.outcome.reason})` : a.outcome.status;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  const tokens = scored.flatMap((s) => s.attempts.map((a) => a.generated_tokens));
  return {
    kind: 'code',
    metrics,
    n: scored.length,
    skipped: samples.length - scored.length,
    details: { outcomes, mean_generated_tokens: tokens.length ? tokens.reduce((a, b) => a + b, 0) / tokens.length : null },
  };
}
