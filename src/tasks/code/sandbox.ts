import { availableParallelism } from 'node:os';
import { createExecutorPool, describeSandbox, type ExecuteOptions, type ExecutorPool } from '../../sandbox/executor.ts';
import type { IsolationRecord } from '../../sandbox/isolation.ts';
import type { CodeTask } from './schema.ts';

/** The run's sandbox settings (config `sandbox`, flags over it). */
export interface SandboxSettings {
  /** Per-program limit; default: the task file's `timeoutSeconds`. */
  timeoutSeconds?: number;
  memoryMB: number;
  maxProcesses: number;
  maxOutputBytes: number;
  /** Programs at once; default: one per core. */
  concurrency?: number;
  python: string;
}

/** The limits a task's programs run under: the run's settings, with the task's own time limit as default. */
export function sandboxOptions(settings: SandboxSettings, task: CodeTask): ExecuteOptions {
  const { timeoutSeconds, memoryMB, maxProcesses, maxOutputBytes, python } = settings;
  return { timeoutSeconds: timeoutSeconds ?? task.timeoutSeconds, memoryMB, maxProcesses, maxOutputBytes, python };
}

/**
 * The sandbox a code task's programs run in: its isolation record (detection checks Python first, a clear error
 * when it is missing or too old) and a pool of `concurrency` programs at a time.
 */
export async function openSandbox(settings: SandboxSettings, task: CodeTask): Promise<{ pool: ExecutorPool; sandbox: IsolationRecord }> {
  const opts = sandboxOptions(settings, task);
  const sandbox = await describeSandbox(opts);
  return { sandbox, pool: createExecutorPool(settings.concurrency ?? availableParallelism(), opts) };
}
