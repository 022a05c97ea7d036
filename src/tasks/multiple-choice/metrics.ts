import type { MetricTable, TaskResult } from '../../core/result.ts';
import type { McSample } from './sample.ts';
import { mean, meanStderr, pooledSampleStderr, weightedMean } from '../../core/stats.ts';

const METRIC_FIELD = { acc: 'correct', acc_norm: 'correct_norm' } as const;

/** acc / acc_norm of a set of samples (skipped ones excluded), with `mean_stderr`. */
function table(samples: McSample[], metrics: (keyof typeof METRIC_FIELD)[]): MetricTable {
  const scored = samples.filter((s) => s.skipped === undefined);
  const out: MetricTable = {};
  for (const m of metrics) {
    const xs = scored.map((s) => (s[METRIC_FIELD[m]] ? 1 : 0));
    out[m] = { value: mean(xs), stderr: meanStderr(xs), n: xs.length };
  }
  return out;
}

/** A size-weighted (micro) average of member tables with lm-evaluation-harness's pooled standard error. */
function pool(members: MetricTable[], metrics: string[]): MetricTable {
  const out: MetricTable = {};
  for (const m of metrics) {
    const rows = members.map((t) => t[m]).filter((r) => r !== undefined && r.n > 0);
    const sizes = rows.map((r) => r.n);
    const n = sizes.reduce((a, b) => a + b, 0);
    out[m] = {
      value: n === 0 ? NaN : weightedMean(rows.map((r) => r.value ?? NaN), sizes),
      stderr: n === 0 ? NaN : pooledSampleStderr(rows.map((r) => r.stderr ?? NaN), sizes),
      n,
    };
  }
  return out;
}

/**
 * Metrics of a multiple-choice task: per subset, per group of subsets (MMLU's categories), and overall.
 * As in lm-evaluation-harness, groups and the whole are averaged weighted by size, their standard errors
 * pooled from the members'. Samples are sorted by id first so the figures never depend on scoring order.
 */
export function aggregateMultipleChoice(
  samplesIn: McSample[],
  metrics: (keyof typeof METRIC_FIELD)[],
  subsetGroups: Record<string, string> | undefined,
): TaskResult {
  const samples = [...samplesIn].sort((a, b) => (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0));
  const skipped = samples.filter((s) => s.skipped !== undefined).length;
  const base = { kind: 'multiple_choice' as const, n: samples.length - skipped, skipped };
  if (!subsetGroups) return { ...base, metrics: table(samples, metrics) };

  const bySubset = new Map<string, McSample[]>();
  for (const s of samples) bySubset.set(s.subset ?? '', [...(bySubset.get(s.subset ?? '') ?? []), s]);
  const subsets: Record<string, MetricTable> = {};
  for (const [name, ss] of [...bySubset].sort(([a], [b]) => (a < b ? -1 : 1))) subsets[name] = table(ss, metrics);

  const groupMembers = new Map<string, MetricTable[]>();
  for (const [name, t] of Object.entries(subsets)) {
    const g = subsetGroups[name] ?? 'other';
    groupMembers.set(g, [...(groupMembers.get(g) ?? []), t]);
  }
  // Subsets listed without groups (MMLU-Pro's categories): per subset and overall only.
  if (Object.values(subsetGroups).every((g) => g === '')) return { ...base, metrics: pool(Object.values(subsets), metrics), by_subset: subsets };
  const groups: Record<string, MetricTable> = {};
  for (const [g, members] of [...groupMembers].sort(([a], [b]) => (a < b ? -1 : 1))) groups[g] = pool(members, metrics);
  return { ...base, metrics: pool(Object.values(groups), metrics), by_group: groups, by_subset: subsets };
}
