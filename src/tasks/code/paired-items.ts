import type { MetricItems } from '../../compare/items.ts';
import type { CodeSample } from './sample.ts';

/** pass@k per problem (0 or 1 with one attempt, a fraction with several); problems are independent. */
export function codeItems(samples: CodeSample[], metrics: string[]): Record<string, MetricItems> {
  const scored = samples.filter((s) => s.skipped === undefined);
  const out: Record<string, MetricItems> = {};
  for (const m of metrics) {
    if (!m.startsWith('pass@')) continue;
    out[m] = {
      statistic: 'mean',
      higherIsBetter: true,
      clustering: 'none (problems independent)',
      items: scored.filter((s) => s.pass_at[m] !== undefined).map((s) => ({ key: s.doc_id, cluster: s.doc_id, value: s.pass_at[m] })),
    };
  }
  return out;
}
