import type { Sample } from '../core/task-kind.ts';
import type { PairedItem, Statistic } from '../stats/paired.ts';
import { codeItems } from '../tasks/code/paired-items.ts';
import { multipleChoiceItems } from '../tasks/multiple-choice/paired-items.ts';
import { refusalItems } from '../tasks/refusal/paired-items.ts';

/** One item's value of a metric in one run; joined with the other run's on `key`. */
export interface MetricItem extends Omit<PairedItem, 'a' | 'b'> {
  /** `doc_id`, or `doc_id#index` for one of a document's samples. */
  key: string;
  value: number;
}

/** How a task kind's metric is recomputed from its samples, item by item. */
export interface MetricItems {
  statistic: Statistic;
  /** true: a higher value is better (accuracy); false: lower is better (a refusal rate); null: neither. */
  higherIsBetter: boolean | null;
  /** How items are clustered, in words (for the output). */
  clustering: string;
  items: MetricItem[];
}

/** Item extractors by task kind; a kind without one is compared on its metrics alone (not paired). */
const EXTRACTORS: Record<string, (samples: Sample[], metrics: string[]) => Record<string, MetricItems>> = {
  multiple_choice: (s, m) => multipleChoiceItems(s as never, m),
  code: (s, m) => codeItems(s as never, m),
  refusal: (s, m) => refusalItems(s as never, m),
};

/** The items of each metric a run's task reports, or null when its kind cannot be paired item by item. */
export function metricItems(kind: string, samples: Sample[], metrics: string[]): Record<string, MetricItems> | null {
  const extract = EXTRACTORS[kind];
  return extract ? extract(samples, metrics) : null;
}
