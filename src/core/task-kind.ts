import type { ModelBackend } from '../models/backend.ts';
import type { HarnessConfig } from '../config/schema.ts';
import type { TaskResult } from '../results/schema.ts';
import type { Doc } from '../tasks/multiple-choice.ts';
import type { TaskDocuments } from '../tasks/documents.ts';
import type { TaskSelection } from '../tasks/registry.ts';

/** What a task kind gets to work with. */
export interface KindContext {
  selection: TaskSelection;
  documents: TaskDocuments;
  config: HarnessConfig;
  /** Absent for `check-task` style runs that need no model. */
  model: ModelBackend;
  /** Refusal tasks: a judge model that labels answers (config.judge). */
  judge?: { backend: ModelBackend; id: string };
  /** Prints a warning once, above the progress display. */
  warn(message: string): void;
}

/** A sample line; every kind writes at least a doc id and a prompt hash. */
export interface Sample {
  doc_id: string;
  prompt_hash: string;
  skipped?: string;
  [key: string]: unknown;
}

/**
 * One task kind (multiple choice, code, refusal): scores chunks of documents into samples and aggregates
 * samples into metrics. The runner owns planning, chunking, progress, result files and resume.
 */
export interface TaskKindRunner {
  /** Documents per flushed chunk unless the config says otherwise. */
  readonly chunkSize: number;
  /** Requests (log-likelihood or generation) one document costs, for throughput figures. */
  requestsPerDoc(doc: Doc): number;
  score(docs: Doc[]): Promise<Sample[]>;
  aggregate(samples: Sample[]): TaskResult;
  /** Kind-specific facts for the task record (few-shot count, sandbox isolation, ...). */
  describe(samples: Sample[]): { numFewshot: number | null; effectiveShots: { min: number; max: number; mean: number } | null; extra: Record<string, unknown> };
  /** Called once before scoring starts (e.g. check Python is there). */
  prepare?(): Promise<void>;
  close?(): Promise<void>;
}
