/** A dataset row as read: field names to values. */
export type Row = Record<string, unknown>;

/** One document to evaluate, with where it came from (for error messages). */
export interface Doc {
  /** Unique within the task: `<subset>/<id>` when the task has subsets. */
  id: string;
  subset?: string;
  fields: Row;
  /** `file:line` (or `file (item N)`) of the document, for errors. */
  where: string;
}

/** A dataset file a task read, as recorded in run.json. */
export interface DatasetFileRecord {
  /** Absolute path, or `hub:<repo>/<config>/<split>` for a split downloaded from the hub. */
  source: string;
  sha256: string;
  rows: number;
}

/** What a task evaluates: its documents (after the seeded --limit subset) and what they came from. */
export interface TaskDocuments {
  /** The documents to evaluate, in dataset order. */
  docs: Doc[];
  /** Documents available before --limit. */
  total: number;
  /** Few-shot pools by subset ('' when the task has none). */
  fewshot: Map<string, Doc[]>;
  files: DatasetFileRecord[];
  /** Every row of the evaluated files before `filter` (fixed few-shot examples are picked from here by id). */
  unfiltered: Doc[];
  /** Why an optional few-shot split could not be loaded (the task then runs without those examples). */
  fewshotMissing?: string;
}
