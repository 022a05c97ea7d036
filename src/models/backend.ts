/**
 * The model backend interface: everything a task needs from a model.
 * Tasks and the runner only talk to this; backends register in `registry.ts` (`onnx/` implements it on
 * transformers.js + onnxruntime).
 */

/** One log-likelihood request: score `continuation` given `context` (lm-evaluation-harness semantics). */
export interface LoglikelihoodRequest {
  context: string;
  continuation: string;
}

export interface LoglikelihoodResult {
  /** Summed natural-log probability of the continuation's tokens. */
  logprob: number;
  /** True when every continuation token is the argmax at its position (greedy continuation). */
  isGreedy: boolean;
  /** Number of tokens in context and continuation as actually scored. */
  contextTokens: number;
  continuationTokens: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerationOptions {
  maxNewTokens: number;
  /** 0 or undefined: greedy. */
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Seed for sampling; the same seed gives the same text. */
  seed?: number;
  /** Generation stops (and the text is cut) at the first occurrence of any of these. */
  stop?: string[];
  /** HF's repetition_penalty (1 = none). Unset: none, or the model's own under modelGenerationConfig 'apply'. */
  repetitionPenalty?: number;
  /**
   * The decoding settings of the model's generation_config.json (`generationDefaults`): `ignore` (the default) runs
   * with the library's neutral values for all of them; `apply` lets them act under the settings given here.
   */
  modelGenerationConfig?: 'apply' | 'ignore';
}

export interface GenerationResult {
  /** Generated text, cut before the first stop sequence. */
  text: string;
  /** Tokens generated (including any that were cut off by a stop sequence). */
  generatedTokens: number;
  promptTokens: number;
  finishReason: 'stop' | 'eos' | 'length';
  /** Seconds spent on the prompt's forward pass and on decoding. */
  prefillSeconds: number;
  decodeSeconds: number;
  /**
   * The decoding settings in force for this call, by generation_config.json names (do_sample, temperature, top_k,
   * top_p, repetition_penalty, ... and every setting of the model's own file), after the model's defaults were
   * applied or ignored. `unsupported` lists settings the backend could not honour.
   */
  settings?: Record<string, unknown>;
  /** Reasoning the backend received apart from the text (an API's reasoning_content); `text` then holds only the answer. */
  reasoning?: string;
}

export type { ModelRecord } from './record.ts';
import type { ModelRecord } from './record.ts';

/** Counters behind the speed figures of a run (run.json `timings`); every backend keeps them. */
export interface BackendStats {
  forwardCalls: number;
  /** Batches whose shared prefix was computed once and reused, and the tokens that saved. */
  prefixCacheHits: number;
  prefixTokensSaved: number;
  /** Real (unpadded) tokens pushed through log-likelihood forward passes. */
  prefillTokens: number;
  prefillSeconds: number;
  generateCalls: number;
  generatedTokens: number;
  /** Tokens generated so far by generate() calls still running (live progress; 0 between calls). */
  tokensInFlight: number;
  generationPrefillTokens: number;
  generationPrefillSeconds: number;
  decodeSeconds: number;
}

export function emptyStats(): BackendStats {
  return {
    forwardCalls: 0,
    prefixCacheHits: 0,
    prefixTokensSaved: 0,
    prefillTokens: 0,
    prefillSeconds: 0,
    generateCalls: 0,
    generatedTokens: 0,
    tokensInFlight: 0,
    generationPrefillTokens: 0,
    generationPrefillSeconds: 0,
    decodeSeconds: 0,
  };
}

/** A prompt that does not fit the model's context window: the task records the sample as skipped. */
export class PromptTooLongError extends Error {
  constructor(
    readonly promptTokens: number,
    readonly maxLength: number,
  ) {
    super(`prompt of ${promptTokens} tokens does not fit the model's ${maxLength}-token context`);
  }
}

export interface ModelBackend {
  readonly record: ModelRecord;
  /** Seconds it took to load (timings.load_seconds). */
  readonly loadSeconds: number;
  /** Speed counters since the backend was loaded. */
  readonly stats: BackendStats;
  /** Maximum tokens a single forward pass may hold. */
  readonly maxLength: number;
  readonly hasChatTemplate: boolean;
  /**
   * The decoding settings of the model's own generation_config.json (repetition_penalty, temperature, top_p, ...;
   * token ids and lengths left out): what `modelGenerationConfig: 'apply'` would let act. Empty when it has none.
   */
  readonly generationDefaults: Record<string, unknown>;

  tokenize(text: string, opts?: { addSpecialTokens?: boolean }): number[];
  detokenize(ids: number[]): string;

  /** Tokens of context + continuation as `loglikelihood` would score them (to fit prompts into the context). */
  countTokens(context: string, continuation: string): number;

  /** Log-likelihoods of many requests; batching and shared-context grouping happen inside. Order is preserved. */
  loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]>;

  /** Generate from a raw prompt (completion mode). */
  generate(prompt: string, opts: GenerationOptions): Promise<GenerationResult>;

  /** Render chat messages with the model's own chat template (throws if it has none). */
  applyChatTemplate(messages: ChatMessage[]): string;

  dispose(): Promise<void>;
}
