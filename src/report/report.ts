import { compareRuns, type Comparison, type LoadedRun } from '../compare/compare.ts';
import { pValue } from '../compare/format.ts';
import type { Sample } from '../core/task-kind.ts';
import type { Metric, MetricTable, TaskResult } from '../results/schema.ts';
import type { RefusalSample } from '../tasks/refusal/sample.ts';
import { wilsonInterval } from '../stats/intervals.ts';
import { SCRIPT, STYLE } from './assets.ts';
import { sampleGroup, sampleView, type SampleView } from './sample-views.ts';
import { esc, forestPlot, heatmap, RUN_COLORS, stackedBars, type ForestGroup, type HeatCell } from './svg.ts';

/**
 * `harness report`: one self-contained HTML file (styles, charts and data inline; no request leaves the page)
 * for one or more runs side by side: the runs, metrics with intervals, paired comparisons with the first run,
 * MMLU by category and subject, pass@k and program outcomes, refusal rates by topic x language with the
 * censorship gap, and a sample browser with filters.
 */

export interface ReportOptions {
  title?: string;
  /** Documents per task in the sample browser (those that flipped between runs first). */
  maxDocuments: number;
  generatedAt?: string;
}

interface RunInfo {
  label: string;
  color: string;
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

/** A metric's interval: its own 95% interval, else value +- 1.96 stderr. */
function intervalOf(m: Metric | undefined): [number, number] | null {
  if (!m) return null;
  if (m.ci95) return m.ci95;
  if (m.value !== null && m.stderr !== null && m.stderr !== undefined && Number.isFinite(m.stderr)) return [m.value - 1.96 * m.stderr, m.value + 1.96 * m.stderr];
  return null;
}

function metricRows(runs: LoadedRun[], pick: (r: LoadedRun) => Metric | undefined): ForestGroup['rows'] {
  return runs.map((r, i) => {
    const m = pick(r);
    const ci = intervalOf(m);
    return { series: i, value: m?.value ?? null, lo: ci?.[0] ?? null, hi: ci?.[1] ?? null, text: m ? `${f3(m.value)}${ci ? ` [${f3(ci[0])}, ${f3(ci[1])}]` : ''}  n=${m.n}` : 'not in run' };
  });
}

function runLabel(r: LoadedRun, i: number, all: LoadedRun[]): string {
  const m = r.record.model;
  const base = `${m.name} ${m.dtype}`;
  const same = all.filter((x) => `${x.record.model.name} ${x.record.model.dtype}` === base).length > 1;
  return `${i + 1}. ${base}${same ? ` (${r.record.run_id.slice(-6)})` : ''}`;
}

function section(id: string, title: string, body: string): string {
  return body ? `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>` : '';
}

function runsTable(runs: LoadedRun[], info: RunInfo[]): string {
  const rows = runs.map((r, i) => {
    const rec = r.record;
    const t = rec.timings;
    return `<tr><td><span class="swatch" style="background:${info[i].color}"></span>${esc(info[i].label)}</td><td>${esc(rec.model.name)}</td><td>${esc(rec.model.dtype)} · ${esc(rec.model.device)}</td><td>${esc(Object.keys(rec.results).join(', '))}</td><td>${esc(rec.status)}${rec.failure ? `: ${esc(rec.failure.message)}` : ''}</td><td>${esc(rec.started_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</td><td class="num">${t ? t.total_seconds.toFixed(1) + ' s' : '–'}</td><td>${esc(rec.harness.version)}${rec.harness.git_commit ? ` (${esc(rec.harness.git_commit.slice(0, 8))})` : ''}</td><td>${esc(rec.environment.cpu)}</td><td class="muted">${esc(r.dir)}</td></tr>`;
  });
  return `<table><tr><th>run</th><th>model</th><th>dtype · device</th><th>tasks</th><th>status</th><th>started</th><th>time</th><th>harness</th><th>CPU</th><th>folder</th></tr>${rows.join('')}</table>`;
}

function overview(runs: LoadedRun[]): string {
  const tasks = [...new Set(runs.flatMap((r) => Object.keys(r.record.results)))];
  const out: string[] = [];
  for (const task of tasks) {
    const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.record.results[task]?.metrics ?? {})))];
    const kind = runs.find((r) => r.record.results[task])!.record.results[task].kind;
    const gaps = metrics.filter((m) => m.startsWith('censorship_gap'));
    const rates = metrics.filter((m) => !gaps.includes(m));
    out.push(`<h3>${esc(task)} <span class="muted">(${esc(kind)})</span></h3>`);
    out.push(forestPlot(rates.map((m) => ({ label: m, rows: metricRows(runs, (r) => r.record.results[task]?.metrics[m]) })), { reference: chance(runs, task) }));
    if (gaps.length > 0) out.push(forestPlot(gaps.map((m) => ({ label: m, rows: metricRows(runs, (r) => r.record.results[task]?.metrics[m]) })), { domain: 'auto', zero: true, label: 'sensitive minus control (Newcombe 95% interval)' }));
  }
  return `<p class="muted">Dots are the estimates, whiskers their 95% intervals (Wilson for rates, Newcombe for differences, ±1.96 standard errors otherwise).</p>${out.join('')}`;
}

