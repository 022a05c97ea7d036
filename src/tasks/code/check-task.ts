import type { ExecutionOutcome } from '../../sandbox/executor.ts';
import type { IsolationRecord } from '../../sandbox/isolation.ts';
import { HarnessError } from '../../core/errors.ts';
import { referenceProgram } from './program.ts';
import { openSandbox, type SandboxSettings } from './sandbox.ts';
import { loadTaskDocuments } from '../documents.ts';
import type { TaskSelection } from '../registry.ts';

export interface ReferenceFailure {
  doc_id: string;
  outcome: Pick<ExecutionOutcome, 'status' | 'reason' | 'error' | 'stderrTail'>;
}

export interface CheckTaskReport {
  task: string;
  total: number;
  passed: number;
  failures: ReferenceFailure[];
  seconds: number;
  sandbox: IsolationRecord;
}

/**
 * Runs every reference solution of a code task through the same sandbox and program template as model
 * answers: a check of the machine's Python and sandbox before a long run, and of the task file itself.
 */
export interface CheckTaskOptions {
  dataDir: string;
  cacheDir: string;
  sandbox: SandboxSettings;
  /** A seeded subset of the problems. */
  limit?: number;
  seed: number;
}

export async function checkTask(selection: TaskSelection, opts: CheckTaskOptions, onProgress?: (done: number, total: number) => void): Promise<CheckTaskReport> {
  const task = selection.task;
  if (task.kind !== 'code') {
    throw new HarnessError(`task ${task.name} is a ${task.kind} task; check-task runs the reference solutions of code tasks`, { fix: 'pick a code task, for example humaneval or mbpp' });
  }
  const { pool, sandbox } = await openSandbox(opts.sandbox, task);
  const docs = await loadTaskDocuments(task, { dataDir: opts.dataDir, cacheDir: opts.cacheDir, subsets: selection.subsets, limit: opts.limit, seed: opts.seed, needFewshot: false });
  const t0 = performance.now();
  let done = 0;
  const outcomes = await Promise.all(
    docs.docs.map(async (doc) => {
      const outcome = await pool.run(referenceProgram(task, doc));
      onProgress?.(++done, docs.docs.length);
      return { doc, outcome };
    }),
  );
  const failures = outcomes
    .filter((o) => o.outcome.status !== 'passed')
    .map((o) => ({ doc_id: o.doc.id, outcome: { status: o.outcome.status, reason: o.outcome.reason, error: o.outcome.error, stderrTail: o.outcome.stderrTail.slice(-300) } }));
  return { task: task.name, total: docs.docs.length, passed: docs.docs.length - failures.length, failures, seconds: (performance.now() - t0) / 1000, sandbox };
}
