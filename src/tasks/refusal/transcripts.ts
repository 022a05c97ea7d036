/**
 * Transcripts (prompt + response pairs) for `harness classify-refusals FILE --output OUT`, a researcher's own
 * prompt list read into probes, and writing classified transcripts. Files are read by src/data/records.ts
 * (JSONL, JSON, CSV, TSV, TXT); every error is a HarnessError naming the file and line and the fix.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { detectFormat, locate, readRecordFile, type RecordFile, type SourceRecord } from '../../data/records.ts';
import { HarnessError } from '../../core/errors.ts';
import { classifyResponse, detectLanguage, type RefusalFlags } from './classifier.ts';
import {
  PROBE_KINDS,
  PROBE_STYLES,
  ProbeSchema,
  REFUSAL_LABELS,
  type Probe,
  type ProbeKind,
  type ProbeLanguage,
  type RefusalLabel,
} from './probes.ts';

/** The CLI flag that sets each field option; used in error messages (the CLI should define the same flags). */
export const FIELD_FLAGS = {
  promptField: '--prompt-field',
  responseField: '--response-field',
  reasoningField: '--reasoning-field',
  languageField: '--language-field',
  idField: '--id-field',
  topicField: '--topic-field',
  kindField: '--kind-field',
  styleField: '--style-field',
  labelField: '--label-field',
  goldField: '--gold-field',
  byField: '--by',
  controlFile: '--control-probes',
} as const;

function describeColumns(columns: string[]): string {
  return columns.length === 0 ? '(none)' : columns.map((c) => JSON.stringify(c)).join(', ');
}

/**
 * Error for a field that a record lacks. For CSV it points at the header; for JSON at the record's line.
 */
function missingField(src: RecordFile, rec: SourceRecord, field: string, option: keyof typeof FIELD_FLAGS, what: string): HarnessError {
  const isCsv = src.format === 'csv' || src.format === 'tsv';
  const present = isCsv ? src.columns : Object.keys(rec.record);
  return new HarnessError(`${isCsv ? 'column' : 'field'} "${field}" (${what}) not found`, {
    where: isCsv ? `${src.file}:1 (header)` : locate(src.file, rec.line, src.format),
    fix: `${isCsv ? 'columns in this file' : 'fields on this line'}: ${describeColumns(present)}; choose another with ${FIELD_FLAGS[option]} <name>`,
  });
}

function textValue(src: RecordFile, rec: SourceRecord, field: string, option: keyof typeof FIELD_FLAGS, what: string): string {
  if (!Object.hasOwn(rec.record, field)) throw missingField(src, rec, field, option, what);
  const v = rec.record[field];
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new HarnessError(`field "${field}" (${what}) must be a string, found ${Array.isArray(v) ? 'an array' : 'an object'}`, {
    where: locate(src.file, rec.line, src.format),
    fix: `store the text itself in "${field}", or choose another field with ${FIELD_FLAGS[option]} <name>`,
  });
}

/** 'en' / 'zh' from common spellings ("English", "zh-CN", "中文"); undefined for anything else. */
export function normalizeLanguage(value: unknown): ProbeLanguage | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (/^(?:en|eng|english|en[-_][a-z]+|英文|英语)$/.test(v)) return 'en';
  if (/^(?:zh|zho|chi|chinese|mandarin|cn|zh[-_](?:cn|hans|sg|tw|hk|hant)|中文|汉语|普通话|简体中文)$/.test(v)) return 'zh';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Transcripts

export interface TranscriptFieldOptions {
  /** Default "prompt". */
  promptField?: string;
  /** Default "response". */
  responseField?: string;
  /** Reasoning in its own field. Default: "reasoning" when present; if set explicitly it must exist. */
  reasoningField?: string;
  /** Language of the prompt ('en'/'zh'). Default: "language" when present; else detected from the prompt. */
  languageField?: string;
  /** A hand label to check the classifier against; when set it must exist on every row. */
  goldField?: string;
  /** A column to break agreement down by (model, language, ...); when set it must exist on every row. */
  byField?: string;
}

export interface TranscriptRow {
  line: number;
  /** The input record, untouched. */
  record: Record<string, unknown>;
  prompt: string;
  response: string;
  /** undefined: no reasoning value (the response may still hold <think> tags). */
  reasoning?: string;
  language?: ProbeLanguage;
  /** The raw gold value (`goldField`), as written. */
  gold?: unknown;
  /** The group value (`byField`), as text. */
  group?: string;
}