function comparisons(cs: Comparison[], info: RunInfo[]): string {
  const out: string[] = [];
  cs.forEach((c, k) => {
    const who = info[k + 1];
    out.push(`<h3><span class="swatch" style="background:${who.color}"></span>${esc(who.label)} against ${esc(info[0].label)}: <span class="${c.regressed ? 'verdict-bad' : 'verdict-good'}">${c.regressed ? 'significant regression' : 'no significant regression'}</span></h3>`);
    if (c.differences.length > 0) out.push(`<div class="warn"><strong>The runs differ in what changes numbers</strong> (the differences include their effect):<ul>${c.differences.map((d) => `<li>${esc(d)}</li>`).join('')}</ul></div>`);
    const groups: ForestGroup[] = [];
    const rows: string[] = [];
    for (const t of c.tasks) {
      for (const m of t.metrics) {
        const p = m.paired;
        const u = m.unpaired;
        const diff = p?.diff ?? u?.diff ?? null;
        const ci = p?.ci ?? u?.ci ?? null;
        const verdict = m.regression ? '<span class="verdict-bad">regression</span>' : m.significant ? '<span class="verdict-good">significant</span>' : 'no significant difference';
        groups.push({ label: `${t.task} ${m.metric}`, rows: [{ series: k + 1, value: diff, lo: ci?.[0] ?? null, hi: ci?.[1] ?? null, strong: m.significant, text: diff === null ? 'n/a' : `${diff >= 0 ? '+' : ''}${diff.toFixed(3)}  p=${pValue(p?.p_value ?? u?.p_value)}` }] });
        const flips = p ? `${m.higher_is_better === false ? p.down : p.up} better, ${m.higher_is_better === false ? p.up : p.down} worse` : '';
        rows.push(
          `<tr><td>${esc(t.task)}</td><td>${esc(m.metric)}</td><td class="num">${f3(p?.base ?? m.base_reported)}</td><td class="num">${f3(p?.candidate ?? m.candidate_reported)}</td><td class="num">${diff === null ? '–' : (diff >= 0 ? '+' : '') + diff.toFixed(4)}</td><td class="num">${ci ? `[${f3(ci[0])}, ${f3(ci[1])}]` : '–'}</td><td class="num">${pValue(p?.p_value ?? u?.p_value)}</td><td class="num">${pValue(m.p_adjusted)}</td><td>${esc(p?.test ?? (u ? 'unpaired z' : '–'))}</td><td class="num">${f3(p?.mdd)}</td><td class="num">${p ? `${p.n} / ${p.clusters}` : '–'}</td><td>${esc(flips)}</td><td>${verdict}</td></tr>`,
        );
      }
    }
    out.push(forestPlot(groups, { domain: 'auto', zero: true, label: `paired difference, ${who.label} minus ${info[0].label} (95% interval)` }));
    out.push(`<table><tr><th>task</th><th>metric</th><th>base</th><th>candidate</th><th>diff</th><th>95% CI</th><th>p</th><th>p (Holm)</th><th>test</th><th>MDD</th><th>items / clusters</th><th>documents</th><th>verdict</th></tr>${rows.join('')}</table>`);
  });
  return cs.length === 0 ? '' : `<p class="muted">Each run against the first, document by document: McNemar's exact test for 0/1 metrics (clustered when a cluster holds several flips), a paired bootstrap otherwise; intervals with clustered standard errors; MDD is the smallest difference these runs could detect (80% power, alpha 0.05).</p>${out.join('')}`;
}

