import { Command } from 'commander';
import { HarnessConfigSchema } from '../../config/schema.ts';
import { loadConfigFile } from '../../config/load.ts';
import { checkTask } from '../../tasks/check-task.ts';
import { loadRegistry, selectTasks } from '../../tasks/registry.ts';
import { intArg, numberArg } from '../args.ts';

export function checkTaskCommand(): Command {
  return new Command('check-task')
    .description("Run a code task's reference solutions through the sandbox and report their pass rate (checks Python and the sandbox before a long run).")
    .argument('<task>', 'a code task, for example humaneval or mbpp')
    .option('-c, --config <file>', 'config file (default: ./harness.config.ts when present)')
    .option('--data-dir <dir>', 'root of local datasets')
    .option('--task-dir <dir...>', 'extra folders of task files')
    .option('--limit <n>', 'a seeded subset of n problems', intArg('--limit', 1))
    .option('--timeout <seconds>', 'wall-clock limit per program', numberArg('--timeout', 0.1))
    .option('--concurrency <n>', 'programs at once (default: cores)', intArg('--concurrency', 1))
    .option('--json', 'print the report as JSON')
    .action(async (name: string, flags: { config?: string; dataDir?: string; taskDir?: string[]; limit?: number; timeout?: number; concurrency?: number; json?: boolean }) => {
      const { config: fileConfig } = await loadConfigFile(flags.config);
      const config = HarnessConfigSchema.parse({
        ...fileConfig,
        model: fileConfig.model ?? { id: 'none' },
        ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
        ...(flags.taskDir ? { taskDirs: flags.taskDir } : {}),
        ...(flags.limit ? { limit: flags.limit } : { limit: undefined }),
        sandbox: { ...(fileConfig.sandbox ?? {}), ...(flags.timeout ? { timeoutSeconds: flags.timeout } : {}), ...(flags.concurrency ? { concurrency: flags.concurrency } : {}) },
      });
      const [selection] = selectTasks([name], loadRegistry(config.taskDirs));
      const report = await checkTask(selection, config);
      if (flags.json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      } else {
        const s = report.sandbox;
        process.stdout.write(`sandbox: ${s.tool} (${s.filesystem}, network ${s.network}, ${s.user}), python ${s.python.version}\n`);
        for (const f of report.failures) process.stdout.write(`  FAIL ${f.doc_id}: ${f.outcome.status}${f.outcome.reason ? ` (${f.outcome.reason})` : ''}${f.outcome.error ? `: ${f.outcome.error}` : ''}\n`);
        process.stdout.write(`${report.task}: ${report.passed}/${report.total} reference solutions passed in ${report.seconds.toFixed(1)} s\n`);
      }
      if (report.passed !== report.total) process.exitCode = 1;
    });
}
