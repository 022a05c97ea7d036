import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { locate, readRecordFile } from './records.ts';
import { HarnessError, ExitCode } from '../core/errors.ts';
import { sha256 } from '../core/hash.ts';
import type { Row } from '../core/doc.ts';
import type { DatasetSpec } from '../tasks/task-base.ts';


export interface LoadedFile {
  /** Where the rows came from: a local path, or `hub:<repo>/<config>/<split>`. */
  source: string;
  sha256: string;
  rows: Row[];
  /** Each row's location for messages (`file:line`). */
  where: string[];
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

/** Parses one dataset file (src/data/records.ts does the reading); every row keeps its location. */
export function parseDatasetFile(path: string, spec: Pick<DatasetSpec, 'format' | 'header' | 'columns'>): LoadedFile {
  if (spec.format === 'csv' && !spec.header && !spec.columns) {
    throw new HarnessError('CSV without header needs column names', { where: path, fix: 'set dataset.columns in the task file' });
  }
  const file = readRecordFile(path, { format: spec.format, columns: spec.format === 'csv' && !spec.header ? spec.columns : undefined });
  const dotted = (spec.columns ?? []).some((c) => c.includes('.'));
  const rows = file.records.map((r) => {
    if (!dotted) return r.record;
    const row: Row = {};
    for (const [k, v] of Object.entries(r.record)) setPath(row, k, v);
    return row;
  });
  return { source: path, sha256: file.sha256, rows, where: file.records.map((r) => locate(path, r.line, file.format)) };
}

/** Checks the fields every row must have, naming the file, row and field. */
export function checkRequired(file: LoadedFile, required: string[]): void {
  file.rows.forEach((row, i) => {
    for (const field of required) {
      const v = row[field];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && field !== 'test_setup_code')) {
        throw new HarnessError(`a row has no "${field}"`, {
          where: `${file.where[i]}, field ${field}`,
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
  if (spec.dropItems) dropItems(file, spec.dropItems);
  checkRequired(file, spec.required);
  if (spec.idField) checkUniqueIds(file, spec.idField);
  return file;
}

/** Removes the listed values from list fields (the rows are copied, not changed in place). */
function dropItems(file: LoadedFile, drop: Record<string, string[]>): void {
  file.rows = file.rows.map((row) => {
    let out = row;
    for (const [field, values] of Object.entries(drop)) {
      const v = row[field];
      if (Array.isArray(v) && v.some((x) => values.includes(x as string))) out = { ...out, [field]: v.filter((x) => !values.includes(x as string)) };
    }
    return out;
  });
}

/** Document ids must be unique: samples, resume and few-shot lookups are keyed by them. */
export function checkUniqueIds(file: LoadedFile, idField: string): void {
  const seen = new Map<string, number>();
  file.rows.forEach((row, i) => {
    const id = String(row[idField]);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new HarnessError(`duplicate ${idField} ${JSON.stringify(id)} (first at ${file.where[first]})`, {
        where: `${file.where[i]}, field ${idField}`,
        fix: `every row needs its own ${idField}`,
      });
    }
    seen.set(id, i);
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
  const source = `hub:${hub.repo}/${config}/${hubSplit}`;
  return { source, sha256: sha256(text), rows, where: rows.map((_, i) => `${source} row ${i + 1}`) };
}
