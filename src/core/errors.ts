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
  /** A metric regressed below a threshold given on the command line. */
  regression: 1,
  /** Bad input: config, task file, dataset row, model folder, flag. */
  badInput: 2,
  /** An environment problem: Python missing, no network for a hub id, device unavailable. */
  environment: 3,
} as const;
