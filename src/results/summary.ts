import type { Metric, RunRecord, Timings } from './schema.ts';

function fmt(x: number | null | undefined, digits = 4): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** The table's spread column: the standard error where there is one (lm-evaluation-harness prints it), else the 95% interval. */
function spread(m: Metric): string {
  if (m.stderr !== undefined && m.stderr !== null && Number.isFinite(m.stderr)) return fmt(m.stderr);
  return m.ci95 ? `[${fmt(m.ci95[0], 3)}, ${fmt(m.ci95[1], 3)}]` : '-';
}

/** One metric of a run as a flat row: for CSV and JSON (`harness show --format csv|json`) and the report. */
export interface MetricRow {
  task: string;
  /** null: the task's headline metric; else the group (`stem`, `zh/sensitive`, `topic:tibet`) or `subset:<name>`. */
  group: string | null;
  metric: string;
  value: number | null;
  stderr: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
  n: number;
}

/** Every metric of a run: headline metrics, then groups, then subsets, per task. */
export function metricRows(record: RunRecord): MetricRow[] {
  const rows: MetricRow[] = [];
  const row = (task: string, group: string | null, metric: string, m: Metric): MetricRow => ({
    task,
    group,
    metric,
    value: m.value !== null && Number.isFinite(m.value) ? m.value : null,
    stderr: m.stderr !== null && m.stderr !== undefined && Number.isFinite(m.stderr) ? m.stderr : null,
    ci95_low: m.ci95 ? m.ci95[0] : null,
    ci95_high: m.ci95 ? m.ci95[1] : null,
    n: m.n,
  });
  for (const [task, result] of Object.entries(record.results)) {
    for (const [metric, m] of Object.entries(result.metrics)) rows.push(row(task, null, metric, m));
    for (const [group, table] of Object.entries(result.by_group ?? {})) for (const [metric, m] of Object.entries(table)) rows.push(row(task, group, metric, m));
    for (const [subset, table] of Object.entries(result.by_subset ?? {})) for (const [metric, m] of Object.entries(table)) rows.push(row(task, `subset:${subset}`, metric, m));
  }
  return rows;
}

/** The rows of the printed table: task (and group) rows, metric, value, stderr or interval, n. */
function tableRows(record: RunRecord): string[][] {
  const rows: string[][] = [['task', 'metric', 'value', 'stderr or 95% CI', 'n']];
  for (const [task, result] of Object.entries(record.results)) {
    for (const [metric, m] of Object.entries(result.metrics)) {
      rows.push([task, metric, fmt(m.value), spread(m), String(m.n)]);
    }
    if (result.skipped) rows.push([task, 'skipped', String(result.skipped), '', '']);
    const groups = Object.entries(result.by_group ?? {});
    const topics = groups.filter(([g]) => g.startsWith('topic:')).length;
    if (topics > 0) rows.push([`  ${task}/topic:*`, `${topics} topics`, 'in run.json', '', '']);
    for (const [group, table] of groups.filter(([g]) => !g.startsWith('topic:'))) {
      if (table.refusal_rate && table.deflection_rate && table.compliance_rate) {
        // Refusal groups: one compact row (refused / deflected / complied rates).
        const r = (k: string) => fmt(table[k].value, 3);
        rows.push([`  ${task}/${group}`, 'refused/deflected/complied', `${r('refusal_rate')}/${r('deflection_rate')}/${r('compliance_rate')}`, '', String(table.refusal_rate.n)]);
        continue;
      }
      for (const [metric, m] of Object.entries(table)) {
        rows.push([`  ${task}/${group}`, metric, fmt(m.value), spread(m), String(m.n)]);
      }
    }
  }
  return rows;
}

/** The metrics table printed at the end of a run and by `harness show`. */
export function summaryTable(record: RunRecord): string {
  const rows = tableRows(record);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in GitHub-flavoured Markdown. */
export function summaryMarkdown(record: RunRecord): string {
  const rows = tableRows(record);
  const esc = (c: string) => c.replace(/\|/g, '\\|').trim();
  const line = (r: string[]) => `| ${r.map(esc).join(' | ')} |`;
  return [line(rows[0]), `| ${rows[0].map((_, i) => (i >= 2 ? '---:' : '---')).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

/** `<task>/<metric>` gates that failed: metric below its minimum (or missing). */
export function failedGates(record: RunRecord, minimums: Record<string, number>): string[] {
  const failed: string[] = [];
  for (const [key, min] of Object.entries(minimums)) {
    const [task, metric] = key.split('/');
    const m = record.results[task]?.metrics[metric];
    if (!m || m.value === null || !Number.isFinite(m.value)) failed.push(`${key}: missing (minimum ${min})`);
    else if (m.value < min) failed.push(`${key}: ${m.value.toFixed(4)} < ${min}`);
  }
  return failed;
}

/** One line of speed figures for the end of a run. */
export function timingLine(t: Timings): string {
  return (
    `load ${t.load_seconds.toFixed(2)} s, total ${t.total_seconds.toFixed(1)} s, ${t.requests} requests` +
    (t.requests_per_second ? ` (${t.requests_per_second.toFixed(1)}/s)` : '') +
    (t.prefill_tokens_per_second ? `, prefill ${Math.round(t.prefill_tokens_per_second)} tok/s` : '') +
    (t.decode_tokens_per_second ? `, decode ${t.decode_tokens_per_second.toFixed(1)} tok/s` : '') +
    `, peak RSS ${(t.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB`
  );
}
