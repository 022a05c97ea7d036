/**
 * An error meant for a person: what is wrong, where (file, line or field) and how to fix it.
 * The CLI prints `message` (plus `where` and `fix`) without a stack trace and exits with `exitCode`.
 */
export class HarnessError extends Error {
  readonly where?: string;
  readonly fix?: string;
  readonly exitCode: number;

  constructor(message: string, opts: { where?: string; fix?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HarnessError';
    this.where = opts.where;
    this.fix = opts.fix;
    this.exitCode = opts.exitCode ?? 2;
  }

  /** The text shown to the user. */
  format(): string {
    const lines = [`error: ${this.message}`];
    if (this.where) lines.push(`  where: ${this.where}`);
    if (this.fix) lines.push(`  fix:   ${this.fix}`);
    return lines.join('\n');
  }
}

/** Exit codes of the CLI. */
export const ExitCode = {
  ok: 0,
  /** A gate failed: a metric below its `--min-metric`, or a significant regression in `harness compare --fail-on-regression`. */
  regression: 1,
  /** Bad input or usage: config, flag (commander's usage errors too), task file, dataset row, model folder, a changed input at `--resume`, a run folder in use. */
  badInput: 2,
  /** An environment problem: disk full, permissions, read-only or not-a-folder output, a damaged (.gz) file, Python missing, device unavailable, network. */
  environment: 3,
  /** A bug in the harness (printed with its stack trace). */
  internal: 70,
} as const;

/** What a system error code means for a person, and how to fix it. Every one is an environment problem (exit 3). */
const SYSTEM_ERRORS: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'no space left on the device', fix: 'free disk space (or write results elsewhere with --output), then resume the run with --resume' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'free space within your quota, then resume the run with --resume' },
  EACCES: { what: 'permission denied', fix: 'check the permissions of that path, or choose another (--output for results)' },
  EPERM: { what: 'operation not permitted', fix: 'check the permissions of that path, or choose another (--output for results)' },
  EROFS: { what: 'read-only file system', fix: 'write results to a writable folder with --output' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', fix: 'check the path (for --output: a folder, or a path where one can be created)' },
  EISDIR: { what: 'a folder is where a file was expected', fix: 'check the path' },
  EMFILE: { what: 'too many open files', fix: 'raise the open-file limit (ulimit -n)' },
  ENFILE: { what: 'too many open files on the system', fix: 'close other programs or raise the system limit' },
  EIO: { what: 'input/output error', fix: 'check the disk' },
  ENOMEM: { what: 'out of memory', fix: 'use a smaller model, dtype or --batch-size, or free memory' },
};

/**
 * An error as the CLI reports it: a HarnessError as it is; a system error of the environment (disk full,
 * permissions, read-only file system, a file where a folder is expected) as a HarnessError with exit code 3
 * naming the path; anything else (a bug) null.
 */
export function asHarnessError(err: unknown): HarnessError | null {
  if (err instanceof HarnessError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const known = e && typeof e.code === 'string' ? SYSTEM_ERRORS[e.code] : undefined;
  if (!known) return null;
  return new HarnessError(`${known.what}${e!.syscall ? ` (${e!.syscall})` : ''}`, { where: e!.path ?? e!.message, fix: known.fix, exitCode: ExitCode.environment, cause: err });
}
