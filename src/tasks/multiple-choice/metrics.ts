import type { MetricTable, TaskResult } from '../../core/result.ts';
import type { McSample } from './sample.ts';
import { mean, meanStderr, pooledSampleStderr, weightedMean } from '../../core/stats.ts';
import { wilsonInterval } from '../../stats/intervals.ts';

const METRIC_FIELD = { acc: 'correct', acc_norm: 'correct_norm' } as const;

/**
 * acc / acc_norm of a set of samples (skipped ones excluded), with `mean_stderr` (lm-evaluation-harness's) and
 * the Wilson 95% interval, which stays honest where the standard error cannot: a group whose documents all
 * agree (0/7 has a standard error of 0, its Wilson interval is [0, 0.35]).
 */
function table(samples: McSample[], metrics: (keyof typeof METRIC_FIELD)[]): MetricTable {
  const scored = samples.filter((s) => s.skipped === undefined);
  const out: MetricTable = {};
  for (const m of metrics) {
    const xs = scored.map((s) => (s[METRIC_FIELD[m]] ? 1 : 0));
    out[m] = { value: mean(xs), stderr: meanStderr(xs), ...(xs.length > 0 ? { ci95: wilsonInterval(xs.filter((x) => x === 1).length, xs.length) } : {}), n: xs.length };
  }
  return out;
}

/**
 * A size-weighted (micro) average of member tables, and its standard error:
 *
 * - lm-evaluation-harness's pooled standard error (the within-subset variance, as for stratified sampling) when
 *   every subset was evaluated whole and holds at least two scored documents: full MMLU gets exactly
 *   lm-evaluation-harness's figure;
 * - otherwise the standard error of the mean over the group's scored documents (`mean_stderr`, between-subset
 *   spread included). That is what a seeded --limit subset (a random sample of all documents together)
 *   supports, and it never reports 0.0000 because most subsets hold one document (no within-subset variance to
 *   pool) or because every subset happened to be all right or all wrong while the group is not.
 */
function pool(members: MetricTable[], metrics: string[], samples: McSample[], subsetSizes: number[], sampled: boolean): MetricTable {
  const out: MetricTable = {};
  for (const m of metrics) {
    const rows = members.map((t) => t[m]).filter((r) => r !== undefined && r.n > 0);
    const sizes = rows.map((r) => r.n);
    const n = sizes.reduce((a, b) => a + b, 0);
    const value = n === 0 ? NaN : weightedMean(rows.map((r) => r.value ?? NaN), sizes);
    const pooled = n === 0 ? NaN : pooledSampleStderr(rows.map((r) => r.stderr ?? NaN), sizes);
    const degenerate = pooled === 0 && value > 0 && value < 1;
    const own = table(samples, [m as keyof typeof METRIC_FIELD])[m];
    const stderr = sampled || subsetSizes.some((k) => k === 1) || degenerate ? own.stderr : pooled;
    out[m] = { value, stderr, ...(own.ci95 ? { ci95: own.ci95 } : {}), n };
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
  /** The documents are a seeded --limit subset of the task's (not the whole task). */
  sampled = false,
): TaskResult {
  const samples = [...samplesIn].sort((a, b) => (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0));
  const skipped = samples.filter((s) => s.skipped !== undefined).length;
  const base = { kind: 'multiple_choice' as const, n: samples.length - skipped, skipped };
  if (!subsetGroups) return { ...base, metrics: table(samples, metrics) };

  const bySubset = new Map<string, McSample[]>();
  for (const s of samples) bySubset.set(s.subset ?? '', [...(bySubset.get(s.subset ?? '') ?? []), s]);
  const subsets: Record<string, MetricTable> = {};
  for (const [name, ss] of [...bySubset].sort(([a], [b]) => (a < b ? -1 : 1))) subsets[name] = table(ss, metrics);

  const scoredIn = (ss: McSample[]) => ss.filter((x) => x.skipped === undefined).length;
  const groupMembers = new Map<string, { tables: MetricTable[]; samples: McSample[]; sizes: number[] }>();
  for (const [name, t] of Object.entries(subsets)) {
    const g = subsetGroups[name] ?? 'other';
    const entry = groupMembers.get(g) ?? { tables: [], samples: [], sizes: [] };
    entry.tables.push(t);
    entry.samples.push(...bySubset.get(name)!);
    entry.sizes.push(scoredIn(bySubset.get(name)!));
    groupMembers.set(g, entry);
  }
  // Subsets listed without groups (MMLU-Pro's categories): per subset and overall only.
  const allSizes = [...groupMembers.values()].flatMap((e) => e.sizes);
  if (Object.values(subsetGroups).every((g) => g === '')) return { ...base, metrics: pool(Object.values(subsets), metrics, samples, allSizes, sampled), by_subset: subsets };
  const groups: Record<string, MetricTable> = {};
  for (const [g, e] of [...groupMembers].sort(([a], [b]) => (a < b ? -1 : 1))) groups[g] = pool(e.tables, metrics, e.samples, e.sizes, sampled);
  // The whole averages its groups, as lm-evaluation-harness does; the rule above looks at every subset's size.
  return { ...base, metrics: pool(Object.values(groups), metrics, samples, allSizes, sampled), by_group: groups, by_subset: subsets };
}
