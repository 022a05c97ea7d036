import { loadRegistry } from '../../tasks/registry.ts';

export function tasksAction(flags: { taskDir?: string[] }): void {
  for (const { task, file } of loadRegistry(flags.taskDir ?? []).values()) {
    const subsets = task.subsets ? ` (${Object.keys(task.subsets).length} subsets: ${task.name}:<subset>)` : '';
    process.stdout.write(`${task.name.padEnd(16)} ${task.kind.padEnd(16)} ${task.about ?? ''}${subsets}\n    ${file}\n`);
  }
}
