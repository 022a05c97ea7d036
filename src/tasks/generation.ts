import type { ChatMessage, GenerationOptions, GenerationResult, ModelBackend } from '../models/backend.ts';
import { PromptTooLongError } from '../models/backend.ts';
import { sha256 } from '../core/hash.ts';

/** How a generative task talks to the model. */
export type PromptMode = 'completion' | 'chat';

/** The run's choice: `auto` picks chat when the model has a chat template, completion otherwise. */
export type PromptModeSetting = 'auto' | PromptMode;

export function resolvePromptMode(setting: PromptModeSetting, model: ModelBackend): PromptMode {
  if (setting === 'auto') return model.hasChatTemplate ? 'chat' : 'completion';
  return setting;
}

/**
 * The seed of one sample, derived from the run seed, the document and the sample's index: the same sample
 * gets the same seed whatever order, chunking or resume it is generated in.
 */
export function sampleSeed(runSeed: number, docId: string, index: number): number {
  return Number.parseInt(sha256(`${runSeed}\u0000${docId}\u0000${index}`).slice(0, 8), 16);
}

export interface GeneratedSample {
  index: number;
  seed: number | null;
  /** The output (for a budget-forced reasoning run: thinking, the closing text, then the answer). */
  text: string;
  generatedTokens: number;
  promptTokens: number;
  finishReason: GenerationResult['finishReason'];
  decodeTokensPerSecond: number | null;
  /** New tokens allowed: max_new_tokens, or less where the model's context left less room. */
  maxNewTokens: number;
  /** The reasoning budget ran out and the think block was closed for the model. */
  budgetForced: boolean;
  /** Reasoning the backend returned apart from the text. */
  reasoning?: string;
  /** Decoding settings the backend reported. */
  settings?: Record<string, unknown>;
}

/** Where a generation setting's value came from. */
export type SettingSource = 'task' | 'run' | 'harness default';

/** A task's generation settings with the run's over them; the harness decides what both leave unset. */
export interface GenerationSettings {
  maxNewTokens: number;
  n: number;
  temperature: number;
  topP: number;
  topK: number;
  repetitionPenalty?: number;
  modelGenerationConfig?: 'apply' | 'ignore';
  reasoningBudget?: number;
}

/** The run's generation settings (config `generation`, flags over it): each one left out keeps the task's. */
export type GenerationOverrides = Partial<GenerationSettings>;

/**
 * The harness's choice where neither task nor run says: the model's generation_config.json is ignored. Reference
 * implementations decode exactly what they ask for (vLLM's SamplingParams, which TIGER-Lab's MMLU-Pro and
 * lm-evaluation-harness's vLLM backend use, start from no repetition penalty), and a penalty changes answers: it
 * pushes a greedy GSM8K solution away from every number the question already contains.
 */
export const DEFAULT_MODEL_GENERATION_CONFIG = 'ignore' as const;

export interface ResolvedGeneration {
  settings: GenerationSettings & { modelGenerationConfig: 'apply' | 'ignore' };
  sources: Record<keyof GenerationSettings, SettingSource>;
}

/** A task's generation defaults with the run's generation settings over them, and where each value came from. */
export function resolveGeneration(task: GenerationSettings, overrides: GenerationOverrides): ResolvedGeneration {
  const keys: (keyof GenerationSettings)[] = ['maxNewTokens', 'n', 'temperature', 'topP', 'topK', 'repetitionPenalty', 'modelGenerationConfig', 'reasoningBudget'];
  const settings: Record<string, unknown> = {};
  const sources = {} as Record<keyof GenerationSettings, SettingSource>;
  for (const k of keys) {
    if (overrides[k] !== undefined) [settings[k], sources[k]] = [overrides[k], 'run'];
    else if (task[k] !== undefined) [settings[k], sources[k]] = [task[k], 'task'];
    else sources[k] = 'harness default';
  }
  settings.modelGenerationConfig ??= DEFAULT_MODEL_GENERATION_CONFIG;
  return { settings: settings as unknown as ResolvedGeneration['settings'], sources };
}

