import { Command } from 'commander';

/** `harness tasks`: the work is in actions/tasks.ts. */
export function tasksCommand(): Command {
  return new Command('tasks')
    .description('List the tasks (built-in tasks/ and --task-dir folders) with their kind and subsets.')
    .option('--task-dir <dir...>', 'extra folders of task files')
    .action(async (flags: { taskDir?: string[] }) => (await import('../actions/tasks.ts')).tasksAction(flags));
}
