import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BackendStats,
  ChatMessage,
  GenerationOptions,
  GenerationResult,
  LoglikelihoodRequest,
  LoglikelihoodResult,
  ModelBackend,
} from '../models/backend.ts';
import { sha256 } from '../core/hash.ts';
import { readJsonl } from '../data/jsonl.ts';
import type { ModelFingerprint } from '../results/schema.ts';

/**
 * A persistent cache of model requests (lm-evaluation-harness's --use_cache): log-likelihoods and generations
 * keyed by the model's identity (ONNX file hashes, dtype, tokenizer settings) and the exact request. A re-run
 * of the same evaluation, or another task that asks the same questions, costs no forward passes; results are
 * bit-identical to uncached ones (the JSON round trip keeps every double).
 */
export class RequestCache {
  private readonly entries = new Map<string, unknown>();
  readonly file: string;
  hits = 0;
  misses = 0;

  constructor(dir: string, modelKey: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${modelKey}.jsonl`);
    // An interrupted append leaves a partial last line: that entry is simply recomputed.
    for (const { value } of readJsonl(this.file, { missing: 'empty', tail: 'drop', bad: 'skip' })) {
      const { k, v } = value as { k: string; v: unknown };
      this.entries.set(k, v);
    }
  }

  get<T>(key: string): T | undefined {
    const v = this.entries.get(key) as T | undefined;
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  /** Stores entries in memory and appends them to the cache file in one write. */
  setMany(items: [string, unknown][]): void {
    if (items.length === 0) return;
    for (const [k, v] of items) this.entries.set(k, v);
    appendFileSync(this.file, items.map(([k, v]) => JSON.stringify({ k, v })).join('\n') + '\n');
  }
}

/**
 * What makes two model loads answer identically: the model's files (weights, config, tokenizer: the run's
 * `fingerprints.model`), dtype, device and tokenization settings.
 */
export function modelCacheKey(model: ModelBackend, fingerprint: ModelFingerprint, settings: { addBosToken: boolean; maxLength: number }): string {
  const r = model.record;
  const files = fingerprint.files.length > 0 ? fingerprint.files.map((f) => f.sha256) : [r.name];
  return sha256(JSON.stringify({ files, dtype: r.dtype, device: r.device, ...settings })).slice(0, 24);
}

/** A backend that answers from the cache and asks the wrapped backend only for what is missing. */
export class CachedBackend implements ModelBackend {
  constructor(
    private readonly inner: ModelBackend,
    readonly cache: RequestCache,
  ) {}

  get record() {
    return this.inner.record;
  }
  get loadSeconds() {
    return this.inner.loadSeconds;
  }
  get maxLength() {
    return this.inner.maxLength;
  }
  get hasChatTemplate() {
    return this.inner.hasChatTemplate;
  }
  get generationDefaults() {
    return this.inner.generationDefaults;
  }
  /** The wrapped backend's speed counters (forward passes actually run). */
  get stats(): BackendStats {
    return this.inner.stats;
  }

  tokenize(text: string, opts?: { addSpecialTokens?: boolean }): number[] {
    return this.inner.tokenize(text, opts);
  }
  detokenize(ids: number[]): string {
    return this.inner.detokenize(ids);
  }
  countTokens(context: string, continuation: string): number {
    return this.inner.countTokens(context, continuation);
  }
  applyChatTemplate(messages: ChatMessage[]): string {
    return this.inner.applyChatTemplate(messages);
  }

  async loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]> {
    const keys = requests.map((r) => sha256(`ll\u0000${r.context}\u0000${r.continuation}`));
    const results: (LoglikelihoodResult | undefined)[] = keys.map((k) => this.cache.get<LoglikelihoodResult>(k));
    const missing = results.flatMap((r, i) => (r === undefined ? [i] : []));
    if (missing.length > 0) {
      // The misses go to the model together, so they are grouped and batched as they would be uncached.
      const fresh = await this.inner.loglikelihood(missing.map((i) => requests[i]));
      missing.forEach((i, j) => (results[i] = fresh[j]));
      this.cache.setMany(missing.map((i, j) => [keys[i], fresh[j]]));
    }
    return results as LoglikelihoodResult[];
  }

  async generate(prompt: string, opts: GenerationOptions): Promise<GenerationResult> {
    const key = sha256(`gen\u0000${prompt}\u0000${JSON.stringify(opts)}`);
    const hit = this.cache.get<GenerationResult>(key);
    if (hit) return hit;
    const r = await this.inner.generate(prompt, opts);
    this.cache.setMany([[key, r]]);
    return r;
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
