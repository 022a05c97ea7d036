import type { Comparison, MetricComparison } from './compare.ts';

/** Text and Markdown renderings of a comparison (the JSON is the Comparison itself). */

const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const signed = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(d)}`);
const interval = (ci: [number, number] | null | undefined, d = 3) => (ci ? `[${f(ci[0], d)}, ${f(ci[1], d)}]` : '');
export const pValue = (p: number | null | undefined) => (p === null || p === undefined ? '-' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

const TESTS: Record<string, string> = {
  'mcnemar-exact': 'McNemar exact',
  'mcnemar-clustered': 'McNemar clustered',
  'paired-bootstrap': 'paired bootstrap',
};

function verdictOf(m: MetricComparison): string {
  if (m.regression) return 'REGRESSION';
  if (m.significant) return m.higher_is_better === null ? 'significant' : 'significant improvement';
  if ((m.paired ?? m.unpaired) === null) return 'not compared';
  return 'no significant difference';
}

function row(m: MetricComparison): string[] {
  const p = m.paired;
  const u = m.unpaired;
  return [
    m.metric,
    `${f(p?.base ?? m.base_reported)} ${interval(p?.base_ci)}`.trim(),
    `${f(p?.candidate ?? m.candidate_reported)} ${interval(p?.candidate_ci)}`.trim(),
    signed(p?.diff ?? u?.diff),
    interval(p?.ci ?? u?.ci),
    pValue(p?.p_value ?? u?.p_value),
    pValue(m.p_adjusted),
    p ? TESTS[p.test] : u ? 'unpaired z (no per-item values)' : '-',
    f(p?.mdd, 3),
    verdictOf(m),
  ];
}

const HEADER = ['metric', 'base [95% CI]', 'candidate [95% CI]', 'diff', 'diff 95% CI', 'p', 'p (Holm)', 'test', 'MDD', 'verdict'];

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function flips(m: MetricComparison, limit: number): string | null {
  const { up, down } = m.flipped;
  if (up.length + down.length === 0 || m.paired === null) return null;
  const [better, worse] = m.higher_is_better === false ? [down, up] : [up, down];
  const list = (xs: string[]) => (limit === 0 || xs.length === 0 ? '' : `: ${xs.slice(0, limit).join(', ')}${xs.length > limit ? `, ... (${xs.length - limit} more)` : ''}`);
  const what = m.paired.binary ? 'flipped' : 'changed';
  return `${what} (${m.metric}): ${better.length} better${list(better)}; ${worse.length} worse${list(worse)}`;
}

function verdictLine(c: Comparison): string {
  const n = c.tasks.flatMap((t) => t.metrics).filter((m) => m.p_adjusted !== null).length;
  const rule = `alpha ${c.options.alpha}, Holm over ${n} metric${n === 1 ? '' : 's'}${c.options.threshold > 0 ? `, drops of at least ${c.options.threshold}` : ''}`;
  const regressions = c.tasks.flatMap((t) => t.metrics).filter((m) => m.regression);
  return regressions.length > 0
    ? `verdict: REGRESSION in ${regressions.map((m) => `${m.task}/${m.metric} (${signed((m.paired ?? m.unpaired)!.diff)})`).join(', ')} (${rule})`
    : `verdict: no significant regression (${rule})`;
}

export function comparisonText(c: Comparison, opts: { flips?: number } = {}): string {
  const lines = [`base:      ${c.base.dir}  ${c.base.model}`, `candidate: ${c.candidate.dir}  ${c.candidate.model}`];
  if (c.differences.length > 0) {
    lines.push('', 'warning: the runs differ in what changes numbers (the differences below include their effect):', ...c.differences.map((d) => `  - ${d}`));
  }
  if (c.unmatched_tasks.length > 0) lines.push('', `tasks in one run only (not compared): ${c.unmatched_tasks.join(', ')}`);
  for (const t of c.tasks) {
    lines.push('', `${t.task} (${t.kind}): ${t.paired} items paired, ${t.only_base} only in base, ${t.only_candidate} only in candidate; clustering: ${t.clustering}`);
    lines.push(table([HEADER, ...t.metrics.map(row)]).replace(/^/gm, '  '));
    for (const m of t.metrics) {
      const l = flips(m, opts.flips ?? 10);
      if (l) lines.push(`  ${l}`);
    }
  }
  lines.push('', verdictLine(c));
  return lines.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

/** A summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment. */
export function comparisonMarkdown(c: Comparison, opts: { flips?: number } = {}): string {
  const regressed = c.regressed;
  const lines = [
    `### ${regressed ? '❌ Regression' : '✅ No significant regression'}: ${md(c.candidate.model)} vs ${md(c.base.model)}`,
    '',
    `Base \`${c.base.run_id}\`, candidate \`${c.candidate.run_id}\`. ${verdictLine(c).replace(/^verdict: /, 'Verdict: ')}.`,
  ];
  if (c.differences.length > 0) lines.push('', '> [!WARNING]', '> The runs differ in what changes numbers:', ...c.differences.map((d) => `> - ${md(d)}`));
  for (const t of c.tasks) {
    lines.push('', `#### ${t.task}`, '', `${t.paired} items paired (${t.only_base} only in base, ${t.only_candidate} only in candidate); clustering: ${t.clustering}.`, '');
    lines.push(`| ${HEADER.join(' | ')} |`, `| ${HEADER.map((_, i) => (i === 0 || i >= 7 ? '---' : '---:')).join(' | ')} |`);
    for (const m of t.metrics) lines.push(`| ${row(m).map(md).join(' | ')} |`);
    const fl = t.metrics.map((m) => flips(m, opts.flips ?? 20)).filter((l): l is string => l !== null);
    if (fl.length > 0) lines.push('', '<details><summary>Documents that changed</summary>', '', ...fl.map((l) => `- ${md(l)}`), '', '</details>');
  }
  return lines.join('\n') + '\n';
}
