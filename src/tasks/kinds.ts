import type { HarnessConfig } from '../config/schema.ts';
import type { TaskDocuments } from '../core/doc.ts';
import type { Sample, TaskKindRunner } from '../core/task-kind.ts';
import type { ModelBackend } from '../models/backend.ts';
import { codeKind } from './code/kind.ts';
import { generativeKind } from './generative/kind.ts';
import { loadTaskDocuments, promptListDocuments } from './documents.ts';
import { multipleChoiceKind } from './multiple-choice/kind.ts';
import { probeKey, refusalKind } from './refusal/kind.ts';
import { stratifiedProbeSubset } from './refusal/sampling.ts';
import type { TaskSelection } from './registry.ts';
import type { TaskFile } from './schema.ts';

/** What the runner hands over to open a task: the run's config, the model, and what it loaded besides. */
export interface KindEnvironment {
  config: HarnessConfig;
  model: ModelBackend;
  /** Where hub datasets are cached. */
  cacheDir: string;
  /** The judge model for refusal tasks (config.judge), loaded by the runner. */
  judge?: { backend: ModelBackend; id: string };
  warn(message: string): void;
}

/** A task opened for a run: its documents, its kind at work, and the prompt-shaping parts of its definition. */
export interface OpenedTask {
  documents: TaskDocuments;
  runner: TaskKindRunner<Sample>;
  /** Hashed into run.json's template_hash: what shapes the prompts and programs. */
  templates: unknown;
}

/**
 * The task kinds, by the `kind` field of a task file. Each kind receives its own settings, taken here from the
 * run's config, never the config itself.
 */
export async function openTask(selection: TaskSelection, env: KindEnvironment): Promise<OpenedTask> {
  const { config, model, warn } = env;
  const task: TaskFile = selection.task;
  const common = { dataDir: config.dataDir, cacheDir: env.cacheDir, subsets: selection.subsets, limit: config.limit, seed: config.seed };
  const generative = { seed: config.seed, logPrompts: config.logPrompts, promptMode: config.model.promptMode, generation: config.generation, systemPrompt: config.generation.systemPrompt };
  switch (task.kind) {
    case 'multiple_choice': {
      const numFewshot = config.numFewshot ?? task.fewshot?.count ?? 0;
      const documents = await loadTaskDocuments(task, { ...common, needFewshot: numFewshot > 0 });
      const runner = multipleChoiceKind(task, { documents, model, warn, settings: { numFewshot, logPrompts: config.logPrompts } });
      return { documents, runner: runner as unknown as TaskKindRunner<Sample>, templates: task.prompt };
    }
    case 'generative': {
      const numFewshot = config.numFewshot ?? task.fewshot?.count ?? 0;
      const documents = await loadTaskDocuments(task, { ...common, needFewshot: numFewshot > 0 && !task.fewshot?.samples });
      const runner = generativeKind(task, { documents, model, warn, settings: { ...generative, numFewshot } });
      return { documents, runner: runner as unknown as TaskKindRunner<Sample>, templates: { prompt: task.prompt, fewshot: task.fewshot, target: task.target, stop: task.stop, answers: task.answers, normalize: task.normalize } };
    }
    case 'code': {
      const documents = await loadTaskDocuments(task, { ...common, needFewshot: false });
      const runner = codeKind(task, { documents, model, warn, settings: { ...generative, sandbox: config.sandbox } });
      return { documents, runner: runner as unknown as TaskKindRunner<Sample>, templates: { prompt: task.prompt, program: task.program, stop: task.stop } };
    }
    case 'refusal': {
      // All probes, then --limit as a subset stratified by kind x language that keeps pairs together.
      const all = config.probes ? promptListDocuments(config.probes) : await loadTaskDocuments(task, { ...common, limit: undefined, needFewshot: false });
      const documents = { ...all, docs: stratifiedProbeSubset(all.docs, config.limit, config.seed, task.name, (d) => probeKey(task, d)) };
      const runner = refusalKind(task, { documents, model, warn, settings: { ...generative, judge: env.judge } });
      return { documents, runner: runner as unknown as TaskKindRunner<Sample>, templates: { plainTemplate: task.plainTemplate, systemPrompt: task.systemPrompt } };
    }
  }
}
