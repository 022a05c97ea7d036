import { basename, dirname, join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  cat,
  DynamicCache,
  env,
  GenerationConfig,
  log_softmax,
  random,
  StoppingCriteria,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import {
  emptyStats,
  PromptTooLongError,
  type BackendStats,
  type ChatMessage,
  type GenerationOptions,
  type GenerationResult,
  type LoglikelihoodRequest,
  type LoglikelihoodResult,
  type ModelBackend,
  type ModelRecord,
} from '../backend.ts';
import { assertDeviceAvailable } from './devices.ts';
import type { Dtype } from './dtypes.ts';
import { resolveModel, type ResolvedModel } from './resolve.ts';
import { firstStopIndex } from '../../core/stops.ts';
import { groupIntoHosts, orderHosts, planBatches, sharedPrefixLength } from './loglikelihood-plan.ts';
import { HarnessError } from '../../core/errors.ts';

export interface OnnxBackendOptions {
  model: string;
  dtype: Dtype;
  device: string;
  /** Sequences per forward pass for log-likelihood requests. */
  batchSize: number;
  /** Cap on padded tokens per forward pass (batch size x longest sequence). */
  maxBatchTokens: number;
  /** Prepend BOS when tokenizing; lm-evaluation-harness's default for causal LMs is false. */
  addBosToken: boolean;
  /**
   * Compute a prefix shared by a whole batch (an MMLU subject's description and few-shot examples) once, and
   * run only the rest of each sequence on its key/value cache. Default on.
   */
  prefixCache?: boolean;
  /** Override of the context length read from config.json. */
  maxLength?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's own choice, all cores). */
  threads?: number;
  /** Where hub downloads are cached. */
  cacheDir?: string;
}

interface Encoded {
  /** Tokens fed to the model: (context + continuation)[-(maxLength+1):][:-1]. */
  input: number[];
  /** Continuation tokens scored at the last `cont.length` positions of `input`'s logits. */
  cont: number[];
  contextTokens: number;
}

/**
 * Stops generation once the decoded new text contains a stop sequence; also times the first step. Earlier steps
 * checked the older tokens, so each step decodes only the newest few: a stop of n characters ends within the last
 * n tokens (plus slack). The text is cut at the first stop over the whole output afterwards, so a stop this
 * check missed would only cost generation time, never change the result.
 */
class StopSequenceCriteria extends StoppingCriteria {
  firstStepAt: number | null = null;
  private readonly window: number;
  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly promptLength: number,
    private readonly stops: string[],
    /** Called once per new token (live progress counters). */
    private readonly onToken: () => void = () => {},
  ) {
    super();
    this.window = Math.max(0, ...stops.map((s) => s.length)) + 2;
  }
  _call(input_ids: number[][]): boolean[] {
    this.firstStepAt ??= performance.now();
    this.onToken();
    if (this.stops.length === 0) return input_ids.map(() => false);
    return input_ids.map((ids) => {
      const from = Math.max(this.promptLength, ids.length - this.window);
      const text = this.tokenizer.decode(ids.slice(from).map((t) => Number(t)), { skip_special_tokens: true });
      return this.stops.some((s) => text.includes(s));
    });
  }
}

/** The model backend on transformers.js (tokenizer, chat template, generation) and onnxruntime-node (sessions). */
export class OnnxBackend implements ModelBackend {
  readonly stats: BackendStats = emptyStats();

  private constructor(
    readonly record: ModelRecord,
    readonly loadSeconds: number,
    readonly maxLength: number,
    private readonly model: PreTrainedModel,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly opts: OnnxBackendOptions,
    private readonly eosIds: number[],
    private readonly padId: number,
    private readonly prefixId: number,
    readonly generationDefaults: Record<string, unknown>,
  ) {}

  get hasChatTemplate(): boolean {
    return this.record.has_chat_template;
  }

