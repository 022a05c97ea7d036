import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { HarnessError, ExitCode } from '../util/errors.ts';
import { sha256 } from '../util/hash.ts';
import type { DatasetSpec } from '../tasks/schema.ts';

export type Row = Record<string, unknown>;

export interface LoadedFile {
  /** Where the rows came from: a local path, or `hub:<repo>/<config>/<split>`. */
  source: string;
  sha256: string;
  rows: Row[];
}

/** Reads a file's bytes, gunzipping `.gz`. */
function readText(path: string): { text: string; hash: string } {
  const raw = readFileSync(path);
  const bytes = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  return { text: bytes.toString('utf8'), hash: sha256(raw) };
}

/** Sets `a.b.0` style paths: `choices.0` builds the list field `choices`. */
function setPath(row: Row, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = row;
  for (let i = 0; i < parts.length - 1; i++) {
    const nextIsIndex = /^\d+$/.test(parts[i + 1]);
    node[parts[i]] ??= nextIsIndex ? [] : {};
    node = node[parts[i]] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** Parses one dataset file by format; every failure names the file and line. */
export function parseDatasetFile(path: string, spec: Pick<DatasetSpec, 'format' | 'header' | 'columns'>): LoadedFile {
  const { text, hash } = readText(path);
  let rows: Row[];
  if (spec.format === 'csv') {
    let records: string[][];
    try {
      records = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch (err) {
      const e = err as { lines?: number; message: string };
      throw new HarnessError(`malformed CSV: ${e.message}`, {
        where: `${path}${e.lines ? `:${e.lines}` : ''}`,
        fix: 'quote fields that contain commas, quotes or newlines ("..." with "" for a quote)',
      });
    }
    const columns = spec.header ? records.shift() : spec.columns;
    if (!columns) {
      throw new HarnessError('CSV without header needs column names', { where: path, fix: 'set dataset.columns in the task file' });
    }
    rows = records.map((rec, i) => {
      if (rec.length !== columns.length) {
        throw new HarnessError(`CSV row has ${rec.length} fields, expected ${columns.length} (${columns.join(', ')})`, {
          where: `${path}: row ${i + 1 + (spec.header ? 1 : 0)}`,
          fix: 'every row needs one value per column; quote values that contain commas',
        });
      }
      const row: Row = {};
      columns.forEach((c, j) => setPath(row, c, rec[j]));
      return row;
    });
  } else if (spec.format === 'txt') {
    rows = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((prompt) => ({ prompt }));
  } else if (spec.format === 'jsonl') {
    rows = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push(JSON.parse(line) as Row);
      } catch (err) {
        throw new HarnessError(`invalid JSON on line ${i + 1}: ${(err as Error).message}`, {
          where: `${path}:${i + 1}`,
          fix: 'each line of a .jsonl file must be one complete JSON object',
        });
      }
    });
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new HarnessError(`invalid JSON: ${(err as Error).message}`, { where: path, fix: 'the file must hold a JSON array of objects' });
    }
    if (!Array.isArray(parsed)) throw new HarnessError('expected a JSON array of objects', { where: path, fix: 'wrap the rows in [ ... ]' });
    rows = parsed as Row[];
  }
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new HarnessError('row is not an object', { where: `${path}: row ${i + 1}`, fix: 'each row must be a JSON object' });
    }
  });
  return { source: path, sha256: hash, rows };
}

/** Checks the fields every row must have, naming the file, row and field. */
export function checkRequired(file: LoadedFile, required: string[]): void {
  file.rows.forEach((row, i) => {
    for (const field of required) {
      const v = row[field];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && field !== 'test_setup_code')) {
        throw new HarnessError(`row ${i + 1} has no "${field}"`, {
          where: `${file.source}: row ${i + 1}, field ${field}`,
          fix: `every row needs "${field}"; fields present: ${Object.keys(row).join(', ')}`,
        });
      }
    }
  });
}

