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

/**
 * What of the sandbox can change a program's outcome, for the run's fingerprint: the isolation (tool, network,
 * filesystem, user, PID namespace), the interpreter and its version, and the limits.
 */
export function sandboxFingerprint(r: IsolationRecord): Record<string, unknown> {
  const l = r.limits;
  return {
    tool: r.tool,
    layout: r.layout,
    network: r.network,
    filesystem: r.filesystem,
    user: r.user,
    pid_namespace: r.pidNamespace,
    python_executable: r.python.executable,
    python_version: r.python.version,
    limits: {
      timeout_seconds: l.timeoutSeconds,
      memory_mb: l.memoryMB,
      max_processes: l.maxProcesses,
      max_output_bytes: l.maxOutputBytes,
      file_size_mb: l.fileSizeMB,
      scratch_mb: l.scratchMB,
      process_limit: l.processLimit,
    },
  };
}