  static async load(opts: OnnxBackendOptions): Promise<OnnxBackend> {
    const device = assertDeviceAvailable(opts.device);
    const resolved = await resolveModel(opts.model, opts.dtype);
    const t0 = performance.now();
    const { pretrainedName } = configureEnv(resolved, opts);
    let tokenizer: PreTrainedTokenizer;
    let model: PreTrainedModel;
    try {
      tokenizer = await AutoTokenizer.from_pretrained(pretrainedName);
      model = await AutoModelForCausalLM.from_pretrained(pretrainedName, {
        dtype: opts.dtype,
        device,
        session_options: opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : undefined,
      });
    } catch (err) {
      throw new HarnessError(`could not load model ${opts.model} (dtype ${opts.dtype}, device ${device}): ${(err as Error).message}`, {
        where: resolved.location,
        fix: 'check that the folder is a transformers.js export of a causal LM and that the dtype and device are supported by it',
        cause: err,
      });
    }
    const loadSeconds = (performance.now() - t0) / 1000;

    const config = model.config as unknown as Record<string, unknown>;
    const contextLength =
      opts.maxLength ??
      (config.max_position_embeddings as number | undefined) ??
      (config.n_positions as number | undefined) ??
      (Number.isFinite(tokenizer.model_max_length) ? tokenizer.model_max_length : 2048);
    const genConfig = (model as unknown as { generation_config?: Record<string, unknown> }).generation_config ?? {};
    const eos = [genConfig.eos_token_id, config.eos_token_id].find((v) => v !== undefined && v !== null);
    const eosIds = (Array.isArray(eos) ? eos : eos === undefined ? [] : [eos]).map(Number);
    const bos = (config.bos_token_id as number | undefined) ?? eosIds[0] ?? 0;
    const padId = (config.pad_token_id as number | undefined) ?? eosIds[0] ?? 0;

    const record: ModelRecord = {
      backend: 'onnx',
      name: resolved.source === 'local' ? basename(resolved.location) : resolved.location,
      // Hub downloads land in transformers.js's file cache as <cacheDir>/<model id>/<file>.
      path: resolved.source === 'local' ? resolved.location : join(env.cacheDir ?? '', resolved.location),
      source: resolved.source,
      dtype: opts.dtype,
      device,
      model_type: String(config.model_type ?? 'unknown'),
      context_length: contextLength,
      has_chat_template: tokenizer.chat_template != null,
      batching: DYNAMIC_QUANT_DTYPES.has(opts.dtype)
        ? 'per-sequence (dynamically quantized weights: results would depend on batch composition)'
        : `batches of up to ${opts.batchSize}${opts.prefixCache === false ? '' : ', shared prefixes computed once'}`,
    };
    // lm-evaluation-harness scores an empty context after the tokenizer's end-of-text token (prefix_token_id).
    const prefixId = (tokenizer as unknown as { eos_token_id?: number }).eos_token_id ?? eosIds[0] ?? bos;
    return new OnnxBackend(record, loadSeconds, contextLength, model, tokenizer, opts, eosIds, padId, prefixId, decodingDefaults(genConfig));
  }

  /**
   * Encodings of recent strings: fitting few-shot prompts and scoring choices encode the same long contexts
   * several times, and tokenizing costs more than the forward pass on small models.
   */
  private readonly encodeCache = new Map<string, number[]>();

  tokenize(text: string, opts: { addSpecialTokens?: boolean } = {}): number[] {
    const special = opts.addSpecialTokens ?? this.opts.addBosToken;
    const key = `${special ? 1 : 0}${text}`;
    const hit = this.encodeCache.get(key);
    if (hit) return hit;
    const ids = this.tokenizer.encode(text, { add_special_tokens: special });
    if (this.encodeCache.size >= 2048) this.encodeCache.clear();
    this.encodeCache.set(key, ids);
    return ids;
  }

