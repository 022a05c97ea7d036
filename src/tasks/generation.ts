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
  text: string;
  generatedTokens: number;
  promptTokens: number;
  finishReason: GenerationResult['finishReason'];
  decodeTokensPerSecond: number | null;
}

/** `n` generations of one prompt (greedy when temperature is 0: one generation stands for all n). */
export async function generateN(
  model: ModelBackend,
  prompt: string,
  opts: Omit<GenerationOptions, 'seed'> & { n: number; runSeed: number; docId: string },
): Promise<GeneratedSample[] | { skipped: string }> {
  const greedy = (opts.temperature ?? 0) === 0;
  const out: GeneratedSample[] = [];
  try {
    for (let i = 0; i < opts.n; i++) {
      if (greedy && i > 0) {
        out.push({ ...out[0], index: i });
        continue;
      }
      const seed = greedy ? null : sampleSeed(opts.runSeed, opts.docId, i);
      const r = await model.generate(prompt, { ...opts, seed: seed ?? undefined });
      out.push({
        index: i,
        seed,
        text: r.text,
        generatedTokens: r.generatedTokens,
        promptTokens: r.promptTokens,
        finishReason: r.finishReason,
        decodeTokensPerSecond: r.decodeSeconds > 0 ? r.generatedTokens / r.decodeSeconds : null,
      });
    }
  } catch (err) {
    if (err instanceof PromptTooLongError) return { skipped: err.message };
    throw err;
  }
  return out;
}

/** A chat prompt through the model's template, with an optional system message. */
export function chatPrompt(model: ModelBackend, user: string, system?: string): string {
  const messages: ChatMessage[] = system ? [{ role: 'system', content: system }, { role: 'user', content: user }] : [{ role: 'user', content: user }];
  return model.applyChatTemplate(messages);
}

export interface GenerationSettings {
  maxNewTokens: number;
  n: number;
  temperature: number;
  topP: number;
  topK: number;
}

/** The run's generation settings (config `generation`, flags over it): each one left out keeps the task's. */
export type GenerationOverrides = Partial<GenerationSettings>;

/** A task's generation defaults with the run's generation settings over them. */
export function effectiveGeneration(task: GenerationSettings, overrides: GenerationOverrides): GenerationSettings {
  const set = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...task, ...set };
}