export function datasetPath(spec: DatasetSpec, dataDir: string, split: string, subset?: string): string {
  return resolve(dataDir, spec.path.replaceAll('{split}', split).replaceAll('{subset}', subset ?? ''));
}

/** Loads one split (and subset) of a task's dataset: the local file, else the hub when online. */
export async function loadSplit(
  spec: DatasetSpec,
  opts: { dataDir: string; split: string; subset?: string; cacheDir: string },
): Promise<LoadedFile> {
  const path = datasetPath(spec, opts.dataDir, opts.split, opts.subset);
  let file: LoadedFile;
  if (existsSync(path)) {
    file = parseDatasetFile(path, spec);
  } else if (spec.hub) {
    file = await loadFromHub(spec.hub, opts.split, opts.subset, opts.cacheDir, path);
  } else {
    throw new HarnessError(`dataset file not found: ${path}`, {
      where: `dataset.path (${spec.path})`,
      fix: `point --data-dir at the folder that holds ${spec.path.replaceAll('{split}', opts.split).replaceAll('{subset}', opts.subset ?? '')}`,
    });
  }
  checkRequired(file, spec.required);
  if (spec.idField) checkUniqueIds(file, spec.idField);
  return file;
}

/** Document ids must be unique: samples, resume and few-shot lookups are keyed by them. */
export function checkUniqueIds(file: LoadedFile, idField: string): void {
  const seen = new Map<string, number>();
  file.rows.forEach((row, i) => {
    const id = String(row[idField]);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new HarnessError(`duplicate ${idField} ${JSON.stringify(id)} (first on row ${first})`, {
        where: `${file.source}: row ${i + 1}, field ${idField}`,
        fix: `every row needs its own ${idField}`,
      });
    }
    seen.set(id, i + 1);
  });
}

/**
 * Downloads a split from the Hugging Face datasets-server rows API (JSON, 100 rows a page) and caches it as JSONL.
 * Offline it fails within seconds, naming the local file that would have been used.
 */
async function loadFromHub(
  hub: NonNullable<DatasetSpec['hub']>,
  split: string,
  subset: string | undefined,
  cacheDir: string,
  localPath: string,
): Promise<LoadedFile> {
  const config = hub.config.replaceAll('{subset}', subset ?? '');
  const hubSplit = hub.splits[split] ?? split;
  const cached = join(cacheDir, 'datasets', hub.repo.replace('/', '__'), config, `${hubSplit}.jsonl`);
  if (existsSync(cached)) {
    const f = parseDatasetFile(cached, { format: 'jsonl', header: true });
    return { ...f, source: `hub:${hub.repo}/${config}/${hubSplit} (cached ${cached})` };
  }
  const endpoint = process.env.HF_DATASETS_SERVER ?? 'https://datasets-server.huggingface.co';
  const rows: Row[] = [];
  const fix = `put the file at ${localPath} (or pass --data-dir), or run once with network access so the split is cached`;
  if (process.env.HF_HUB_OFFLINE === '1' || process.env.HARNESS_OFFLINE === '1') {
    throw new HarnessError(`dataset file not found (${localPath}) and the hub is switched off`, { fix, exitCode: ExitCode.environment });
  }
  for (let offset = 0; ; offset += 100) {
    const url = `${endpoint}/rows?dataset=${encodeURIComponent(hub.repo)}&config=${encodeURIComponent(config)}&split=${encodeURIComponent(hubSplit)}&offset=${offset}&length=100`;
    let body: { rows: { row: Row }[]; num_rows_total: number };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new HarnessError(`dataset file not found (${localPath}) and the hub cannot be reached: ${(err as Error).message}`, {
        where: url,
        fix,
        exitCode: ExitCode.environment,
      });
    }
    rows.push(...body.rows.map((r) => r.row));
    if (rows.length >= body.num_rows_total || body.rows.length === 0) break;
  }
  mkdirSync(dirname(cached), { recursive: true });
  const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(cached, text);
  return { source: `hub:${hub.repo}/${config}/${hubSplit}`, sha256: sha256(text), rows };
}