  detokenize(ids: number[]): string {
    return this.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  /**
   * lm-evaluation-harness's `_encode_pair`: trailing whitespace of the context moves to the continuation,
   * the whole string is encoded once and split at the context's token length.
   */
  private encodePair(context: string, continuation: string): Encoded {
    const nSpaces = context.length - context.trimEnd().length;
    if (nSpaces > 0) {
      continuation = context.slice(-nSpaces) + continuation;
      context = context.slice(0, -nSpaces);
    }
    let ctx: number[];
    let cont: number[];
    if (context === '') {
      ctx = [this.prefixId];
      cont = this.tokenize(continuation);
    } else {
      const whole = this.tokenize(context + continuation);
      ctx = this.tokenize(context);
      cont = whole.slice(ctx.length);
      ctx = whole.slice(0, ctx.length);
    }
    if (cont.length === 0) {
      throw new HarnessError(`continuation ${JSON.stringify(continuation)} encodes to no tokens`, {
        fix: 'a multiple-choice continuation must be non-empty text',
      });
    }
    const input = [...ctx, ...cont].slice(-(this.maxLength + 1)).slice(0, -1);
    return { input, cont, contextTokens: ctx.length };
  }

  /** Token count of context + continuation as scored (for fitting prompts into the context window). */
  countTokens(context: string, continuation: string): number {
    const e = this.encodePair(context, continuation);
    return e.contextTokens + e.cont.length;
  }

  async loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]> {
    const encoded = requests.map((r) => ({ context: r.context, ...this.encodePair(r.context, r.continuation) }));
    const hosts = orderHosts(groupIntoHosts(encoded, this.perSequence), PREFIX_KEY_TOKENS);
    const results: LoglikelihoodResult[] = new Array(requests.length);
    for (const batch of planBatches(hosts, { batchSize: this.opts.batchSize, maxBatchTokens: this.opts.maxBatchTokens, perSequence: this.perSequence })) {
      const prefix = this.canReuseCache && this.opts.prefixCache !== false ? sharedPrefixLength(batch, encoded, MIN_SHARED_PREFIX) : 0;
      const logits = prefix > 0 ? await this.forwardWithPrefix(batch.map((h) => h.input), prefix) : await this.forward(batch.map((h) => h.input));
      const [, seqLen, vocab] = logits.dims as number[];
      const data = logits.data as Float32Array;
      batch.forEach((host, b) => {
        const logprobCache = new Map<number, Float32Array>();
        const rowLogprobs = (pos: number): Float32Array => {
          let lp = logprobCache.get(pos);
          if (!lp) {
            // With a shared prefix, the logits start at its end.
            const offset = (b * seqLen + pos - prefix) * vocab;
            lp = log_softmax(data.subarray(offset, offset + vocab)) as unknown as Float32Array;
            logprobCache.set(pos, lp);
          }
          return lp;
        };
        for (const i of host.members) {
          const { input, cont, contextTokens } = encoded[i];
          let logprob = 0;
          let isGreedy = true;
          cont.forEach((tok, j) => {
            const lp = rowLogprobs(input.length - cont.length + j);
            logprob += lp[tok];
            if (isGreedy && argmax(lp) !== tok) isGreedy = false;
          });
          results[i] = { logprob, isGreedy, contextTokens, continuationTokens: cont.length };
        }
      });
      logits.dispose();
    }
    return results;
  }

  /** One forward pass over right-padded sequences; returns logits [batch, longest, vocab]. */
  private async forward(seqs: number[][]): Promise<Tensor> {
    const longest = Math.max(...seqs.map((s) => s.length));
    const ids = new BigInt64Array(seqs.length * longest);
    const mask = new BigInt64Array(seqs.length * longest);
    let real = 0;
    seqs.forEach((s, b) => {
      for (let t = 0; t < longest; t++) {
        const inside = t < s.length;
        ids[b * longest + t] = BigInt(inside ? s[t] : this.padId);
        mask[b * longest + t] = inside ? 1n : 0n;
      }
      real += s.length;
    });
    const t0 = performance.now();
    const out = (await this.model({
      input_ids: new Tensor('int64', ids, [seqs.length, longest]),
      attention_mask: new Tensor('int64', mask, [seqs.length, longest]),
    })) as Record<string, Tensor>;
    this.stats.prefillSeconds += (performance.now() - t0) / 1000;
    this.stats.forwardCalls += 1;
    this.stats.prefillTokens += real;
    for (const [name, t] of Object.entries(out)) if (name !== 'logits') t.dispose?.();
    return out.logits.to('float32');
  }

  /**
   * Dynamically quantized weights (q8, int8, uint8: DynamicQuantizeLinear + MatMulInteger) scale activations by
   * the range of the whole input tensor, so a sequence's log-likelihoods change with whatever shares its pass
   * (other sequences, padding, a longer prefix host): measured on stories260K q8, up to 0.58 nats between batch 8
   * and batch 1, while fp32 agrees exactly. For these dtypes each distinct input is computed alone, which is the
   * only batch-independent answer; fp32, fp16 and weight-only q4 types keep batching and prefix reuse.
   */
  get perSequence(): boolean {
    return DYNAMIC_QUANT_DTYPES.has(this.opts.dtype);
  }

  /** The ONNX graph takes a key/value cache (decoders exported with past_key_values inputs). */
  private get canReuseCache(): boolean {
    return (this.model.sessions.model?.inputNames ?? []).some((n: string) => n.startsWith('past_key_values.'));
  }

