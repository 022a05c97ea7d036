import seedrandom from 'seedrandom';
import { loadSplit, type LoadedFile } from '../data/datasets.ts';
import type { TaskFile } from './schema.ts';
import type { Doc, TaskDocuments } from '../core/doc.ts';
import { render } from './template.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readProbeLists, type ProbeListsOptions } from './refusal/transcripts.ts';
import type { ProbeKind } from './refusal/probes.ts';
import { sha256 } from '../core/hash.ts';
import { HarnessError } from '../core/errors.ts';


function toDocs(file: LoadedFile, subset: string | undefined, idField: string | undefined): Doc[] {
  return file.rows.map((fields, i) => ({
    id: `${subset ? `${subset}/` : ''}${idField !== undefined && fields[idField] !== undefined ? String(fields[idField]) : i}`,
    ...(subset !== undefined ? { subset } : {}),
    fields,
    where: file.where[i],
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

/** The split (and path) a task takes few-shot examples from, when they come from its dataset. */
function fewshotSource(task: TaskFile): { split: string; path?: string; optional: boolean } | undefined {
  if (task.kind === 'multiple_choice' && task.fewshot) return { split: task.fewshot.split, path: task.fewshot.path, optional: false };
  // A generative task runs without its examples (with a warning) when their split cannot be had: GSM8K's 5 shots
  // come from the train split, which an offline machine may lack.
  if (task.kind === 'generative' && task.fewshot?.split) return { split: task.fewshot.split, path: task.fewshot.path, optional: true };
  return undefined;
}

/** Docs of a file whose subsets are the values of a field (in file order), checked against the listed subsets. */
function docsBySubsetField(file: LoadedFile, task: TaskFile, field: string): Doc[] {
  return file.rows.map((fields, i) => {
    const subset = String(fields[field] ?? '');
    if (task.subsets && !(subset in task.subsets)) {
      throw new HarnessError(`${field} ${JSON.stringify(subset)} is not one of the task's subsets`, {
        where: `${file.where[i]}, field ${field}`,
        fix: `the task lists ${Object.keys(task.subsets).join(', ')}; add it to subsets in the task file, or fix the row`,
      });
    }
    const id = task.dataset.idField !== undefined && fields[task.dataset.idField] !== undefined ? String(fields[task.dataset.idField]) : String(i);
    return { id, subset, fields, where: file.where[i] };
  });
}

/** Loads a task's evaluation split (all chosen subsets) and its few-shot pools. */
export async function loadTaskDocuments(
  task: TaskFile,
  opts: { dataDir: string; cacheDir: string; subsets?: string[]; limit?: number; seed: number; needFewshot: boolean },
): Promise<TaskDocuments> {
  const docs: Doc[] = [];
  const fewshot = new Map<string, Doc[]>();
  const files: TaskDocuments['files'] = [];
  const source = opts.needFewshot ? fewshotSource(task) : undefined;
  let fewshotMissing: string | undefined;
  const load = (split: string, subset?: string, path?: string) =>
    loadSplit(path ? { ...task.dataset, path } : task.dataset, { dataDir: opts.dataDir, cacheDir: opts.cacheDir, split, subset });
  const loadShots = async (subset?: string): Promise<LoadedFile | undefined> => {
    if (!source) return undefined;
    try {
      const shots = await load(source.split, subset, source.path);
      files.push({ source: shots.source, sha256: shots.sha256, rows: shots.rows.length });
      return shots;
    } catch (err) {
      if (!source.optional || !(err instanceof HarnessError)) throw err;
      fewshotMissing = `${err.message}${err.fix ? ` (${err.fix})` : ''}`;
      return undefined;
    }
  };
  if (task.subsetField) {
    const field = task.subsetField;
    const chosen = opts.subsets ? new Set(opts.subsets) : undefined;
    const file = await load(task.split);
    files.push({ source: file.source, sha256: file.sha256, rows: file.rows.length });
    docs.push(...docsBySubsetField(file, task, field).filter((d) => !chosen || chosen.has(d.subset!)));
    const shots = await loadShots();
    for (const d of shots ? docsBySubsetField(shots, task, field) : []) fewshot.set(d.subset!, [...(fewshot.get(d.subset!) ?? []), d]);
  } else {
    const subsets: (string | undefined)[] = task.subsets ? (opts.subsets ?? Object.keys(task.subsets)) : [undefined];
    for (const subset of subsets) {
      const file = await load(task.split, subset);
      files.push({ source: file.source, sha256: file.sha256, rows: file.rows.length });
      docs.push(...toDocs(file, subset, task.dataset.idField));
      const shots = await loadShots(subset);
      if (shots) fewshot.set(subset ?? '', toDocs(shots, subset, task.dataset.idField));
    }
  }
  const kept = task.filter ? docs.filter((d) => keep(task.filter!, d, task.name)) : docs;
  return { docs: seededSubset(kept, opts.limit, opts.seed, task.name), total: kept.length, fewshot, files, unfiltered: docs, ...(fewshotMissing ? { fewshotMissing } : {}) };
}

/**
 * A researcher's own prompt list (and control list) as the documents of a refusal task (config.probes /
 * --probes, --control-probes): read, validated and paired by readProbeLists. All of them: the refusal kind
 * takes its own --limit subset (stratified by kind x language).
 */
export function promptListDocuments(probes: { file: string; kind?: ProbeKind } & ProbeListsOptions): TaskDocuments {
  const file = resolve(probes.file);
  const controlFile = probes.controlFile !== undefined ? resolve(probes.controlFile) : undefined;
  const { probes: list, fromFirst } = readProbeLists(file, { ...probes, defaultKind: probes.kind ?? probes.defaultKind, controlFile });
  const docs: Doc[] = list.map((p, i) => ({
    id: p.id,
    fields: { ...p },
    where: i < fromFirst ? `${file}: prompt ${i + 1}` : `${controlFile}: prompt ${i - fromFirst + 1}`,
  }));
  const files = [{ source: file, sha256: sha256(readFileSync(file)), rows: fromFirst }];
  if (controlFile) files.push({ source: controlFile, sha256: sha256(readFileSync(controlFile)), rows: list.length - fromFirst });
  return { docs, total: docs.length, fewshot: new Map(), files, unfiltered: docs };
}

/** Applies a task's `filter` expression to one document. */
function keep(filter: string, doc: Doc, task: string): boolean {
  const v = render(filter, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task}: filter`).trim().toLowerCase();
  if (v !== 'true' && v !== 'false') {
    throw new HarnessError(`filter rendered "${v}", not true or false`, { where: `task ${task}: filter (${doc.where})`, fix: 'write the filter as a Jinja expression such as "{{ task_id >= 11 and task_id <= 510 }}"' });
  }
  return v === 'true';
}
