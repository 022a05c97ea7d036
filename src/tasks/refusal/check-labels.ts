/**
 * `harness classify-refusals` at work: label a transcript file with the rules (and a judge model when one is
 * given, keeping both labels), write the labelled rows, and, against a column of hand labels, measure how far
 * the labels can be trusted: agreement, Cohen's kappa and the confusion matrix, for the rules, the prefix
 * string-match reference and the judge, overall and per group, with the disagreeing rows written out for review.
 */
import type { ChatMessage } from '../../models/backend.ts';
import { HarnessError } from '../../core/errors.ts';
import { agreement, goldLabel, type Agreement } from './agreement.ts';
import { prefixMatchLabel } from './baseline.ts';
import { classifyResponse, type ClassifyResult, type ExplainedUnit } from './classifier.ts';
import { judgeResponse, JUDGE_RUBRIC_VERSION } from './judge.ts';
import { REFUSAL_LABELS, type RefusalLabel } from './probes.ts';
import { checkOutputFields, checkOutputPath, FIELD_FLAGS, readTranscripts, writeLabelledRows, writeRecords, type ClassifyFileOptions, type TranscriptRow } from './transcripts.ts';

export interface JudgeOption {
  id: string;
  /** Answers the rubric conversation (greedy, ~96 new tokens). */
  generate: (messages: ChatMessage[]) => Promise<string>;
}

export interface CheckLabelsOptions extends ClassifyFileOptions {
  /** Write every row with its labels here (.jsonl or .csv). */
  output?: string;
  /** Mapping of gold values to labels (`--gold-map`); common spellings are understood without it. */
  goldMap?: Map<string, RefusalLabel>;
  /** Write the rows whose rule label (or judge label) disagrees with the gold label here. */
  disagreements?: string;
  judge?: JudgeOption;
  /** Called after each row is labelled (progress for judge runs). */
  onRow?: (done: number, total: number) => void;
}

export interface LabelledTranscript {
  row: TranscriptRow;
  rules: ClassifyResult;
  units: ExplainedUnit[];
  baseline: RefusalLabel;
  judge?: { label: RefusalLabel; raw: string; fallback: boolean };
  gold?: RefusalLabel;
}

export interface Agreements {
  n: number;
  rules: Agreement;
  prefix_match: Agreement;
  judge?: Agreement;
}

export interface CheckReport {
  file: string;
  rows: number;
  gold_field: string;
  /** Gold label counts. */
  gold: Record<RefusalLabel, number>;
  overall: Agreements;
  /** Per value of `--by`. */
  by_group?: Record<string, Agreements>;
  /** The judge against the rules (how often they agree, whatever gold says). */
  judge_vs_rules?: Agreement;
  judge?: { id: string; rubric_version: number; fallbacks: number };
  disagreements: number;
}

export interface CheckLabelsResult {
  rows: LabelledTranscript[];
  counts: Record<RefusalLabel, number>;
  report?: CheckReport;
}

/** Gold labels of every row, or an error naming the values that are neither labels nor mapped. */
function mapGold(file: string, rows: TranscriptRow[], opts: CheckLabelsOptions): RefusalLabel[] {
  const unknown = new Map<string, number>();
  const out = rows.map((r) => {
    const label = goldLabel(r.gold, opts.goldMap);
    if (label === undefined) {
      const key = r.gold === null || r.gold === undefined || String(r.gold).trim() === '' ? '(empty)' : String(r.gold);
      if (!unknown.has(key)) unknown.set(key, r.line);
    }
    return label as RefusalLabel;
  });
  if (unknown.size > 0) {
    const list = [...unknown].map(([v, line]) => `"${v}" (line ${line})`).join(', ');
    const empty = unknown.has('(empty)');
    throw new HarnessError(`gold values that are not ${REFUSAL_LABELS.join(' / ')}: ${list}`, {
      where: `${file}, column ${opts.goldField}`,
      fix: `map them with ${FIELD_FLAGS.goldField} ${opts.goldField} --gold-map VALUE=refused|deflected|complied,...` + (empty ? '; label or remove the rows with an empty gold value' : ''),
    });
  }
  return out;
}

function agreements(items: LabelledTranscript[]): Agreements {
  const pairs = (pick: (t: LabelledTranscript) => RefusalLabel) => items.map((t) => ({ gold: t.gold!, predicted: pick(t) }));
  return {
    n: items.length,
    rules: agreement(pairs((t) => t.rules.label)),
    prefix_match: agreement(pairs((t) => t.baseline)),
    ...(items.some((t) => t.judge) ? { judge: agreement(pairs((t) => t.judge!.label)) } : {}),
  };
}

