import { join } from 'node:path';
import type { HarnessConfig } from '../config/schema.ts';
import { HarnessError } from '../core/errors.ts';
import { harnessCacheDir } from '../core/paths.ts';
import { checkModel } from '../models/registry.ts';
import type { ModelFingerprint, TaskFingerprint } from '../results/schema.ts';
import { prepareTask, type PreparedTask } from '../tasks/kinds.ts';
import { loadRegistry, selectTasks, type TaskSelection } from '../tasks/registry.ts';
import { environment, harnessVersion } from './environment.ts';
import type { RunInputs } from './fingerprints.ts';
import { taskFingerprint } from './fingerprints.ts';

export interface PlannedTask {
  selection: TaskSelection;
  prepared: PreparedTask;
  fingerprint: TaskFingerprint;
}

/** A run made ready up to the model: every check that needs no model done, every input fingerprinted. */
export interface RunPlan {
  config: HarnessConfig;
  tasks: PlannedTask[];
  /** The model's and judge's fingerprints are null when only known once loaded (hub models not downloaded yet). */
  inputs: Omit<RunInputs, 'fingerprints'> & { fingerprints: { model: ModelFingerprint | null; judge: ModelFingerprint | null; tasks: Record<string, TaskFingerprint> } };
  needsJudge: boolean;
}

/** Where hub models are downloaded. */
export function modelCacheDir(): string {
  return join(harnessCacheDir(), 'models');
}

/** `--min-metric` gates name tasks of the run and metrics those tasks report: checked before anything runs. */
export function checkGates(gates: Record<string, number>, tasks: PlannedTask[]): void {
  const metrics = new Map(tasks.map((t) => [t.selection.task.name, t.prepared.metrics]));
  for (const key of Object.keys(gates)) {
    const [task, metric] = key.split('/');
    const known = metrics.get(task);
    if (!known) {
      throw new HarnessError(`--min-metric ${key}: task "${task}" is not part of this run`, {
        where: '--min-metric / config.minMetrics',
        fix: `gate one of the run's tasks: ${[...metrics.keys()].join(', ')}`,
      });
    }
    if (!known.includes(metric)) {
      throw new HarnessError(`--min-metric ${key}: task ${task} reports no metric "${metric}"`, {
        where: '--min-metric / config.minMetrics',
        fix: `use one of: ${known.map((m) => `${task}/${m}`).join(', ')}`,
      });
    }
  }
}

/**
 * Everything before the model loads, in the order that fails fastest: the tasks exist, the model (and judge)
 * can be loaded and their files are hashed, every task's documents are read (dataset errors), its sandbox is
 * detected (Python), the gates name real metrics.
 */
export async function planRun(config: HarnessConfig, warn: (m: string) => void): Promise<RunPlan> {
  const selections = selectTasks(config.tasks, loadRegistry(config.taskDirs));
  const cacheDir = modelCacheDir();
  const model = await checkModel('onnx', { id: config.model.id, dtype: config.model.dtype, device: config.model.device, cacheDir });
  const needsJudge = config.judge !== undefined && selections.some((s) => s.task.kind === 'refusal');
  const judge = needsJudge ? await checkModel('onnx', { id: config.judge!.id, dtype: config.judge!.dtype, device: config.judge!.device, cacheDir }) : null;
  const tasks: PlannedTask[] = [];
  for (const selection of selections) {
    const prepared = await prepareTask(selection, { config, cacheDir: harnessCacheDir(), warn });
    tasks.push({ selection, prepared, fingerprint: taskFingerprint(selection, prepared) });
  }
  checkGates(config.minMetrics, tasks);
  return {
    config,
    tasks,
    needsJudge,
    inputs: {
      fingerprints: { model, judge, tasks: Object.fromEntries(tasks.map((t) => [t.selection.task.name, t.fingerprint])) },
      harness: harnessVersion(),
      environment: environment(),
    },
  };
}