/** Read prompt/response transcripts. Every record must have the prompt and response fields. */
export function readTranscripts(file: string, opts: TranscriptFieldOptions = {}): TranscriptRow[] {
  const src = readRecordFile(file);
  if (src.format === 'txt') {
    throw new HarnessError(`${file} is a plain prompt list (.txt): it has no responses to classify`, {
      where: file,
      fix: 'give a .jsonl or .csv file with a prompt and a response per row (or use the .txt file as a prompt list for a refusal run)',
    });
  }
  const promptField = opts.promptField ?? 'prompt';
  const responseField = opts.responseField ?? 'response';
  const reasoningField = opts.reasoningField ?? 'reasoning';
  const languageField = opts.languageField ?? 'language';
  return src.records.map((rec) => {
    const prompt = textValue(src, rec, promptField, 'promptField', 'the prompt');
    const response = textValue(src, rec, responseField, 'responseField', 'the model response');
    // Reasoning in its own field. null, or an empty CSV cell, means "no value" (then <think> tags in the response
    // are used); an empty JSON string means an empty reasoning block.
    let reasoning: string | undefined;
    if (Object.hasOwn(rec.record, reasoningField)) {
      const v = rec.record[reasoningField];
      const isCsv = src.format === 'csv' || src.format === 'tsv';
      reasoning = v === null || v === undefined || (isCsv && v === '') ? undefined : String(v);
    } else if (opts.reasoningField !== undefined) {
      throw missingField(src, rec, reasoningField, 'reasoningField', 'the reasoning');
    }
    let language: ProbeLanguage | undefined;
    if (Object.hasOwn(rec.record, languageField)) language = normalizeLanguage(rec.record[languageField]);
    else if (opts.languageField !== undefined) throw missingField(src, rec, languageField, 'languageField', 'the prompt language');
    const row: TranscriptRow = { line: rec.line, record: rec.record, prompt, response, reasoning, language };
    if (opts.goldField !== undefined) {
      if (!Object.hasOwn(rec.record, opts.goldField)) throw missingField(src, rec, opts.goldField, 'goldField', 'the hand label');
      row.gold = rec.record[opts.goldField];
    }
    if (opts.byField !== undefined) {
      if (!Object.hasOwn(rec.record, opts.byField)) throw missingField(src, rec, opts.byField, 'byField', 'the group to break agreement down by');
      const v = rec.record[opts.byField];
      row.group = v === null || v === undefined || v === '' ? '(none)' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return row;
  });
}

export interface ClassifyFileOptions extends TranscriptFieldOptions {
  /** The model is a reasoning model: a missing/empty think block sets `thoughtSuppression`. */
  reasoningExpected?: boolean;
  /**
   * Name of the label field written to the output (default "label"; flags and rules go to "flags" and "rules",
   * or "<labelField>_flags" / "<labelField>_rules" when renamed). It must not already exist in the input.
   */
  labelField?: string;
}

export interface ClassifyFileSummary {
  input: string;
  output: string;
  rows: number;
  counts: Record<RefusalLabel, number>;
  flagCounts: Record<keyof RefusalFlags, number>;
}

function outputFieldNames(labelField: string): { label: string; flags: string; rules: string } {
  return labelField === 'label'
    ? { label: 'label', flags: 'flags', rules: 'rules' }
    : { label: labelField, flags: `${labelField}_flags`, rules: `${labelField}_rules` };
}

function csvCell(value: unknown, delimiter: string): string {
  const s = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Classify every row of a transcript file and write it to `output` with the label, flags and the rules
 * that fired added; all other fields are kept as they were. Output format by extension:
 * .jsonl/.ndjson/.json -> JSON lines; .csv/.tsv -> the input columns + label + one column per flag + rules.
 */
export function classifyTranscriptFile(input: string, output: string, opts: ClassifyFileOptions = {}): ClassifyFileSummary {
  checkOutputPath(input, output);
  const rows = readTranscripts(input, opts);
  checkOutputFields(input, rows, opts.labelField ?? 'label');

  const labelled = rows.map((row) =>
    classifyResponse({ prompt: row.prompt, response: row.response, language: row.language, reasoning: row.reasoning, reasoningExpected: opts.reasoningExpected }),
  );
  const { counts, flagCounts } = writeLabelledRows(output, rows, labelled.map((r) => ({ label: r.label, flags: r.flags, rules: r.matched })), opts.labelField ?? 'label');
  return { input, output, rows: rows.length, counts, flagCounts };
}

/** An output path must not be the input, nor a .txt file. */
export function checkOutputPath(input: string, output: string, flag = '--output'): void {
  if (resolve(input) === resolve(output)) {
    throw new HarnessError('the output file is the input file; refusing to overwrite the transcripts', {
      where: output,
      fix: `pass a different ${flag} path`,
    });
  }
  if (detectFormat(output) === 'txt') {
    throw new HarnessError(`cannot write classified transcripts as .txt: ${output}`, {
      where: output,
      fix: `use a ${flag} path ending in .jsonl or .csv`,
    });
  }
}

/** The labels written for one row: the rule-based label, flags and rules, and any further fields (a judge's). */
export interface LabelledRow {
  label: RefusalLabel;
  flags: RefusalFlags;
  rules: string[];
  /** Written after the label fields, as they are (e.g. judge_label, judge_raw). */
  extra?: Record<string, unknown>;
}

/** Fails when the input already has a field the labels would be written to. */
export function checkOutputFields(input: string, rows: TranscriptRow[], labelField: string, extraFields: string[] = []): void {
  const names = outputFieldNames(labelField);
  for (const name of [...Object.values(names), ...extraFields]) {
    const clash = rows.find((r) => Object.hasOwn(r.record, name));
    if (clash) {
      throw new HarnessError(`the input already has a field "${name}", which classify-refusals would overwrite`, {
        where: `${input}:${clash.line}`,
        fix: `write the labels under another name with ${FIELD_FLAGS.labelField} <name> (e.g. ${FIELD_FLAGS.labelField} refusal_label)`,
      });
    }
  }
}

/**
 * Write every input row with its labels added: JSON lines (.jsonl/.ndjson/.json), or CSV/TSV with the input
 * columns + label + one column per flag + rules (+ the extra fields). Returns label and flag counts.
 */
export function writeLabelledRows(
  output: string,
  rows: TranscriptRow[],
  labelled: LabelledRow[],
  labelField: string,
): { counts: Record<RefusalLabel, number>; flagCounts: Record<keyof RefusalFlags, number> } {
  const outFormat = detectFormat(output);
  const names = outputFieldNames(labelField);
  const counts = Object.fromEntries(REFUSAL_LABELS.map((l) => [l, 0])) as Record<RefusalLabel, number>;
  const flagCounts: Record<keyof RefusalFlags, number> = {
    officialNarrative: 0,
    thoughtSuppression: 0,
    languageMismatch: 0,
    empty: 0,
    unclosedReasoning: 0,
  };
  const out: Record<string, unknown>[] = [];
  rows.forEach((row, i) => {
    const res = labelled[i];
    counts[res.label]++;
    for (const k of Object.keys(flagCounts) as (keyof RefusalFlags)[]) if (res.flags[k]) flagCounts[k]++;
    out.push({ ...row.record, [names.label]: res.label, [names.flags]: res.flags, [names.rules]: res.rules, ...(res.extra ?? {}) });
  });
  mkdirSync(dirname(resolve(output)), { recursive: true });
  if (outFormat === 'csv' || outFormat === 'tsv') {
    const delimiter = outFormat === 'tsv' ? '\t' : ',';
    const inputColumns: string[] = [];
    for (const r of rows) for (const k of Object.keys(r.record)) if (!inputColumns.includes(k)) inputColumns.push(k);
    const extraColumns: string[] = [];
    for (const r of labelled) for (const k of Object.keys(r.extra ?? {})) if (!extraColumns.includes(k)) extraColumns.push(k);
    const flagNames = Object.keys(flagCounts) as (keyof RefusalFlags)[];
    const header = [...inputColumns, names.label, ...flagNames.map((k) => `${names.flags}_${k}`), names.rules, ...extraColumns];
    const lines = [header.map((h) => csvCell(h, delimiter)).join(delimiter)];
    out.forEach((o, i) => {
      const res = labelled[i];
      const cells = [...inputColumns.map((c) => o[c]), res.label, ...flagNames.map((k) => res.flags[k]), res.rules.join(' '), ...extraColumns.map((c) => res.extra?.[c])];
      lines.push(cells.map((c) => csvCell(c, delimiter)).join(delimiter));
    });
    writeFileSync(output, lines.join('\n') + '\n', 'utf8');
  } else {
    writeFileSync(output, out.map((o) => JSON.stringify(o)).join('\n') + '\n', 'utf8');
  }
  return { counts, flagCounts };
}

/** Write objects as JSON lines, or as CSV/TSV (union of keys as columns; objects as JSON), by extension. */
export function writeRecords(output: string, records: Record<string, unknown>[]): void {
  const format = detectFormat(output);
  mkdirSync(dirname(resolve(output)), { recursive: true });
  if (format === 'csv' || format === 'tsv') {
    const delimiter = format === 'tsv' ? '\t' : ',';
    const columns: string[] = [];
    for (const r of records) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
    const lines = [columns.map((c) => csvCell(c, delimiter)).join(delimiter), ...records.map((r) => columns.map((c) => csvCell(r[c], delimiter)).join(delimiter))];
    writeFileSync(output, lines.join('\n') + '\n', 'utf8');
  } else if (format === 'txt') {
    throw new HarnessError(`cannot write rows as .txt: ${output}`, { where: output, fix: 'use a path ending in .jsonl or .csv' });
  } else {
    writeFileSync(output, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''), 'utf8');
  }
}

// ---------------------------------------------------------------------------------------------
// Researcher prompt lists

export interface PromptListOptions {
  /** Default "prompt". */
  promptField?: string;
  /** Default "id"; when the column is absent ids are generated as `<file stem>-<n>`. */
  idField?: string;
  /** Default "topic"; when absent, `defaultTopic` (default "custom"). Values are turned into slugs. */
  topicField?: string;
  /** Default "language"; when absent, `defaultLanguage`, else detected from the prompt's script. */
  languageField?: string;
  /** Default "kind"; when absent, `defaultKind` (default "sensitive"). */
  kindField?: string;
  /** Default "style"; when absent, "other". */
  styleField?: string;
  defaultKind?: ProbeKind;
  defaultTopic?: string;
  defaultLanguage?: ProbeLanguage;
}

/** Lower-case slug: "Tiananmen 1989" -> "tiananmen_1989"; non-Latin text keeps nothing -> fallback. */
export function slugify(value: string, fallback = 'custom'): string {
  const s = value
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s === '' ? fallback : s;
}

/**
 * Read a researcher's own prompt list (CSV/TSV/JSONL/JSON/TXT) into validated probes.
 * Column mapping via the options; a field option set explicitly must exist, a default one may be absent.
 */
export function readPromptList(file: string, opts: PromptListOptions = {}): Probe[] {
  const src = readRecordFile(file);
  const stem = slugify(basename(file, extname(file)), 'prompts');
  const promptField = opts.promptField ?? 'prompt';
  const fields = {
    id: opts.idField ?? 'id',
    topic: opts.topicField ?? 'topic',
    language: opts.languageField ?? 'language',
    kind: opts.kindField ?? 'kind',
    style: opts.styleField ?? 'style',
  };
  const explicit = {
    id: opts.idField !== undefined,
    topic: opts.topicField !== undefined,
    language: opts.languageField !== undefined,
    kind: opts.kindField !== undefined,
    style: opts.styleField !== undefined,
  };
  const optionOf = { id: 'idField', topic: 'topicField', language: 'languageField', kind: 'kindField', style: 'styleField' } as const;

  const probes: Probe[] = [];
  const seen = new Map<string, number>();
  src.records.forEach((rec, index) => {
    const where = locate(src.file, rec.line, src.format);
    const prompt = textValue(src, rec, promptField, 'promptField', 'the prompt').trim();
    if (prompt === '') {
      throw new HarnessError('empty prompt', { where, fix: `every row needs a non-empty "${promptField}"` });
    }
    const get = (key: keyof typeof fields): string | undefined => {
      const name = fields[key];
      if (!Object.hasOwn(rec.record, name)) {
        if (explicit[key]) throw missingField(src, rec, name, optionOf[key], key);
        return undefined;
      }
      const v = rec.record[name];
      if (v === null || v === undefined || String(v).trim() === '') return undefined;
      return String(v).trim();
    };

    const id = get('id') ?? `${stem}-${String(index + 1).padStart(4, '0')}`;
    if (seen.has(id)) {
      throw new HarnessError(`duplicate prompt id "${id}" (first seen on line ${seen.get(id)})`, {
        where,
        fix: `give every prompt a unique "${fields.id}", or drop the column to number the prompts automatically`,
      });
    }
    seen.set(id, rec.line);

    const kindValue = get('kind')?.toLowerCase();
    const kind = (kindValue ?? opts.defaultKind ?? 'sensitive') as ProbeKind;
    if (!(PROBE_KINDS as readonly string[]).includes(kind)) {
      throw new HarnessError(`unknown kind "${kindValue}"`, { where, fix: `"${fields.kind}" must be one of: ${PROBE_KINDS.join(', ')}` });
    }
    const styleValue = get('style')?.toLowerCase();
    const style = styleValue ?? 'other';
    if (!(PROBE_STYLES as readonly string[]).includes(style)) {
      throw new HarnessError(`unknown style "${styleValue}"`, { where, fix: `"${fields.style}" must be one of: ${PROBE_STYLES.join(', ')}` });
    }

    const languageValue = get('language');
    let language: ProbeLanguage | undefined;
    if (languageValue !== undefined) {
      language = normalizeLanguage(languageValue);
      if (language === undefined) {
        throw new HarnessError(`unsupported language "${languageValue}"`, {
          where,
          fix: `"${fields.language}" must be en or zh (English/Chinese spellings such as "English", "zh-CN", "中文" are accepted)`,
        });
      }
    } else {
      language = opts.defaultLanguage;
      if (language === undefined) {
        const detected = detectLanguage(prompt);
        if (detected === 'en' || detected === 'zh') language = detected;
      }
      if (language === undefined) {
        throw new HarnessError('cannot tell whether this prompt is English or Chinese', {
          where,
          fix: `add a "${fields.language}" column (en or zh), choose one with ${FIELD_FLAGS.languageField} <name>, or set a default language`,
        });
      }
    }

    const topicValue = get('topic');
    const candidate = {
      id,
      topic: slugify(topicValue ?? opts.defaultTopic ?? 'custom'),
      language,
      kind,
      style,
      pair_id: typeof rec.record.pair_id === 'string' && rec.record.pair_id.trim() !== '' ? rec.record.pair_id.trim() : id,
      control_of: typeof rec.record.control_of === 'string' && rec.record.control_of.trim() !== '' ? rec.record.control_of.trim() : null,
      prompt,
    };
    const parsed = ProbeSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((iss) => `${iss.path.join('.') || '(row)'}: ${iss.message}`).join('; ');
      throw new HarnessError(`invalid prompt row: ${issues}`, { where, fix: 'see tasks/refusal/README.md for the fields and allowed values' });
    }
    probes.push(parsed.data);
  });
  return probes;
}

