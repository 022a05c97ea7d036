import type { Sample } from '../core/task-kind.ts';
import { readSamples, samplesFile } from '../results/files.ts';
import type { RunRecordRead } from '../results/schema.ts';
import { RunFolder } from '../runner/run-folder.ts';
import { normalCdf, normalQuantile } from '../stats/distributions.ts';
import { comparePaired, holm, type PairedItem, type PairedResult } from '../stats/paired.ts';
import { runDifferences } from './differences.ts';
import { metricItems } from './items.ts';

/**
 * Comparing a candidate run with a base run: samples joined by document (and sample index), every metric's
 * paired difference with its interval and test (src/stats/paired.ts), the documents that flipped, what differs
 * between the runs besides, and whether the candidate regressed significantly.
 */

export interface LoadedRun {
  dir: string;
  record: RunRecordRead;
  samples: Record<string, Sample[]>;
}

export function loadRun(dir: string): LoadedRun {
  const record = RunFolder.read(dir);
  const samples: Record<string, Sample[]> = {};
  for (const task of Object.keys(record.results)) samples[task] = readSamples<Sample>(samplesFile(dir, task));
  return { dir, record, samples };
}

export interface CompareOptions {
  /** Significance level (default 0.05), applied to Holm-adjusted p-values for the regression verdict. */
  alpha: number;
  /** A drop smaller than this (absolute) is never a regression (default 0). */
  threshold: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_COMPARE: CompareOptions = { alpha: 0.05, threshold: 0, resamples: 10_000, seed: 1234 };

export interface MetricComparison {
  task: string;
  metric: string;
  /** The values run.json reports for each run. */
  base_reported: number | null;
  candidate_reported: number | null;
  higher_is_better: boolean | null;
  /** The paired analysis; null when the kind has no per-item values or no item is in both runs. */
  paired: PairedResult | null;
  /** Without per-item values: both runs' reported values and standard errors, as independent (conservative). */
  unpaired: { diff: number; stderr: number; ci: [number, number]; p_value: number } | null;
  /** Holm-adjusted p over the metrics with a direction; significant: below alpha. */
  p_adjusted: number | null;
  significant: boolean;
  /** Significant, in the worse direction, and at least the threshold. */
  regression: boolean;
  /** Items that went up / down (0/1 metrics: the documents that flipped), by key. */
  flipped: { up: string[]; down: string[] };
}

export interface TaskComparison {
  task: string;
  kind: string;
  /** Items in both runs, only in the base, only in the candidate (their union over the task's metrics). */
  paired: number;
  only_base: number;
  only_candidate: number;
  clustering: string;
  metrics: MetricComparison[];
}

export interface Comparison {
  base: { dir: string; run_id: string; status: string; model: string };
  candidate: { dir: string; run_id: string; status: string; model: string };
  /** Everything besides the samples that differs between the runs and changes numbers. */
  differences: string[];
  /** Tasks in one run only. */
  unmatched_tasks: string[];
  tasks: TaskComparison[];
  options: CompareOptions;
  regressed: boolean;
}

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

function compareTask(task: string, base: LoadedRun, cand: LoadedRun, opts: CompareOptions): TaskComparison {
  const rb = base.record.results[task];
  const rc = cand.record.results[task];
  const metrics = Object.keys(rb.metrics).filter((m) => m in rc.metrics);
  const ib = metricItems(rb.kind, base.samples[task], metrics);
  const ic = metricItems(rc.kind, cand.samples[task], metrics);
  const keysB = new Set<string>();
  const keysC = new Set<string>();
  let clustering = 'none';
  const out: MetricComparison[] = [];
  for (const metric of metrics) {
    const a = ib?.[metric];
    const b = ic?.[metric];
    const reported = { base_reported: num(rb.metrics[metric].value), candidate_reported: num(rc.metrics[metric].value) };
    if (!a || !b) {
      // No per-item values for this kind: compare the reported values as independent estimates.
      const sa = num(rb.metrics[metric].stderr);
      const sc = num(rc.metrics[metric].stderr);
      let unpaired: MetricComparison['unpaired'] = null;
      if (reported.base_reported !== null && reported.candidate_reported !== null && sa !== null && sc !== null) {
        const diff = reported.candidate_reported - reported.base_reported;
        const se = Math.sqrt(sa * sa + sc * sc);
        const q = normalQuantile(1 - opts.alpha / 2);
        unpaired = { diff, stderr: se, ci: [diff - q * se, diff + q * se], p_value: se > 0 ? 2 * (1 - normalCdf(Math.abs(diff) / se)) : diff === 0 ? 1 : 0 };
      }
      out.push({ task, metric, ...reported, higher_is_better: true, paired: null, unpaired, p_adjusted: null, significant: false, regression: false, flipped: { up: [], down: [] } });
      continue;
    }
    clustering = a.clustering;
    const byKey = new Map(b.items.map((i) => [i.key, i]));
    a.items.forEach((i) => keysB.add(i.key));
    b.items.forEach((i) => keysC.add(i.key));
    const joined: (PairedItem & { key: string })[] = [];
    for (const i of a.items) {
      const j = byKey.get(i.key);
      if (j) joined.push({ key: i.key, cluster: i.cluster, a: i.value, b: j.value, ...(i.side ? { side: i.side } : {}) });
    }
    const usable = a.statistic === 'mean' ? joined.length > 0 : joined.some((i) => i.side === 'plus') && joined.some((i) => i.side === 'minus');
    const paired = usable ? comparePaired(joined, a.statistic, { alpha: opts.alpha, resamples: opts.resamples, seed: opts.seed }) : null;
    const counted = a.statistic === 'mean' ? joined : joined.filter((i) => i.side === 'plus');
    out.push({
      task,
      metric,
      ...reported,
      higher_is_better: a.higherIsBetter,
      paired,
      unpaired: null,
      p_adjusted: null,
      significant: false,
      regression: false,
      flipped: { up: counted.filter((i) => i.b > i.a).map((i) => i.key), down: counted.filter((i) => i.a > i.b).map((i) => i.key) },
    });
  }
  return {
    task,
    kind: rb.kind,
    paired: [...keysB].filter((k) => keysC.has(k)).length,
    only_base: [...keysB].filter((k) => !keysC.has(k)).length,
    only_candidate: [...keysC].filter((k) => !keysB.has(k)).length,
    clustering,
    metrics: out,
  };
}

/** Compares `candidate` with `base`; `regressed` when a metric got significantly worse (Holm over the metrics). */
export function compareRuns(base: LoadedRun, candidate: LoadedRun, options: Partial<CompareOptions> = {}): Comparison {
  const opts = { ...DEFAULT_COMPARE, ...options };
  const tb = Object.keys(base.record.results);
  const tc = Object.keys(candidate.record.results);
  const common = tb.filter((t) => tc.includes(t));
  const tasks = common.map((t) => compareTask(t, base, candidate, opts));
  // One family for the verdict: every metric with a direction and a p-value.
  const family = tasks.flatMap((t) => t.metrics).filter((m) => m.higher_is_better !== null && (m.paired ?? m.unpaired) !== null);
  const adjusted = holm(family.map((m) => (m.paired ?? m.unpaired)!.p_value));
  family.forEach((m, i) => {
    m.p_adjusted = adjusted[i];
    m.significant = adjusted[i] < opts.alpha;
    const diff = (m.paired ?? m.unpaired)!.diff;
    const worse = m.higher_is_better ? diff < 0 : diff > 0;
    m.regression = m.significant && worse && Math.abs(diff) >= opts.threshold;
  });
  const who = (r: LoadedRun) => ({ dir: r.dir, run_id: r.record.run_id, status: r.record.status, model: `${r.record.model.name} (${r.record.model.dtype}, ${r.record.model.device})` });
  return {
    base: who(base),
    candidate: who(candidate),
    differences: runDifferences(base.record, candidate.record, common),
    unmatched_tasks: [...tb.filter((t) => !tc.includes(t)), ...tc.filter((t) => !tb.includes(t))],
    tasks,
    options: opts,
    regressed: family.some((m) => m.regression),
  };
}
