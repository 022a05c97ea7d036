/**
 * The one reader of record files (datasets, prompt lists, transcripts), chosen by extension or given:
 *   .jsonl / .ndjson   one JSON object per line
 *   .json              a JSON array of objects, or JSON lines
 *   .csv / .tsv        a header row + rows (csv-parse), or no header with the column names given
 *   .txt               one prompt per line (field `prompt`; blank lines and lines starting with # are skipped)
 * A `.gz` file is gunzipped first. Every record keeps the line it starts on; every error is a HarnessError
 * naming the file and line and saying how to fix it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { ExitCode, HarnessError } from '../core/errors.ts';
import { sha256 } from '../core/hash.ts';
import { parseJsonl } from './jsonl.ts';

export type RecordFormat = 'jsonl' | 'json' | 'csv' | 'tsv' | 'txt';

export interface SourceRecord {
  /** 1-based line where the record starts (for .json arrays: the 1-based item number). */
  line: number;
  record: Record<string, unknown>;
}

export interface RecordFile {
  file: string;
  format: RecordFormat;
  records: SourceRecord[];
  /** Column names (CSV header) or the union of keys over all records (JSON). */
  columns: string[];
  /** sha256 of the file's bytes as stored (before gunzip). */
  sha256: string;
}

/** The format a file is read as, from its extension (a trailing .gz is looked through). */
export function detectFormat(file: string): RecordFormat {
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  switch (ext) {
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.json':
      return 'json';
    case '.csv':
      return 'csv';
    case '.tsv':
      return 'tsv';
    case '.txt':
      return 'txt';
    default:
      throw new HarnessError(`cannot tell the format of ${file} from its extension "${ext || '(none)'}"`, {
        where: file,
        fix: 'use one of .jsonl, .ndjson, .json, .csv, .tsv or .txt (one prompt per line)',
      });
  }
}

/** Where a record is, for messages: `file:line`, or `file (item N)` in a JSON array. */
export function locate(file: string, line: number, format: RecordFormat): string {
  return format === 'json' ? `${file} (item ${line})` : `${file}:${line}`;
}

export interface ReadOptions {
  /** The format, when the extension does not tell it. */
  format?: RecordFormat;
  /** CSV/TSV without a header row: the name of each column. */
  columns?: string[];
}

/** A damaged .gz file (a truncated download, a file renamed to .gz) is an environment error naming the file. */
function gunzip(file: string, raw: Buffer): Buffer {
  try {
    return gunzipSync(raw);
  } catch (err) {
    throw new HarnessError(`cannot decompress ${file}: ${(err as Error).message}`, {
      where: file,
      fix: 'the file is damaged (a truncated download?): download or copy it again',
      exitCode: ExitCode.environment,
      cause: err,
    });
  }
}

/** Read a JSONL/JSON/CSV/TSV/TXT file (optionally gzipped) into records. Throws HarnessError for a missing/empty/malformed file. */
export function readRecordFile(file: string, opts: ReadOptions = {}): RecordFile {
  const format = opts.format ?? detectFormat(file);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new HarnessError(`file not found: ${file}`, { where: file, fix: 'check the path' });
  }
  const raw = readFileSync(file);
  const text = (file.toLowerCase().endsWith('.gz') ? gunzip(file, raw) : raw).toString('utf8').replace(/^\uFEFF/, '');
  const records: SourceRecord[] = [];

  if (format === 'txt') {
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      records.push({ line: i + 1, record: { prompt: line } });
    });
  } else if (format === 'csv' || format === 'tsv') {
    let rows: { record: Record<string, string>; raw: string; info: { lines: number } }[];
    try {
      rows = parseCsv(text, {
        columns: opts.columns ?? true,
        delimiter: format === 'tsv' ? '\t' : ',',
        skip_empty_lines: true,
        info: true,
        raw: true,
        relax_quotes: format === 'tsv',
      }) as unknown as typeof rows;
    } catch (err) {
      const e = err as Error & { lines?: number; code?: string };
      throw new HarnessError(`cannot parse ${format.toUpperCase()}: ${e.message}`, {
        where: e.lines !== undefined ? `${file}:${e.lines}` : file,
        fix:
          e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
            ? `every row needs ${opts.columns ? `${opts.columns.length} fields (${opts.columns.join(', ')})` : 'as many fields as the header'}; quote fields that contain the delimiter`
            : 'check the quoting on that line (fields with commas, quotes or newlines must be double-quoted)',
        cause: err,
      });
    }
    for (const r of rows) {
      const body = r.raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
      const inner = body.match(/\n/g)?.length ?? 0;
      records.push({ line: r.info.lines - inner, record: r.record });
    }
    if (records.length === 0) {
      throw new HarnessError(`no data rows in ${file}`, {
        where: file,
        fix: text.trim() === '' ? 'the file is empty: write a header row and at least one data row' : 'the file has a header but no data rows',
      });
    }
    const header = opts.columns ? [opts.columns] : (parseCsv(text, { to_line: 1, delimiter: format === 'tsv' ? '\t' : ',', relax_quotes: true }) as string[][]);
    return { file, format, records, columns: header[0] ?? [], sha256: sha256(raw) };
  } else {
    const trimmed = text.trim();
    if (format === 'json' && trimmed.startsWith('[')) {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (err) {
        throw new HarnessError(`invalid JSON: ${(err as Error).message}`, {
          where: file,
          fix: 'a .json file must be one JSON array of objects, or one JSON object per line',
          cause: err,
        });
      }
      (value as unknown[]).forEach((item, i) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw new HarnessError(`item ${i + 1} is not a JSON object`, {
            where: locate(file, i + 1, 'json'),
            fix: 'every item must be an object such as {"prompt": "...", "response": "..."}',
          });
        }
        records.push({ line: i + 1, record: item as Record<string, unknown> });
      });
    } else {
      const fix = 'each line must be one complete JSON object, e.g. {"prompt": "...", "response": "..."}; strings need double quotes and escaped newlines (\\n)';
      for (const { line, value } of parseJsonl(text, { file, fix })) records.push({ line, record: value as Record<string, unknown> });
    }
  }

  if (records.length === 0) {
    throw new HarnessError(`no rows in ${file}: the file is empty`, {
      where: file,
      fix: format === 'txt' ? 'write one prompt per line' : 'write one JSON object per line, e.g. {"prompt": "...", "response": "..."}',
    });
  }
  const columns: string[] = [];
  for (const r of records) for (const k of Object.keys(r.record)) if (!columns.includes(k)) columns.push(k);
  return { file, format: format === 'json' && !text.trim().startsWith('[') ? 'jsonl' : format, records, columns, sha256: sha256(raw) };
}