/** Multiple choice: the accuracy of guessing (the mean of 1 / number of choices), drawn as a reference line. */
function chance(runs: LoadedRun[], task: string): { value: number; label: string } | undefined {
  const r = runs.find((x) => x.record.results[task]?.kind === 'multiple_choice');
  const choices = (r?.samples[task] ?? []).map((s) => (Array.isArray(s.choices) ? s.choices.length : 0)).filter((n) => n > 0);
  if (choices.length === 0) return undefined;
  return { value: choices.reduce((a, n) => a + 1 / n, 0) / choices.length, label: 'chance' };
}

/** MMLU-style tasks: categories (by_group) and subjects (by_subset), runs side by side. */
function byCategory(runs: LoadedRun[]): string {
  const out: string[] = [];
  const tasks = [...new Set(runs.flatMap((r) => Object.entries(r.record.results).filter(([, x]) => x.kind === 'multiple_choice' && Object.keys(x.by_subset ?? {}).length > 0).map(([t]) => t)))];
  for (const task of tasks) {
    const metric = 'acc';
    const groups = [...new Set(runs.flatMap((r) => Object.keys(r.record.results[task]?.by_group ?? {})))].sort();
    out.push(`<h3>${esc(task)}: ${metric} by category</h3>`);
    out.push(forestPlot(groups.map((g) => ({ label: g, rows: metricRows(runs, (r) => r.record.results[task]?.by_group?.[g]?.[metric]) })), { reference: chance(runs, task) }));
    const subsets = [...new Set(runs.flatMap((r) => Object.keys(r.record.results[task]?.by_subset ?? {})))];
    const first = (s: string) => runs[0].record.results[task]?.by_subset?.[s]?.[metric]?.value ?? -1;
    subsets.sort((a, b) => first(b) - first(a) || (a < b ? -1 : 1));
    out.push(`<details><summary>${subsets.length} subjects (sorted by the first run's ${metric}; intervals of single-digit n are wide)</summary>${forestPlot(subsets.map((s) => ({ label: s.replace(/_/g, ' '), rows: metricRows(runs, (r) => r.record.results[task]?.by_subset?.[s]?.[metric]) })))}</details>`);
  }
  return out.join('');
}

const OUTCOME_COLORS: Record<string, string> = { passed: '#12b76a', failed: '#f04438', timeout: '#f79009', killed: '#7a5af8' };

function code(runs: LoadedRun[], info: RunInfo[]): string {
  const out: string[] = [];
  const tasks = [...new Set(runs.flatMap((r) => Object.entries(r.record.results).filter(([, x]) => x.kind === 'code').map(([t]) => t)))];
  for (const task of tasks) {
    const ks = [...new Set(runs.flatMap((r) => Object.keys(r.record.results[task]?.metrics ?? {})))];
    out.push(`<h3>${esc(task)}: pass@k</h3>`, forestPlot(ks.map((k) => ({ label: k, rows: metricRows(runs, (r) => r.record.results[task]?.metrics[k]) }))));
    const bars = runs.flatMap((r, i) => {
      const outcomes = (r.record.results[task]?.details?.outcomes ?? {}) as Record<string, number>;
      const byStatus: Record<string, number> = {};
      for (const [k, v] of Object.entries(outcomes)) byStatus[k.split(' ')[0]] = (byStatus[k.split(' ')[0]] ?? 0) + v;
      return Object.keys(byStatus).length === 0 ? [] : [{ label: info[i].label, parts: Object.entries(byStatus).map(([name, value]) => ({ name, value, color: OUTCOME_COLORS[name] ?? '#98a2b3' })) }];
    });
    if (bars.length > 0) out.push('<p class="muted">How the programs ended:</p>', stackedBars(bars));
  }
  return out.join('');
}