/** The readable explanation of a label: each unit of the answer with the role it was given. */
export function explainUnits(units: ExplainedUnit[]): string {
  return units.map((u) => `[${u.role ?? (u.counted ? 'answer' : 'content')}] ${u.text.length > 160 ? `${u.text.slice(0, 157)}...` : u.text}`).join('\n');
}

/** Label a transcript file (rules, prefix reference, optional judge) and, with `goldField`, measure agreement. */
export async function checkLabels(input: string, opts: CheckLabelsOptions): Promise<CheckLabelsResult> {
  if (opts.output) checkOutputPath(input, opts.output);
  if (opts.disagreements) checkOutputPath(input, opts.disagreements, '--disagreements');
  if (opts.disagreements && !opts.goldField) {
    throw new HarnessError('--disagreements needs hand labels to disagree with', { where: '--disagreements', fix: `add ${FIELD_FLAGS.goldField} <column>` });
  }
  const rows = readTranscripts(input, opts);
  const labelField = opts.labelField ?? 'label';
  const judgeFields = opts.judge ? ['judge_label', 'judge_raw', 'judge_fallback'] : [];
  if (opts.output) checkOutputFields(input, rows, labelField, judgeFields);
  const gold = opts.goldField !== undefined ? mapGold(input, rows, opts) : undefined;

  const items: LabelledTranscript[] = [];
  for (const [i, row] of rows.entries()) {
    let units: ExplainedUnit[] = [];
    const rules = classifyResponse({
      prompt: row.prompt,
      response: row.response,
      language: row.language,
      reasoning: row.reasoning,
      reasoningExpected: opts.reasoningExpected,
      explain: (u) => (units = u),
    });
    const item: LabelledTranscript = { row, rules, units, baseline: prefixMatchLabel(row.response), ...(gold ? { gold: gold[i] } : {}) };
    if (opts.judge) {
      const j = await judgeResponse(opts.judge.generate, row.prompt, row.response, opts.judge.id);
      item.judge = { label: j.label, raw: j.raw, fallback: j.fallback };
    }
    items.push(item);
    opts.onRow?.(i + 1, rows.length);
  }

  let counts = Object.fromEntries(REFUSAL_LABELS.map((l) => [l, 0])) as Record<RefusalLabel, number>;
  if (opts.output) {
    const written = writeLabelledRows(
      opts.output,
      rows,
      items.map((t) => ({
        label: t.rules.label,
        flags: t.rules.flags,
        rules: t.rules.matched,
        ...(t.judge ? { extra: { judge_label: t.judge.label, judge_raw: t.judge.raw, judge_fallback: t.judge.fallback } } : {}),
      })),
      labelField,
    );
    counts = written.counts;
  } else {
    for (const t of items) counts[t.rules.label]++;
  }
  if (!gold) return { rows: items, counts };

  const disagreeing = items.filter((t) => t.rules.label !== t.gold || (t.judge !== undefined && t.judge.label !== t.gold));
  if (opts.disagreements) {
    writeRecords(
      opts.disagreements,
      disagreeing.map((t) => ({
        line: t.row.line,
        ...t.row.record,
        gold_label: t.gold,
        rule_label: t.rules.label,
        prefix_match_label: t.baseline,
        ...(t.judge ? { judge_label: t.judge.label, judge_raw: t.judge.raw } : {}),
        rules: t.rules.matched,
        explanation: explainUnits(t.units),
      })),
    );
  }
  const goldCounts = Object.fromEntries(REFUSAL_LABELS.map((l) => [l, items.filter((t) => t.gold === l).length])) as Record<RefusalLabel, number>;
  const report: CheckReport = {
    file: input,
    rows: items.length,
    gold_field: opts.goldField!,
    gold: goldCounts,
    overall: agreements(items),
    disagreements: disagreeing.length,
  };
  if (opts.byField !== undefined) {
    const groups = new Map<string, LabelledTranscript[]>();
    for (const t of items) {
      const k = t.row.group ?? '(none)';
      groups.set(k, [...(groups.get(k) ?? []), t]);
    }
    report.by_group = Object.fromEntries([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, agreements(v)]));
  }
  if (opts.judge) {
    report.judge = { id: opts.judge.id, rubric_version: JUDGE_RUBRIC_VERSION, fallbacks: items.filter((t) => t.judge?.fallback).length };
    report.judge_vs_rules = agreement(items.map((t) => ({ gold: t.rules.label, predicted: t.judge!.label })));
  }
  return { rows: items, counts, report };
}

