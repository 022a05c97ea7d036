import { resolve } from 'node:path';
import { loadConfigFile, resolveConfig, type ConfigOverrides } from '../../config/load.ts';
import { ExitCode, HarnessError } from '../../core/errors.ts';
import { configOfRun } from '../../results/config-record.ts';
import { failedGates, summaryTable, timingLine } from '../../results/summary.ts';
import { createProgress } from '../../runner/progress.ts';
import { resumeEvaluation, runEvaluation, type RunOutcome } from '../../runner/run.ts';
import type { RunFlags } from '../commands/run.ts';

/** The config a `run` command line asks for: flags over the config file over defaults. */
async function configFromFlags(flags: RunFlags) {
  const { file, config: fileConfig } = await loadConfigFile(flags.config);
  const overrides: ConfigOverrides = {
    model: {
      id: flags.model,
      dtype: flags.dtype,
      device: flags.device,
      batchSize: flags.batchSize,
      threads: flags.threads,
      addBosToken: flags.addBos,
      prefixCache: flags.prefixCache === false ? false : undefined,
      maxLength: flags.maxLength,
      promptMode: flags.promptMode,
    },
    tasks: flags.tasks ? flags.tasks.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    taskDirs: flags.taskDir,
    numFewshot: flags.numFewshot,
    limit: flags.limit,
    seed: flags.seed,
    dataDir: flags.dataDir,
    output: flags.output,
    logPrompts: flags.logPrompts === false ? false : undefined,
    cache: flags.cache,
    progress: flags.progress,
    minMetrics: flags.minMetric ? Object.fromEntries(flags.minMetric.map((g) => [g.split('=')[0], Number(g.split('=')[1])])) : undefined,
  };
  const generation = {
    n: flags.n,
    temperature: flags.temperature,
    maxNewTokens: flags.maxNewTokens,
    systemPrompt: flags.systemPrompt,
    repetitionPenalty: flags.repetitionPenalty,
    modelGenerationConfig: flags.modelGenerationConfig,
    reasoningBudget: flags.reasoningBudget,
  };
  if (Object.values(generation).some((v) => v !== undefined)) {
    overrides.generation = { ...(fileConfig.generation ?? {}), ...Object.fromEntries(Object.entries(generation).filter(([, v]) => v !== undefined)) };
  }
  if (flags.judgeModel) overrides.judge = { id: flags.judgeModel };
  if ((flags.probeKind || flags.controlProbes) && !flags.probes) {
    throw new HarnessError(`${flags.probeKind ? '--probe-kind' : '--control-probes'} needs --probes <file>`, { where: 'run', fix: 'give your prompt list with --probes <file>' });
  }
  if (flags.probes) {
    const { promptField, idField, topicField, languageField, kindField, styleField } = flags;
    overrides.probes = { file: flags.probes, promptField, idField, topicField, languageField, kindField, styleField, kind: flags.probeKind, controlFile: flags.controlProbes };
  }
  if (flags.timeout !== undefined) overrides.sandbox = { ...(fileConfig.sandbox ?? {}), timeoutSeconds: flags.timeout };
  return resolveConfig(fileConfig, overrides, file ?? 'command-line flags');
}

export async function runAction(flags: RunFlags): Promise<void> {
  let outcome: RunOutcome;
  if (flags.resume) {
    const progress = flags.progress ? createProgress(flags.progress) : undefined;
    outcome = await resumeEvaluation(flags.resume, { allowChanges: flags.allowChanges, handleSignals: true, progress });
    if (outcome.alreadyComplete) process.stdout.write(`run ${outcome.runDir} is already complete: nothing to resume\n`);
  } else {
    outcome = await runEvaluation(await configFromFlags(flags), { handleSignals: true });
  }
  const { record, runDir } = outcome;
  process.stdout.write('\n' + summaryTable(record) + '\n');
  if (record.timings) process.stdout.write('\n' + timingLine(record.timings) + '\n');
  const failed = failedGates(record, configOfRun(record, `${resolve(runDir)}/run.json`).minMetrics);
  if (failed.length > 0) {
    process.stderr.write(`regression: ${failed.join('; ')}\n`);
    process.exitCode = ExitCode.regression;
  }
}
