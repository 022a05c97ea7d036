import type { MetricItems } from '../../compare/items.ts';
import type { McSample } from './sample.ts';

const FIELD = { acc: 'correct', acc_norm: 'correct_norm' } as const;

/**
 * acc and acc_norm per document (skipped documents have none), clustered by subset: questions of one MMLU
 * subject share their few-shot prompt and topic, so their outcomes are not independent.
 */
export function multipleChoiceItems(samples: McSample[], metrics: string[]): Record<string, MetricItems> {
  const scored = samples.filter((s) => s.skipped === undefined);
  const bySubset = scored.some((s) => s.subset !== undefined);
  const out: Record<string, MetricItems> = {};
  for (const m of metrics) {
    const field = FIELD[m as keyof typeof FIELD];
    if (!field) continue;
    out[m] = {
      statistic: 'mean',
      higherIsBetter: true,
      clustering: bySubset ? 'by subject' : 'none (documents independent)',
      items: scored.map((s) => ({ key: s.doc_id, cluster: bySubset ? `subset:${s.subset ?? ''}` : s.doc_id, value: s[field] ? 1 : 0 })),
    };
  }
  return out;
}
