import { Command, CommanderError } from 'commander';
import { ExitCode, HarnessError } from '../core/errors.ts';
import { packageVersion } from '../core/paths.ts';
import { checkTaskCommand } from './commands/check-task.ts';
import { classifyRefusalsCommand } from './commands/classify-refusals.ts';
import { runCommand } from './commands/run.ts';
import { tasksCommand } from './commands/tasks.ts';

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
  program.addCommand(runCommand());
  program.addCommand(tasksCommand());
  program.addCommand(checkTaskCommand());
  program.addCommand(classifyRefusalsCommand());
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
    if (err instanceof HarnessError) {
      process.stderr.write(err.format() + '\n');
      return err.exitCode;
    }
    process.stderr.write(`internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 70;
  }
}
