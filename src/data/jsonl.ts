import { existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';

/**
 * The one JSON Lines parser: dataset and prompt files, samples files, the request cache. Every value keeps the
 * line it came from. A line that does not parse is an error naming `file:line`, except where the caller says
 * a damaged line is expected: the last line of a file being appended to when the writer was killed
 * (`tail: 'drop'`), or any line of a cache (`bad: 'skip'`).
 */
export interface JsonlLine {
  /** 1-based line number. */
  line: number;
  value: unknown;
}

export interface JsonlOptions {
  /** Name for messages. */
  file: string;
  /** `drop`: a last line without its newline (an interrupted append) is ignored. Default `keep`. */
  tail?: 'keep' | 'drop';
  /** `skip`: lines that do not parse are ignored. Default `error`. */
  bad?: 'error' | 'skip';
  /** Every value must be a JSON object (default true). */
  objects?: boolean;
  /** The fix offered when a line does not parse. */
  fix?: string;
}

export function parseJsonl(text: string, opts: JsonlOptions): JsonlLine[] {
  const lines = text.split(/\r?\n/);
  // The piece after the last newline is either '' or an unterminated last line.
  if (opts.tail === 'drop' && !/\n$/.test(text)) lines.pop();
  const out: JsonlLine[] = [];
  const objects = opts.objects ?? true;
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      if (opts.bad === 'skip') return;
      throw new HarnessError(`invalid JSON on line ${i + 1}: ${(err as Error).message}`, {
        where: `${opts.file}:${i + 1}`,
        fix: opts.fix ?? 'each line must be one complete JSON object; strings need double quotes and escaped newlines (\\n)',
        cause: err,
      });
    }
    if (objects && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      if (opts.bad === 'skip') return;
      throw new HarnessError(`line ${i + 1} is not a JSON object`, {
        where: `${opts.file}:${i + 1}`,
        fix: opts.fix ?? 'each line must be one JSON object such as {"prompt": "..."}',
      });
    }
    out.push({ line: i + 1, value });
  });
  return out;
}

/** Reads a JSON Lines file; a missing file is an error naming it (or an empty list with `missing: 'empty'`). */
export function readJsonl(path: string, opts: Omit<JsonlOptions, 'file'> & { missing?: 'error' | 'empty' } = {}): JsonlLine[] {
  if (!existsSync(path)) {
    if (opts.missing === 'empty') return [];
    throw new HarnessError(`file not found: ${path}`, { where: path, fix: 'check the path' });
  }
  return parseJsonl(readFileSync(path, 'utf8'), { ...opts, file: path });
}
