import seedrandom from 'seedrandom';
import { loadSplit, type LoadedFile } from '../data/load.ts';
import type { TaskFile } from './schema.ts';
import type { Doc } from './multiple-choice.ts';

export interface TaskDocuments {
  /** The documents to evaluate, in dataset order (after the seeded --limit subset). */
  docs: Doc[];
  /** Total documents before --limit. */
  total: number;
  /** Few-shot pools by subset ('' when the task has none). */
  fewshot: Map<string, Doc[]>;
  files: { source: string; sha256: string; rows: number }[];
}

function toDocs(file: LoadedFile, subset: string | undefined, idField: string | undefined): Doc[] {
  return file.rows.map((fields, i) => ({
    id: `${subset ? `${subset}/` : ''}${idField !== undefined && fields[idField] !== undefined ? String(fields[idField]) : i}`,
    ...(subset !== undefined ? { subset } : {}),
    fields,
    where: `${file.source}: row ${i + 1}`,
  }));
}

/**
 * A reproducible subset: a seeded shuffle of all documents (seed and task name), first `limit` taken,
 * then put back into dataset order. The same seed always picks the same documents.
 */
export function seededSubset<T>(items: T[], limit: number | undefined, seed: number, salt: string): T[] {
  if (limit === undefined || limit >= items.length) return items;
  const rng = seedrandom(`${seed}:${salt}`);
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, limit)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

/** Loads a task's evaluation split (all chosen subsets) and its few-shot pools. */
export async function loadTaskDocuments(
  task: TaskFile,
  opts: { dataDir: string; cacheDir: string; subsets?: string[]; limit?: number; seed: number; needFewshot: boolean },
): Promise<TaskDocuments> {
  const subsets: (string | undefined)[] = task.subsets ? (opts.subsets ?? Object.keys(task.subsets)) : [undefined];
  const docs: Doc[] = [];
  const fewshot = new Map<string, Doc[]>();
  const files: TaskDocuments['files'] = [];
  const fewshotSplit = task.kind === 'multiple_choice' ? task.fewshot?.split : undefined;
  for (const subset of subsets) {
    const file = await loadSplit(task.dataset, { dataDir: opts.dataDir, cacheDir: opts.cacheDir, split: task.split, subset });
    files.push({ source: file.source, sha256: file.sha256, rows: file.rows.length });
    docs.push(...toDocs(file, subset, task.dataset.idField));
    if (fewshotSplit && opts.needFewshot) {
      const shots = await loadSplit(task.dataset, { dataDir: opts.dataDir, cacheDir: opts.cacheDir, split: fewshotSplit, subset });
      files.push({ source: shots.source, sha256: shots.sha256, rows: shots.rows.length });
      fewshot.set(subset ?? '', toDocs(shots, subset, task.dataset.idField));
    }
  }
  return { docs: seededSubset(docs, opts.limit, opts.seed, task.name), total: docs.length, fewshot, files };
}
