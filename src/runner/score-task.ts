import { writeFileSync } from 'node:fs';
import type { Sample, TaskKindRunner } from '../core/task-kind.ts';
import { appendSamples, readSamples, samplesFile, toJson } from '../results/files.ts';
import { upgradeSample } from '../results/upgrade.ts';
import type { PlannedTask } from './plan.ts';
import type { Progress } from './progress.ts';

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export interface TaskScoring {
  runDir: string;
  task: PlannedTask;
  kind: TaskKindRunner<Sample>;
  chunkSize: number | undefined;
  progress: Progress;
  /** Tokens generated so far (finished and in flight), for the progress display's token rate and ETA. */
  tokens: () => number;
  /** Asked before each chunk: true stops the run there (tests of interrupted runs). */
  shouldStop(): boolean;
  /** Called after each chunk is flushed, with the documents and requests it held. */
  afterChunk(documents: number, requests: number): void;
}

/**
 * Scores one task's documents in chunks that are appended and flushed to its samples file as they finish.
 * Whole chunks kept from an earlier session are not scored again (a half-written chunk is); samples written by
 * an older harness version are brought to the current format. Chunking is a function of the config alone, so a
 * resumed run scores exactly the batches an uninterrupted one does. Returns every sample, or null when stopped.
 */
export async function scoreTask(s: TaskScoring): Promise<Sample[] | null> {
  const { selection, prepared } = s.task;
  const docs = prepared.documents.docs;
  const file = samplesFile(s.runDir, selection.task.name);
  const chunks = chunk(docs, s.chunkSize ?? s.kind.chunkSize);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const existing = new Map(readSamples<Sample>(file).map((x) => [x.doc_id, x]));
  const kept: Sample[] = [];
  const todo: typeof chunks = [];
  for (const c of chunks) {
    if (c.every((d) => existing.has(d.id))) kept.push(...c.map((d) => upgradeSample(selection.task.kind, existing.get(d.id)!, byId.get(d.id)!)));
    else todo.push(c);
  }
  const upgraded = kept.some((x) => x !== existing.get(x.doc_id));
  if (existing.size !== kept.length || upgraded) writeFileSync(file, kept.map((x) => toJson(x) + '\n').join(''));
  const samples = [...kept];

  s.progress.start(selection.task.name, docs.length, kept.length, { tokens: s.tokens });
  let requests = 0;
  try {
    for (const c of todo) {
      if (s.shouldStop()) return null;
      const scored = await s.kind.score(c);
      appendSamples(file, scored);
      samples.push(...scored);
      const r = c.reduce((n, d) => n + s.kind.requestsPerDoc(d), 0);
      requests += r;
      s.progress.update(samples.length, requests);
      s.afterChunk(c.length, r);
    }
  } finally {
    s.progress.stop();
  }
  return samples;
}
