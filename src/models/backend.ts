/**
 * The model backend interface: everything a task needs from a model.
 * Tasks and the runner only talk to this; `onnx-backend.ts` implements it on transformers.js + onnxruntime.
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
}

export type { ModelRecord } from './record.ts';
import type { ModelRecord } from './record.ts';

export interface ModelBackend {
  readonly record: ModelRecord;
  /** Maximum tokens a single forward pass may hold. */
  readonly maxLength: number;
  readonly hasChatTemplate: boolean;

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