const LABEL_COLORS = { refused: '#d92d20', deflected: '#f79009', complied: '#12b76a' };

function refusal(runs: LoadedRun[], info: RunInfo[]): string {
  const out: string[] = [];
  const tasks = [...new Set(runs.flatMap((r) => Object.entries(r.record.results).filter(([, x]) => x.kind === 'refusal').map(([t]) => t)))];
  for (const task of tasks) {
    const all = runs.map((r) => (r.samples[task] ?? []) as unknown as RefusalSample[]);
    const topics = [...new Set(all.flatMap((ss) => ss.filter((s) => s.probe.kind === 'sensitive').map((s) => s.probe.topic)))].sort();
    const langs = [...new Set(all.flatMap((ss) => ss.map((s) => s.probe.language)))].sort();
    const cols = langs.flatMap((l) => [`${l}|refused`, `${l}|not answered`]);
    const maps = all.map((ss, i) => {
      const cells: HeatCell[][] = topics.map((t) =>
        cols.map((c) => {
          const [lang, what] = c.split('|');
          const labels = ss.filter((s) => s.probe.topic === t && s.probe.language === lang && s.probe.kind === 'sensitive').flatMap((s) => s.responses.map((x) => x.label));
          const hit = labels.filter((l) => (what === 'refused' ? l === 'refused' : l !== 'complied')).length;
          const ci = labels.length ? wilsonInterval(hit, labels.length) : null;
          return { value: labels.length ? hit / labels.length : null, n: labels.length, title: `${t} · ${lang} ${what}: ${hit}/${labels.length}${ci ? ` (95% CI ${f3(ci[0])}–${f3(ci[1])})` : ''}` };
        }),
      );
      return topics.length ? heatmap(topics.map((t) => t.replace(/_/g, ' ')), cols, cells, { caption: info[i].label }) : '';
    });
    if (topics.length > 0) out.push(`<h3>${esc(task)}: sensitive prompts by topic and language</h3><p class="muted">Share of answers refused, and not answered (refused or deflected). Hover a cell for counts and its Wilson interval.</p><div class="small-multiples">${maps.join('')}</div>`);
    const gapGroups = langs.map((l) => ({ label: `${l}: censorship gap`, rows: metricRows(runs, (r) => (r.record.results[task]?.by_group?.[`${l}/gap`] as MetricTable | undefined)?.censorship_gap) }));
    if (gapGroups.some((g) => g.rows.some((r) => r.value !== null))) {
      out.push('<h3>Censorship gap by language</h3><p class="muted">Refusal rate on sensitive prompts minus on their matched controls, with Newcombe 95% intervals.</p>');
      out.push(forestPlot(gapGroups, { domain: 'auto', zero: true }));
    }
    const bars = runs.flatMap((r, i) => {
      const groups = (r.record.results[task] as TaskResult | undefined)?.by_group ?? {};
      return Object.entries(groups)
        .filter(([g, t]) => /^[a-z]+\/(sensitive|control|overrefusal)$/.test(g) && t.refusal_rate)
        .map(([g, t]) => ({
          group: g,
          run: i,
          label: `${g} · run ${info[i].label.split('.')[0]}`,
          parts: (['refused', 'deflected', 'complied'] as const).map((l) => {
            const key = l === 'refused' ? 'refusal_rate' : l === 'deflected' ? 'deflection_rate' : 'compliance_rate';
            return { name: l, value: Math.round((t[key]?.value ?? 0) * (t[key]?.n ?? 0)), color: LABEL_COLORS[l] };
          }),
        }));
    });
    bars.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.run - b.run));
    if (bars.length > 0) out.push('<h3>Labels by language and kind</h3>', stackedBars(bars));
  }
  return out.join('');
}

interface BrowserDoc {
  task: string;
  id: string;
  group: string;
  prompt: string | null;
  flipped: boolean;
  runs: (SampleView | null)[];
}

