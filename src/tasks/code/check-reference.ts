/**
 * Run every reference solution through the sandbox: a dataset and sandbox sanity check
 * (`harness check-task`), and the ground truth the code tasks' tests pin down.
 */
import { createExecutorPool, type ExecuteOptions, type ExecutionOutcome, type ExecutorPool } from '../../sandbox/executor.ts';
import { humanEvalProgram, mbppProgram, problemId, type CodeProblem } from './programs.ts';

export interface ReferenceCheckOptions extends ExecuteOptions {
  /** Programs run at once (default: one per core). Ignored when `pool` is given. */
  concurrency?: number;
  /** Share an existing pool (e.g. the runner's). */
  pool?: ExecutorPool;
  /** MBPP full: also run challenge_test_list. */
  includeChallengeTests?: boolean;
  /** Called after each program finishes. */
  onProgress?: (done: number, total: number, id: string, outcome: ExecutionOutcome) => void;
}

export interface ReferenceCheckResult {
  total: number;
  passed: number;
  /** Problems whose reference solution did not pass, in dataset order. */
  failures: Array<{ id: string; outcome: ExecutionOutcome }>;
  /** Wall-clock seconds for the whole check. */
  seconds: number;
}

/** The program that runs a problem's own reference solution. */
export function referenceProgram(problem: CodeProblem, opts: { includeChallengeTests?: boolean } = {}): string {
  return problem.kind === 'humaneval' ? humanEvalProgram(problem) : mbppProgram(problem, problem.code, opts);
}

export async function checkReferenceSolutions(problems: readonly CodeProblem[], opts: ReferenceCheckOptions = {}): Promise<ReferenceCheckResult> {
  const { concurrency, pool: given, includeChallengeTests, onProgress, ...execOpts } = opts;
  const pool = given ?? createExecutorPool(concurrency);
  const started = performance.now();
  let done = 0;
  const outcomes = await Promise.all(
    problems.map(async (p) => {
      const id = problemId(p);
      const outcome = await pool.run(referenceProgram(p, { includeChallengeTests }), execOpts);
      done++;
      onProgress?.(done, problems.length, id, outcome);
      return { id, outcome };
    }),
  );
  const failures = outcomes.filter((o) => o.outcome.status !== 'passed');
  return { total: problems.length, passed: problems.length - failures.length, failures, seconds: (performance.now() - started) / 1000 };
}
