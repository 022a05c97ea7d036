import { loadConfigFile } from '../../config/load.ts';
import { HarnessConfigSchema } from '../../config/schema.ts';
import { harnessCacheDir } from '../../core/paths.ts';
import { checkTask } from '../../tasks/code/check-task.ts';
import { loadRegistry, selectTasks } from '../../tasks/registry.ts';
import type { CheckTaskFlags } from '../commands/check-task.ts';

export async function checkTaskAction(name: string, flags: CheckTaskFlags): Promise<void> {
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
  const report = await checkTask(selection, { dataDir: config.dataDir, cacheDir: harnessCacheDir(), sandbox: config.sandbox, limit: config.limit, seed: config.seed });
  if (flags.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const s = report.sandbox;
    process.stdout.write(`sandbox: ${s.tool} (${s.filesystem}, network ${s.network}, ${s.user}), python ${s.python.version}\n`);
    for (const f of report.failures) process.stdout.write(`  FAIL ${f.doc_id}: ${f.outcome.status}${f.outcome.reason ? ` (${f.outcome.reason})` : ''}${f.outcome.error ? `: ${f.outcome.error}` : ''}\n`);
    process.stdout.write(`${report.task}: ${report.passed}/${report.total} reference solutions passed in ${report.seconds.toFixed(1)} s\n`);
  }
  if (report.passed !== report.total) process.exitCode = 1;
}
