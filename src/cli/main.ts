import { Command, CommanderError } from 'commander';
import { asHarnessError, ExitCode } from '../core/errors.ts';
import { packageVersion } from '../core/paths.ts';
import { checkTaskCommand } from './commands/check-task.ts';
import { classifyRefusalsCommand } from './commands/classify-refusals.ts';
import { runCommand } from './commands/run.ts';
import { tasksCommand } from './commands/tasks.ts';
import { showCommand } from './commands/show.ts';
import { compareCommand } from './commands/compare.ts';
import { reportCommand } from './commands/report.ts';

/**
 * Every sub-command the `harness` bin offers; each file in commands/ declares one (its options and help), and
 * its work lives in actions/, imported only when the command runs: `--help` and `--version` load neither
 * onnxruntime nor transformers.js.
 */
export function buildProgram(): Command {
  const program = new Command('harness')
    .description('Evaluate open-weight language models on your own hardware: accuracy, speed and refusal behaviour.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const cmd of [runCommand(), showCommand(), compareCommand(), reportCommand(), tasksCommand(), checkTaskCommand(), classifyRefusalsCommand()]) {
    // addCommand does not pass these on: without them a sub-command's usage error would exit 1 by itself.
    program.addCommand(cmd.exitOverride().showHelpAfterError('(run with --help for usage)'));
  }
  return program;
}

/** Runs the CLI and returns its exit code; errors for people are printed without a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit with 0; usage errors have already been printed by commander.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    // Errors for people (and system errors of the environment: disk full, permissions) without a stack trace.
    const expected = asHarnessError(err);
    if (expected) {
      process.stderr.write(expected.format() + '\n');
      return expected.exitCode;
    }
    process.stderr.write(`internal error: ${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.internal;
  }
}