  /**
   * One pass over a shared prefix, then one over the right-padded rest of every sequence on the prefix's
   * key/value cache (tiled over the batch with transformers.js's `cat`). Returns the logits of the rest:
   * [batch, longest rest, vocab], position p of a sequence at row p - prefix.
   */
  private async forwardWithPrefix(seqs: number[][], prefix: number): Promise<Tensor> {
    const t0 = performance.now();
    const head = seqs[0].slice(0, prefix);
    const first = (await this.model({
      input_ids: new Tensor('int64', BigInt64Array.from(head.map(BigInt)), [1, prefix]),
      attention_mask: new Tensor('int64', new BigInt64Array(prefix).fill(1n), [1, prefix]),
    })) as Record<string, Tensor>;
    first.logits.dispose();
    const entries: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(first)) {
      if (!name.startsWith('present')) continue;
      entries[name.replace('present', 'past_key_values')] = seqs.length === 1 ? t : cat(seqs.map(() => t), 0);
    }
    const rest = seqs.map((s) => s.slice(prefix));
    const longest = Math.max(...rest.map((s) => s.length));
    const ids = new BigInt64Array(seqs.length * longest);
    const mask = new BigInt64Array(seqs.length * (prefix + longest));
    rest.forEach((s, b) => {
      for (let t = 0; t < prefix; t++) mask[b * (prefix + longest) + t] = 1n;
      for (let t = 0; t < longest; t++) {
        ids[b * longest + t] = BigInt(t < s.length ? s[t] : this.padId);
        mask[b * (prefix + longest) + prefix + t] = t < s.length ? 1n : 0n;
      }
    });
    const out = (await this.model({
      input_ids: new Tensor('int64', ids, [seqs.length, longest]),
      attention_mask: new Tensor('int64', mask, [seqs.length, prefix + longest]),
      past_key_values: new DynamicCache(entries),
    })) as Record<string, Tensor>;
    this.stats.prefillSeconds += (performance.now() - t0) / 1000;
    this.stats.forwardCalls += 2;
    this.stats.prefillTokens += prefix + rest.reduce((n, s) => n + s.length, 0);
    this.stats.prefixCacheHits += 1;
    this.stats.prefixTokensSaved += prefix * (seqs.length - 1);
    for (const t of new Set([...Object.values(first), ...Object.values(entries)])) if (t !== first.logits) t.dispose?.();
    for (const [name, t] of Object.entries(out)) if (name !== 'logits') t.dispose?.();
    return out.logits.to('float32');
  }

  async generate(prompt: string, opts: GenerationOptions): Promise<GenerationResult> {
    const ids = this.tokenize(prompt);
    if (ids.length >= this.maxLength) {
      throw new PromptTooLongError(ids.length, this.maxLength);
    }
    const maxNewTokens = Math.min(opts.maxNewTokens, this.maxLength - ids.length);
    const stops = opts.stop ?? [];
    const criteria = new StopSequenceCriteria(this.tokenizer, ids.length, stops, () => (this.stats.tokensInFlight += 1));
    const sampling = (opts.temperature ?? 0) > 0;
    if (sampling) random.seed(opts.seed ?? 0);
    const decoding = this.decodingSettings(opts, sampling);
    const t0 = performance.now();
    let out: Tensor;
    try {
      out = (await this.model.generate({
        ...decoding.kwargs,
        inputs: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
        max_new_tokens: maxNewTokens,
        eos_token_id: this.eosIds,
        pad_token_id: this.padId,
        stopping_criteria: [criteria],
      } as Record<string, unknown>)) as Tensor;
    } finally {
      this.stats.tokensInFlight = 0;
    }
    const t1 = performance.now();
    const all = Array.from(out.tolist()[0] as bigint[], Number);
    let newIds = all.slice(ids.length);
    let finishReason: GenerationResult['finishReason'] = 'length';
    const eosAt = newIds.findIndex((t) => this.eosIds.includes(t));
    if (eosAt >= 0) {
      newIds = newIds.slice(0, eosAt);
      finishReason = 'eos';
    }
    let text = this.tokenizer.decode(newIds, { skip_special_tokens: true });
    const cut = firstStopIndex(text, stops);
    if (cut !== null) {
      text = text.slice(0, cut);
      finishReason = 'stop';
    }
    const generatedTokens = all.length - ids.length;
    const firstStep = criteria.firstStepAt ?? t1;
    const prefillSeconds = (firstStep - t0) / 1000;
    const decodeSeconds = (t1 - firstStep) / 1000;
    this.stats.generateCalls += 1;
    this.stats.generatedTokens += generatedTokens;
    this.stats.generationPrefillTokens += ids.length;
    this.stats.generationPrefillSeconds += prefillSeconds;
    this.stats.decodeSeconds += decodeSeconds;
    return { text, generatedTokens, promptTokens: ids.length, finishReason, prefillSeconds, decodeSeconds, settings: decoding.inForce };
  }

  /**
   * What transformers.js is asked for. It starts every call from the model's generation_config.json and lays the
   * call's own values over it, so a greedy run would silently keep, e.g., Qwen's repetition_penalty 1.1. Under
   * `ignore` (the default) every decoding setting of that file is reset to the library's neutral value; under
   * `apply` they stay. Sampling settings (do_sample, temperature, top_k, top_p) are always the call's own.
   */
  private decodingSettings(opts: GenerationOptions, sampling: boolean): { kwargs: Record<string, unknown>; inForce: Record<string, unknown> } {
    const neutral = NEUTRAL_GENERATION;
    const apply = opts.modelGenerationConfig === 'apply';
    const kwargs: Record<string, unknown> = {};
    if (!apply) for (const k of Object.keys(this.generationDefaults)) kwargs[k] = neutral[k] ?? null;
    Object.assign(kwargs, {
      do_sample: sampling,
      temperature: sampling ? opts.temperature : 1,
      top_k: sampling ? (opts.topK ?? 0) : 0,
      top_p: sampling ? (opts.topP ?? 1) : 1,
      num_beams: 1,
    });
    if (opts.repetitionPenalty !== undefined) kwargs.repetition_penalty = opts.repetitionPenalty;
    const inForce: Record<string, unknown> = {};
    for (const k of new Set([...REPORTED_SETTINGS, ...Object.keys(this.generationDefaults)])) {
      inForce[k] = k in kwargs ? kwargs[k] : apply && k in this.generationDefaults ? this.generationDefaults[k] : (neutral[k] ?? null);
    }
    // transformers.js's sampler keeps the top_k most likely tokens but has no nucleus (top_p) step.
    if (sampling && (opts.topP ?? 1) < 1) inForce.unsupported = ['top_p'];
    return { kwargs, inForce };
  }

  applyChatTemplate(messages: ChatMessage[]): string {
    if (!this.hasChatTemplate) {
      throw new HarnessError(`model ${this.record.name} has no chat template`, {
        where: 'tokenizer_config.json: chat_template',
        fix: 'use completion mode for this model (the task setting promptMode: completion)',
      });
    }
    return this.tokenizer.apply_chat_template(messages as unknown as Parameters<PreTrainedTokenizer['apply_chat_template']>[0], {
      tokenize: false,
      add_generation_prompt: true,
    }) as string;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/** transformers.js's own defaults: each setting's neutral value (repetition_penalty 1, no_repeat_ngram_size 0, ...). */
const NEUTRAL_GENERATION = new GenerationConfig({} as never) as unknown as Record<string, unknown>;

/** Settings every generation reports, whether or not the model's generation_config.json names them. */
const REPORTED_SETTINGS = ['do_sample', 'temperature', 'top_k', 'top_p', 'num_beams', 'repetition_penalty', 'no_repeat_ngram_size', 'min_new_tokens'];

/** Keys of generation_config.json that are not decoding settings: token ids, lengths (ours always win), bookkeeping. */
const NOT_DECODING = new Set(['bos_token_id', 'eos_token_id', 'pad_token_id', 'decoder_start_token_id', 'max_length', 'max_new_tokens', 'transformers_version', '_from_model_config']);

/** The decoding settings of a model's generation_config.json. */
function decodingDefaults(genConfig: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(genConfig).filter(([k]) => !NOT_DECODING.has(k)));
}

/** dtypes whose transformers.js exports quantize activations dynamically (per tensor, at run time). */
const DYNAMIC_QUANT_DTYPES = new Set<Dtype>(['q8', 'int8', 'uint8']);

/** Hosts are grouped by this many leading tokens so that batches share their few-shot prefix. */
const PREFIX_KEY_TOKENS = 32;
/** A shared prefix shorter than this is not worth a second pass. */
const MIN_SHARED_PREFIX = 32;

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** Points transformers.js at the local folder (no remote access) or at the hub (downloads into the cache). */
function configureEnv(resolved: ResolvedModel, opts: OnnxBackendOptions): { pretrainedName: string } {
  if (opts.cacheDir) env.cacheDir = opts.cacheDir;
  if (resolved.source === 'local') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = dirname(resolved.location);
    return { pretrainedName: basename(resolved.location) };
  }
  env.allowRemoteModels = true;
  // HF_ENDPOINT (a mirror, or a local test server) is honoured as huggingface_hub honours it.
  env.remoteHost = `${(process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '')}/`;
  return { pretrainedName: resolved.location };
}