/** A task's generation defaults with the run's generation settings over them. */
export function effectiveGeneration(task: GenerationSettings, overrides: GenerationOverrides): ResolvedGeneration['settings'] {
  return resolveGeneration(task, overrides).settings;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The generation record of a task in run.json (`tasks.<name>.extra.generation`): every setting in force with its
 * source (task file, run = harness.config.ts or a flag, harness default, model = the model's generation_config.json),
 * the model's own decoding defaults and whether they were applied, and the decoding settings the backend reported.
 */
export function describeGeneration(
  model: ModelBackend,
  resolved: ResolvedGeneration,
  extra: { stop: string[]; stopSource?: SettingSource; reported?: Record<string, unknown> },
): Record<string, unknown> {
  const { settings, sources } = resolved;
  const values: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) {
    values[snake(k)] = v ?? null;
    from[snake(k)] = sources[k as keyof GenerationSettings];
  }
  values.stop = extra.stop;
  from.stop = extra.stopSource ?? 'task';
  values.do_sample = settings.temperature > 0;
  from.do_sample = 'temperature';
  const defaults = model.generationDefaults;
  const apply = settings.modelGenerationConfig === 'apply';
  if (settings.repetitionPenalty === undefined) {
    const fromModel = apply && defaults.repetition_penalty !== undefined;
    values.repetition_penalty = fromModel ? defaults.repetition_penalty : 1;
    from.repetition_penalty = fromModel ? 'model' : 'harness default';
  }
  // Under `apply`, the model's settings that the call does not set itself act too.
  const own = new Set(['do_sample', 'temperature', 'top_k', 'top_p', 'repetition_penalty', 'num_beams']);
  const applied = apply ? Object.fromEntries(Object.entries(defaults).filter(([k]) => !own.has(k) || (k === 'repetition_penalty' && from.repetition_penalty === 'model'))) : {};
  for (const [k, v] of Object.entries(applied)) {
    values[k] = v;
    from[k] = 'model';
  }
  return {
    settings: values,
    sources: from,
    model_generation_config: { policy: settings.modelGenerationConfig, values: defaults, applied: Object.keys(applied) },
    backend: extra.reported ?? null,
  };
}

/** Text that closes a think block whose reasoning budget ran out (as budget forcing does it), before the answer. */
export const BUDGET_CLOSE = '\n</think>\n\n';

/** True when the prompt leaves a `<think>` open: the chat template starts the model's reasoning for it. */
export function promptOpensThink(prompt: string): boolean {
  const open = prompt.lastIndexOf('<think>');
  return open >= 0 && !prompt.includes('</think>', open);
}

export interface GenerateOptions extends Omit<GenerationOptions, 'seed'> {
  n: number;
  runSeed: number;
  docId: string;
  /** Tokens of thinking allowed before the think block is closed for the model (see generateOne). */
  reasoningBudget?: number;
}

/**
 * One generation. With a reasoning budget, a prompt that opens a think block is answered in two steps: thinking
 * until `</think>` or the budget, then (the block closed with BUDGET_CLOSE if the budget ran out) the answer with
 * the remaining tokens and the task's stop sequences. A model that stops while thinking has no answer.
 */
async function generateOne(model: ModelBackend, prompt: string, opts: GenerationOptions & { reasoningBudget?: number }): Promise<{ r: GenerationResult; maxNewTokens: number; budgetForced: boolean }> {
  const room = (p: string) => Math.max(0, model.maxLength - model.tokenize(p).length);
  const budget = opts.reasoningBudget;
  if (budget === undefined || budget >= opts.maxNewTokens || !promptOpensThink(prompt)) {
    return { r: await model.generate(prompt, opts), maxNewTokens: Math.min(opts.maxNewTokens, room(prompt)), budgetForced: false };
  }
  const think = await model.generate(prompt, { ...opts, maxNewTokens: budget, stop: ['</think>'] });
  const maxNewTokens = Math.min(opts.maxNewTokens, room(prompt));
  if (think.finishReason === 'eos' || think.generatedTokens >= maxNewTokens) return { r: think, maxNewTokens, budgetForced: false };
  const budgetForced = think.finishReason === 'length';
  const thought = think.text + (budgetForced ? BUDGET_CLOSE : '</think>');
  const left = maxNewTokens - think.generatedTokens;
  const answer = await model.generate(prompt + thought, { ...opts, maxNewTokens: left });
  return {
    r: {
      ...answer,
      text: thought + answer.text,
      generatedTokens: think.generatedTokens + answer.generatedTokens,
      promptTokens: think.promptTokens,
      prefillSeconds: think.prefillSeconds + answer.prefillSeconds,
      decodeSeconds: think.decodeSeconds + answer.decodeSeconds,
    },
    maxNewTokens,
    budgetForced,
  };
}

/** `n` generations of one prompt (greedy when temperature is 0: one generation stands for all n). */
export async function generateN(model: ModelBackend, prompt: string, opts: GenerateOptions): Promise<GeneratedSample[] | { skipped: string }> {
  const greedy = (opts.temperature ?? 0) === 0;
  const { n, runSeed, docId, ...rest } = opts;
  const out: GeneratedSample[] = [];
  try {
    for (let i = 0; i < n; i++) {
      if (greedy && i > 0) {
        out.push({ ...out[0]!, index: i });
        continue;
      }
      const seed = greedy ? null : sampleSeed(runSeed, docId, i);
      const { r, maxNewTokens, budgetForced } = await generateOne(model, prompt, { ...rest, seed: seed ?? undefined });
      out.push({
        index: i,
        seed,
        text: r.text,
        generatedTokens: r.generatedTokens,
        promptTokens: r.promptTokens,
        finishReason: r.finishReason,
        decodeTokensPerSecond: r.decodeSeconds > 0 ? r.generatedTokens / r.decodeSeconds : null,
        maxNewTokens,
        budgetForced,
        ...(r.reasoning !== undefined ? { reasoning: r.reasoning } : {}),
        ...(r.settings ? { settings: r.settings } : {}),
      });
    }
  } catch (err) {
    if (err instanceof PromptTooLongError) return { skipped: err.message };
    throw err;
  }
  return out;
}

/** The options every generative kind passes to generateN for its settings. */
export function generationOptions(settings: ResolvedGeneration['settings']): Pick<GenerateOptions, 'maxNewTokens' | 'temperature' | 'topP' | 'topK' | 'repetitionPenalty' | 'modelGenerationConfig' | 'reasoningBudget'> {
  return {
    maxNewTokens: settings.maxNewTokens,
    temperature: settings.temperature,
    topP: settings.topP,
    topK: settings.topK,
    modelGenerationConfig: settings.modelGenerationConfig,
    ...(settings.repetitionPenalty !== undefined ? { repetitionPenalty: settings.repetitionPenalty } : {}),
    ...(settings.reasoningBudget !== undefined ? { reasoningBudget: settings.reasoningBudget } : {}),
  };
}

/** A chat prompt through the model's template, with an optional system message. */
export function chatPrompt(model: ModelBackend, user: string, system?: string): string {
  const messages: ChatMessage[] = system ? [{ role: 'system', content: system }, { role: 'user', content: user }] : [{ role: 'user', content: user }];
  return model.applyChatTemplate(messages);
}
