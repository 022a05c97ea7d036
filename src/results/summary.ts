import type { RunRecord, Timings } from './schema.ts';

function fmt(x: number | null | undefined, digits = 4): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** The metrics table printed at the end of a run: task (and group) rows, metric, value, stderr, n. */
export function summaryTable(record: RunRecord): string {
  const rows: string[][] = [['task', 'metric', 'value', 'stderr or 95% CI', 'n']];
  for (const [task, result] of Object.entries(record.results)) {
    for (const [metric, m] of Object.entries(result.metrics)) {
      rows.push([task, metric, fmt(m.value), m.ci95 ? `[${fmt(m.ci95[0], 3)}, ${fmt(m.ci95[1], 3)}]` : fmt(m.stderr), String(m.n)]);
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
        rows.push([`  ${task}/${group}`, metric, fmt(m.value), m.ci95 ? `[${fmt(m.ci95[0], 3)}, ${fmt(m.ci95[1], 3)}]` : fmt(m.stderr), String(m.n)]);
      }
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
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
