import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { RunRecordSchema, type RunRecord, type RunRecordRead } from './schema.ts';
import { zodToHarnessError } from '../core/zod-errors.ts';
import { readJsonl } from '../data/jsonl.ts';
import { upgradeRunRecord } from './upgrade.ts';

export const RUN_FILE = 'run.json';

export function samplesFile(runDir: string, task: string): string {
  return join(runDir, `samples-${task}.jsonl`);
}

/** JSON with NaN and infinities written as null (JSON has neither). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}

/** Writes run.json atomically (temp file + rename), validated against the schema first. */
export function writeRunRecord(runDir: string, record: RunRecord): void {
  const parsed = RunRecordSchema.safeParse(JSON.parse(toJson(record)));
  if (!parsed.success) throw zodToHarnessError(parsed.error, `${join(runDir, RUN_FILE)} (about to be written)`, 'this is a bug in the harness: please report it');
  const path = join(runDir, RUN_FILE);
  writeFileSync(`${path}.tmp`, toJson(record, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

export function readRunRecord(runDir: string): RunRecordRead {
  const path = join(runDir, RUN_FILE);
  if (!existsSync(path)) {
    throw new HarnessError(`no run.json in ${runDir}`, { where: path, fix: 'pass the folder of a run, for example results/<run-id>' });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new HarnessError(`run.json is not valid JSON: ${(err as Error).message}`, { where: path, fix: 'the file is damaged; start a new run' });
  }
  const r = RunRecordSchema.safeParse(json !== null && typeof json === 'object' ? upgradeRunRecord(json as Record<string, unknown>) : json);
  if (!r.success) throw zodToHarnessError(r.error, path, 'the file does not match this harness version\'s result format');
  return r.data;
}

/**
 * Appends a chunk of samples as one write and flushes it to disk: a run killed at any point keeps every
 * chunk written before. A partly written last line (killed mid-write) is dropped on reading.
 */
export function appendSamples(path: string, samples: unknown[]): void {
  if (samples.length === 0) return;
  const fd = openSync(path, 'a');
  try {
    appendFileSync(fd, samples.map((s) => toJson(s)).join('\n') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads a samples file; an incomplete trailing line from an interrupted write is ignored. */
export function readSamples<T = Record<string, unknown>>(path: string): T[] {
  return readJsonl(path, { missing: 'empty', tail: 'drop', fix: 'the samples file has a damaged line: remove it and resume' }).map((l) => l.value as T);
}
