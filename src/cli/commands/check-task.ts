import { Command } from 'commander';
import { intArg, numberArg } from '../args.ts';

export interface CheckTaskFlags {
  config?: string;
  dataDir?: string;
  taskDir?: string[];
  limit?: number;
  timeout?: number;
  concurrency?: number;
  json?: boolean;
}

/** `harness check-task`: options only; the work is in actions/check-task.ts. */
export function checkTaskCommand(): Command {
  return new Command('check-task')
    .description("Run a code task's reference solutions through the sandbox and report their pass rate (checks Python and the sandbox before a long run).")
    .argument('<task>', 'a code task, for example humaneval or mbpp')
    .option('-c, --config <file>', 'config file (default: ./harness.config.ts when present)')
    .option('--data-dir <dir>', 'root of local datasets')
    .option('--task-dir <dir...>', 'extra folders of task files')
    .option('--limit <n>', 'a seeded subset of n problems', intArg('--limit', 1))
    .option('--timeout <seconds>', "limit per program (default: the task file's)", numberArg('--timeout', 0.1))
    .option('--concurrency <n>', 'programs at once (default: cores)', intArg('--concurrency', 1))
    .option('--json', 'print the report as JSON')
    .action(async (name: string, flags: CheckTaskFlags) => (await import('../actions/check-task.ts')).checkTaskAction(name, flags));
}