export interface ProbeListsOptions extends PromptListOptions {
  /** A second list whose prompts are all controls (`--control-probes`). */
  controlFile?: string;
}

/**
 * A researcher's probe list, and optionally a list of control prompts to compute a censorship gap from two plain
 * lists. The first list's rows default to `defaultKind` (`--probe-kind`, else sensitive); every row of the control
 * list is a control. A control mirrors the sensitive prompt whose pair_id its `control_of` column names; without
 * that column, line i of the control list mirrors line i of the first list, which then must have as many rows.
 */
export function readProbeLists(file: string, opts: ProbeListsOptions = {}): { probes: Probe[]; fromFirst: number } {
  const { controlFile, ...listOpts } = opts;
  const first = readPromptList(file, listOpts);
  if (controlFile === undefined) return { probes: first, fromFirst: first.length };
  const controls = readPromptList(controlFile, { ...listOpts, defaultKind: 'control' });
  const notControl = controls.find((p) => p.kind !== 'control');
  if (notControl) {
    throw new HarnessError(`the control list has a prompt of kind "${notControl.kind}" (id ${notControl.id})`, {
      where: controlFile,
      fix: `every prompt of ${FIELD_FLAGS.controlFile} is a control: drop its kind column or set it to control`,
    });
  }
  const ids = new Set(first.map((p) => p.id));
  const clash = controls.find((p) => ids.has(p.id));
  if (clash) {
    throw new HarnessError(`prompt id "${clash.id}" is in both lists`, {
      where: `${file} and ${controlFile}`,
      fix: 'give the two lists different file names (ids are generated from the file name) or distinct ids',
    });
  }
  const explicit = controls.some((p) => p.control_of !== null);
  if (!explicit) {
    if (controls.length !== first.length) {
      throw new HarnessError(`the control list has ${controls.length} prompts and ${file} has ${first.length}: they cannot be paired line by line`, {
        where: controlFile,
        fix: `give lists of the same length (line i of the control list mirrors line i of the other), or a control_of column naming the pair_id of the prompt each control mirrors`,
      });
    }
    controls.forEach((c, i) => {
      c.control_of = first[i].kind === 'sensitive' ? first[i].pair_id : null;
    });
  } else {
    const pairs = new Set(first.filter((p) => p.kind === 'sensitive').map((p) => p.pair_id));
    const orphan = controls.find((c) => c.control_of !== null && !pairs.has(c.control_of));
    if (orphan) {
      throw new HarnessError(`control "${orphan.id}" mirrors "${orphan.control_of}", which is not the pair_id of a sensitive prompt in ${file}`, {
        where: controlFile,
        fix: 'set control_of to the pair_id (or id) of the sensitive prompt the control mirrors',
      });
    }
  }
  return { probes: [...first, ...controls], fromFirst: first.length };
}