// ---------------------------------------------------------------------------------------------
// Text report

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : x.toFixed(3));
const ci = (c: [number, number]) => (Number.isNaN(c[0]) ? '' : `[${c[0].toFixed(3)}, ${c[1].toFixed(3)}]`);

function agreementLine(name: string, a: Agreement): string {
  return `  ${name.padEnd(14)} ${pct(a.threeClass.rate)} ${ci(a.threeClass.ci).padEnd(16)} κ ${pct(a.threeClass.kappa)}    ${pct(a.binary.rate)} ${ci(a.binary.ci).padEnd(16)} κ ${pct(a.binary.kappa)}`;
}

function confusionTable(a: Agreement, predictedBy: string): string[] {
  const head = `  ${'gold \\ ' + predictedBy}`.padEnd(24) + REFUSAL_LABELS.map((l) => l.padStart(10)).join('');
  const lines = [head];
  for (const g of REFUSAL_LABELS) lines.push(`  ${g}`.padEnd(24) + REFUSAL_LABELS.map((p) => String(a.confusion[g][p]).padStart(10)).join(''));
  return lines;
}

/** The report as text, the way `classify-refusals --gold-field` prints it. */
export function formatCheckReport(report: CheckReport): string {
  const o = report.overall;
  const lines: string[] = [];
  lines.push(`${report.rows} rows checked against "${report.gold_field}" (gold: ${REFUSAL_LABELS.map((l) => `${l} ${report.gold[l]}`).join(', ')})`);
  lines.push('');
  lines.push(`  ${''.padEnd(14)} ${'three-class agreement'.padEnd(31)}    binary (complied vs not)`);
  lines.push(agreementLine('rules', o.rules));
  lines.push(agreementLine('prefix match', o.prefix_match));
  if (o.judge) lines.push(agreementLine('judge', o.judge));
  lines.push('');
  lines.push(...confusionTable(o.rules, 'rules'));
  lines.push('');
  lines.push('  per label (rules)   precision   recall');
  for (const l of REFUSAL_LABELS) lines.push(`  ${l.padEnd(18)}  ${pct(o.rules.perLabel[l].precision).padStart(9)}   ${pct(o.rules.perLabel[l].recall).padStart(6)}`);
  if (o.judge) {
    lines.push('');
    lines.push(...confusionTable(o.judge, 'judge'));
    lines.push(`  judge ${report.judge!.id} (rubric v${report.judge!.rubric_version}): ${report.judge!.fallbacks} unparseable verdicts fell back to the rules; agrees with the rules on ${pct(report.judge_vs_rules!.threeClass.rate)} (three-class)`);
  }
  if (report.by_group) {
    lines.push('');
    lines.push(`  ${'group'.padEnd(28)} ${'n'.padStart(5)}   rules 3-cl  binary   prefix 3-cl  binary${o.judge ? '   judge 3-cl  binary' : ''}`);
    for (const [k, g] of Object.entries(report.by_group)) {
      lines.push(
        `  ${k.slice(0, 28).padEnd(28)} ${String(g.n).padStart(5)}   ${pct(g.rules.threeClass.rate).padStart(10)}  ${pct(g.rules.binary.rate)}   ${pct(g.prefix_match.threeClass.rate).padStart(11)}  ${pct(g.prefix_match.binary.rate)}` +
          (g.judge ? `   ${pct(g.judge.threeClass.rate).padStart(10)}  ${pct(g.judge.binary.rate)}` : ''),
      );
    }
  }
  return lines.join('\n');
}

/** The report as JSON (snake_case keys, as in result files). */
export function reportJson(report: CheckReport): unknown {
  const conv = (a: Agreement) => ({
    n: a.n,
    three_class: a.threeClass,
    binary: a.binary,
    confusion: a.confusion,
    per_label: a.perLabel,
  });
  const group = (g: Agreements) => ({ n: g.n, rules: conv(g.rules), prefix_match: conv(g.prefix_match), ...(g.judge ? { judge: conv(g.judge) } : {}) });
  return {
    ...report,
    overall: group(report.overall),
    ...(report.by_group ? { by_group: Object.fromEntries(Object.entries(report.by_group).map(([k, v]) => [k, group(v)])) } : {}),
    ...(report.judge_vs_rules ? { judge_vs_rules: conv(report.judge_vs_rules) } : {}),
  };
}
