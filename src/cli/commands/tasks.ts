import { Command } from 'commander';
import { loadRegistry } from '../../tasks/registry.ts';

export function tasksCommand(): Command {
  return new Command('tasks')
    .description('List the tasks (built-in tasks/ and --task-dir folders) with their kind and subsets.')
    .option('--task-dir <dir...>', 'extra folders of task files')
    .action((flags: { taskDir?: string[] }) => {
      for (const { task, file } of loadRegistry(flags.taskDir ?? []).values()) {
        const subsets = task.subsets ? ` (${Object.keys(task.subsets).length} subsets: ${task.name}:<subset>)` : '';
        process.stdout.write(`${task.name.padEnd(16)} ${task.kind.padEnd(16)} ${task.about ?? ''}${subsets}\n    ${file}\n`);
      }
    });
}
