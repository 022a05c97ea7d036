import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { asHarnessError, ExitCode, HarnessError } from '../core/errors.ts';

/**
 * Checks that results can be written under `output` before anything expensive runs: the folder exists or can be
 * created, and a file can be written in it. Every failure is an environment error (exit code 3) naming the path.
 */
export function checkOutputWritable(output: string): void {
  const dir = resolve(output);
  const fail = (what: string, err?: unknown) =>
    new HarnessError(`--output ${dir}: ${what}`, { where: '--output / config.output', fix: 'pass a folder you can write to (it is created when missing)', exitCode: ExitCode.environment, cause: err });
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw fail('is a file, not a folder');
  const probe = join(dir, `.harness-write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'ok\n');
  } catch (err) {
    const h = asHarnessError(err);
    throw fail(h ? h.message : (err as Error).message, err);
  }
  rmSync(probe, { force: true });
}
