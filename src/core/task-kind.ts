import type { ModelBackend } from '../models/backend.ts';
import type { Doc, TaskDocuments } from './doc.ts';
import type { TaskResult } from './result.ts';

/** A sample line; every kind writes at least the fields of SampleBaseSchema. */
export interface Sample {
  doc_id: string;
  doc: Record<string, unknown>;
  prompt_hash: string;
  prompt?: string;
  skipped?: string;
  [key: string]: unknown;
}

/** What a task kind gets to work with: its documents, the model, and its own resolved settings. */
export interface KindContext<Settings> {
  documents: TaskDocuments;
  model: ModelBackend;
  settings: Settings;
  /** Prints a warning once, above the progress display. */
  warn(message: string): void;
}

/** Kind-specific facts for the task's record in run.json. */
export interface KindDescription {
  num_fewshot: number | null;
  effective_shots: { min: number; max: number; mean: number } | null;
  extra: Record<string, unknown>;
}

/**
 * One task kind at work on one task (multiple choice, code, refusal): scores chunks of documents into samples
 * and aggregates samples into metrics. The runner owns planning, chunking, progress, result files and resume.
 */
export interface TaskKindRunner<S extends Sample = Sample> {
  /** Documents per flushed chunk unless the config says otherwise. */
  readonly chunkSize: number;
  /** Requests (log-likelihood or generation) one document costs, for throughput figures. */
  requestsPerDoc(doc: Doc): number;
  score(docs: Doc[]): Promise<S[]>;
  aggregate(samples: S[]): TaskResult;
  describe(samples: S[]): KindDescription;
  /** Called once before scoring starts (e.g. check Python is there). */
  prepare?(): Promise<void>;
  close?(): Promise<void>;
}

/** Effective few-shot counts over scored samples, for the task record. */
export function shotStats(shots: number[]): KindDescription['effective_shots'] {
  if (shots.length === 0) return null;
  return { min: Math.min(...shots), max: Math.max(...shots), mean: shots.reduce((a, b) => a + b, 0) / shots.length };
}
