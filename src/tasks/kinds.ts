import type { HarnessConfig } from '../config/schema.ts';
import type { TaskDocuments } from '../core/doc.ts';
import type { Sample, TaskKindRunner } from '../core/task-kind.ts';
import type { ModelBackend } from '../models/backend.ts';
import { describeSandbox } from '../sandbox/executor.ts';
import { codeKind } from './code/kind.ts';
import { generativeKind } from './generative/kind.ts';
import { sandboxFingerprint, sandboxOptions } from './code/sandbox.ts';
import { loadTaskDocuments, promptListDocuments } from './documents.ts';
import { effectiveGeneration } from './generation.ts';
import { multipleChoiceKind } from './multiple-choice/kind.ts';
import { REFUSAL_METRICS } from './refusal/metrics.ts';
import { probeKey, refusalKind } from './refusal/kind.ts';
import { stratifiedProbeSubset } from './refusal/sampling.ts';
import type { TaskSelection } from './registry.ts';
import type { TaskFile } from './schema.ts';

/** What the runner hands over to prepare a task, before any model is loaded. */
export interface KindEnvironment {
  config: HarnessConfig;
  /** Where hub datasets are cached. */
  cacheDir: string;
  warn(message: string): void;
}

/** The loaded models a task runs with. */
export interface TaskModels {
  model: ModelBackend;
  /** The judge model for refusal tasks (config.judge), loaded by the runner. */
  judge?: { backend: ModelBackend; id: string };
}

/**
 * A task made ready before the model loads: its documents are read (every dataset error shows here), its inputs
 * can be fingerprinted and its metric names checked against the run's gates; `start` puts the kind to work once
 * the model is loaded.
 */
export interface PreparedTask {
  documents: TaskDocuments;
  /** Hashed into the run's fingerprint (`template_sha256`): what shapes the prompts and programs. */
  templates: unknown;
  /** What else the task's results depend on (code: the sandbox and interpreter), snake_case, for the fingerprint. */
  environment: Record<string, unknown>;
  /** The metrics `results.<task>.metrics` will hold (`--min-metric` gates are checked against them up front). */
  metrics: string[];
  start(models: TaskModels): TaskKindRunner<Sample>;
}

/**
 * The task kinds, by the `kind` field of a task file. Each kind receives its own settings, taken here from the
 * run's config, never the config itself.
 */
export async function prepareTask(selection: TaskSelection, env: KindEnvironment): Promise<PreparedTask> {
  const { config, warn } = env;
  const task: TaskFile = selection.task;
  const common = { dataDir: config.dataDir, cacheDir: env.cacheDir, subsets: selection.subsets, limit: config.limit, seed: config.seed };
  const generative = { seed: config.seed, logPrompts: config.logPrompts, promptMode: config.model.promptMode, generation: config.generation, systemPrompt: config.generation.systemPrompt };
  const runner = <S extends Sample>(r: TaskKindRunner<S>) => r as unknown as TaskKindRunner<Sample>;
  switch (task.kind) {
    case 'multiple_choice': {
      const numFewshot = config.numFewshot ?? task.fewshot?.count ?? 0;
      const documents = await loadTaskDocuments(task, { ...common, needFewshot: numFewshot > 0 });
      return {
        documents,
        templates: task.prompt,
        environment: {},
        metrics: [...task.metrics],
        start: ({ model }) => runner(multipleChoiceKind(task, { documents, model, warn, settings: { numFewshot, logPrompts: config.logPrompts } })),
      };
    }
    case 'generative': {
      const numFewshot = config.numFewshot ?? task.fewshot?.count ?? 0;
      const documents = await loadTaskDocuments(task, { ...common, needFewshot: numFewshot > 0 && !task.fewshot?.samples });
      const n = effectiveGeneration(task.generation, config.generation).n;
      return {
        documents,
        templates: { prompt: task.prompt, fewshot: task.fewshot, target: task.target, stop: task.stop, answers: task.answers, normalize: task.normalize },
        environment: {},
        // Exact match per extractor, and its majority vote over n > 1 samples (as aggregateGenerative names them).
        metrics: task.answers
          .map((e) => e.metric ?? `exact_match,${e.name}`)
          .flatMap((m) => [m, ...(n > 1 ? [`maj@${n}${m.includes(',') ? m.slice(m.indexOf(',')) : ''}`] : [])]),
        start: ({ model }) => runner(generativeKind(task, { documents, model, warn, settings: { ...generative, numFewshot } })),
      };
    }
    case 'code': {
      const documents = await loadTaskDocuments(task, { ...common, needFewshot: false });
      // Detecting the sandbox checks Python too: a missing interpreter is an error before the model loads.
      const sandbox = await describeSandbox(sandboxOptions(config.sandbox, task));
      const n = effectiveGeneration(task.generation, config.generation).n;
      return {
        documents,
        templates: { prompt: task.prompt, program: task.program, stop: task.stop },
        environment: { sandbox: sandboxFingerprint(sandbox) },
        metrics: task.k.filter((k) => k <= n).map((k) => `pass@${k}`),
        start: ({ model }) => runner(codeKind(task, { documents, model, warn, settings: { ...generative, sandbox: config.sandbox } })),
      };
    }
    case 'refusal': {
      // All probes, then --limit as a subset stratified by kind x language that keeps pairs together.
      const all = config.probes ? promptListDocuments(config.probes) : await loadTaskDocuments(task, { ...common, limit: undefined, needFewshot: false });
      const documents = { ...all, docs: stratifiedProbeSubset(all.docs, config.limit, config.seed, task.name, (d) => probeKey(task, d)) };
      return {
        documents,
        templates: { plainTemplate: task.plainTemplate, systemPrompt: task.systemPrompt },
        environment: {},
        metrics: [...REFUSAL_METRICS],
        start: ({ model, judge }) => runner(refusalKind(task, { documents, model, warn, settings: { ...generative, judge } })),
      };
    }
  }
}