/** The sample browser's documents: per task, those that flipped between runs first, up to the cap. */
function browserDocs(runs: LoadedRun[], max: number): { docs: BrowserDoc[]; notes: string[] } {
  const docs: BrowserDoc[] = [];
  const notes: string[] = [];
  const tasks = [...new Set(runs.flatMap((r) => Object.keys(r.samples)))];
  for (const task of tasks) {
    const kind = runs.find((r) => r.record.results[task])?.record.results[task].kind ?? '';
    const maps = runs.map((r) => new Map((r.samples[task] ?? []).map((s) => [s.doc_id, s] as const)));
    const ids = [...new Set(runs.flatMap((r) => (r.samples[task] ?? []).map((s) => s.doc_id)))];
    const all: BrowserDoc[] = ids.map((id) => {
      const ss = maps.map((m) => m.get(id));
      const views = ss.map((s) => (s ? sampleView(kind, s) : null));
      const outcomes = views.filter((v): v is SampleView => v !== null).map((v) => v.outcome);
      const any = ss.find((s): s is Sample => s !== undefined)!;
      const prompt = ss.find((s) => s?.prompt !== undefined)?.prompt ?? null;
      return { task, id, group: sampleGroup(kind, any), prompt: prompt ?? (Object.keys(any.doc ?? {}).length ? JSON.stringify(any.doc, null, 2) : null), flipped: new Set(outcomes).size > 1, runs: views };
    });
    const chosen = [...all.filter((d) => d.flipped), ...all.filter((d) => !d.flipped)].slice(0, max);
    if (chosen.length < all.length) notes.push(`${task}: ${chosen.length} of ${all.length} documents (every one that flipped included); --max-documents shows more`);
    const order = new Map(ids.map((id, i) => [id, i]));
    docs.push(...chosen.sort((a, b) => order.get(a.id)! - order.get(b.id)!));
  }
  return { docs, notes };
}

/** JSON inside <script>: nothing in it can close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function buildReport(runs: LoadedRun[], opts: ReportOptions): string {
  const info: RunInfo[] = runs.map((r, i) => ({ label: runLabel(r, i, runs), color: RUN_COLORS[i % RUN_COLORS.length] }));
  const cs = runs.slice(1).map((r) => compareRuns(runs[0], r));
  const { docs, notes } = browserDocs(runs, opts.maxDocuments);
  const title = opts.title ?? (runs.length === 1 ? `Evaluation of ${runs[0].record.model.name}` : `${runs.length} runs compared`);
  const sections = [
    section('runs', 'Runs', runsTable(runs, info)),
    section('metrics', 'Metrics', overview(runs)),
    section('comparison', `Compared with ${info[0].label}`, comparisons(cs, info)),
    section('categories', 'By category and subject', byCategory(runs)),
    section('code', 'Code', code(runs, info)),
    section('refusal', 'Refusal', refusal(runs, info)),
  ].filter(Boolean);
  const nav = sections.map((s) => s.match(/<section id="([^"]+)"><h2>([^<]+)<\/h2>/)).filter((m): m is RegExpMatchArray => m !== null);
  const browser = `<section id="samples"><h2>Samples</h2>${notes.length ? `<p class="muted">${notes.map(esc).join('<br>')}</p>` : ''}
<div id="browser">
  <div class="filters">
    <label>task <select id="f-task"></select></label>
    <label>outcome in <select id="f-run"></select></label>
    <label><select id="f-outcome"></select></label>
    <label>label <select id="f-label"></select></label>
    <label><input type="checkbox" id="f-flipped"> flipped between runs</label>
    <label><input type="search" id="f-text" placeholder="search prompts and outputs"></label>
    <span class="count" id="count"></span>
  </div>
  <div id="list"></div>
  <div class="pager"><button id="prev">previous</button><span id="page"></span><button id="next">next</button></div>
</div></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}</h1><div class="muted">local-llm-harness report · ${esc(opts.generatedAt ?? new Date().toISOString())} · ${runs.length} run${runs.length === 1 ? '' : 's'}</div>
<nav>${[...nav.map((m) => `<a href="#${m[1]}">${esc(m[2])}</a>`), '<a href="#samples">Samples</a>'].join('')}</nav></header>
<main>${sections.join('\n')}${browser}</main>
<script type="application/json" id="report-data">${scriptJson({ runs: info, docs })}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
