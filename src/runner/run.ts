import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ModelConfigSchema, type HarnessConfig, type ModelConfig } from '../config/schema.ts';
import type { ModelBackend } from '../models/backend.ts';
import { OnnxBackend, type BackendStats } from '../models/onnx-backend.ts';
import type { Dtype } from '../models/dtypes.ts';
import { appendSamples, readSamples, samplesFile, toJson, writeRunRecord } from '../results/files.ts';
import type { RunRecord, TaskRecord, TaskResult } from '../results/schema.ts';
import { documentsFor } from '../tasks/documents.ts';
import { loadRegistry, selectTasks, type TaskSelection } from '../tasks/registry.ts';
import { sha256 } from '../util/hash.ts';
import { environment, harnessVersion, peakRssBytes } from './environment.ts';
import { createKind } from './kinds.ts';
import { CachedBackend, modelCacheKey, RequestCache } from './request-cache.ts';
import { createProgress, type Progress } from './progress.ts';
import type { Sample } from './task-kind.ts';

export interface RunOptions {
  /** An existing run folder to finish (its run.json's config is used). */
  resumeRecord?: RunRecord;
  resumeDir?: string;
  /** Injected backend (tests); by default the ONNX backend is loaded from the config. */
  model?: ModelBackend;
  /** Stop after this many chunks (tests of interrupted runs). */
  stopAfterChunks?: number;
  progress?: Progress;
  out?: (line: string) => void;
}

export interface RunOutcome {
  runDir: string;
  record: RunRecord;
}

/** Where transformers.js caches hub downloads and the harness caches hub datasets. */
export function cacheDir(): string {
  return resolve(process.env.HARNESS_CACHE_DIR ?? join(process.env.HOME ?? '.', '.cache', 'local-llm-harness'));
}

function newRunId(config: HarnessConfig): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const model = basename(config.model.id).replace(/[^A-Za-z0-9_.-]/g, '_');
  const salt = sha256(`${stamp}${process.pid}${Math.random()}`).slice(0, 6);
  return `${stamp}-${model}-${salt}`;
}

/** Loads a model as a config's model section describes it (the evaluated model, or the judge). */
export async function loadModel(model: ModelConfig): Promise<OnnxBackend> {
  return OnnxBackend.load({
    model: model.id,
    dtype: model.dtype as Dtype,
    device: model.device,
    batchSize: model.batchSize,
    maxBatchTokens: model.maxBatchTokens,
    addBosToken: model.addBosToken,
    prefixCache: model.prefixCache,
    maxLength: model.maxLength,
    threads: model.threads,
    cacheDir: join(cacheDir(), 'models'),
  });
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * Runs (or resumes) an evaluation: plans each task's documents, scores them in chunks that are flushed to the
 * samples file as they finish, aggregates metrics and writes run.json. Scoring order and chunking are a function
 * of the config alone, so a resumed run scores exactly the same batches as an uninterrupted one.
 */
export async function runEvaluation(config: HarnessConfig, opts: RunOptions = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const out = opts.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const progress = opts.progress ?? createProgress(config.progress);
  const registry = loadRegistry(config.taskDirs);
  const selections = selectTasks(config.tasks, registry);

  const runDir = opts.resumeDir ?? join(resolve(config.output), newRunId(config));
  mkdirSync(runDir, { recursive: true });
  const loaded = opts.model ?? (await loadModel(config.model));
  const model = config.cache
    ? new CachedBackend(loaded, new RequestCache(resolve(config.cache), modelCacheKey(loaded, { addBosToken: config.model.addBosToken, maxLength: loaded.maxLength })))
    : loaded;
  const stats = (model as { stats?: BackendStats }).stats;
  const statsAtStart = stats ? { ...stats } : undefined;
  const needsJudge = config.judge !== undefined && selections.some((s) => s.task.kind === 'refusal');
  // The judge loads with its own settings (defaults for what its section leaves out), not the evaluated model's.
  const judge = needsJudge ? { backend: await loadModel(ModelConfigSchema.parse(config.judge)), id: config.judge!.id } : undefined;

  const record: RunRecord = opts.resumeRecord
    ? { ...opts.resumeRecord, status: 'running', resumed: opts.resumeRecord.resumed + 1, model: model.record }
    : {
        schema_version: 1,
        run_id: basename(runDir),
        status: 'running',
        started_at: new Date().toISOString(),
        finished_at: null,
        harness: harnessVersion(),
        config,
        seed: config.seed,
        model: model.record,
        tasks: {},
        environment: environment(),
        results: {},
        timings: null,
        resumed: 0,
      };
  writeRunRecord(runDir, record);

  let requests = 0;
  let chunksDone = 0;
  let interrupted = false;
  for (const selection of selections) {
    const name = selection.task.name;
    const documents = await documentsFor(selection, config, cacheDir());
    const kind = createKind(selection, { selection, documents, config, model, judge, warn: (m) => progress.log(`warning: ${m}`) });
    await kind.prepare?.();

    const file = samplesFile(runDir, name);
    const chunks = chunk(documents.docs, config.chunkSize ?? kind.chunkSize);
    const existing = new Map(readSamples<Sample>(file).map((s) => [s.doc_id, s]));
    // Keep only whole chunks from an earlier, interrupted session; the rest is scored again.
    const kept: Sample[] = [];
    const todo: typeof chunks = [];
    for (const c of chunks) {
      if (c.every((d) => existing.has(d.id))) kept.push(...c.map((d) => existing.get(d.id)!));
      else todo.push(c);
    }
    if (existing.size !== kept.length) writeFileSync(file, kept.map((s) => toJson(s) + '\n').join(''));
    const samples = [...kept];

    progress.start(name, documents.docs.length, kept.length);
    for (const c of todo) {
      if (opts.stopAfterChunks !== undefined && chunksDone >= opts.stopAfterChunks) {
        interrupted = true;
        break;
      }
      const scored = await kind.score(c);
      appendSamples(file, scored);
      samples.push(...scored);
      requests += c.reduce((n, d) => n + kind.requestsPerDoc(d), 0);
      chunksDone += 1;
      progress.update(samples.length, requests);
    }
    progress.stop();
    await kind.close?.();
    if (interrupted) break;

    const described = kind.describe(samples);
    const taskRecord: TaskRecord = {
      kind: selection.task.kind,
      file: selection.file,
      template_hash: sha256(toJson(templatesOf(selection))),
      definition_hash: sha256(toJson(selection.task)),
      dataset_files: documents.files,
      subsets: selection.subsets ?? null,
      total_docs: documents.total,
      n_docs: documents.docs.length,
      num_fewshot: described.numFewshot,
      effective_shots: described.effectiveShots,
      extra: described.extra,
    };
    record.tasks[name] = taskRecord;
    record.results[name] = kind.aggregate(samples);
    writeRunRecord(runDir, record);
  }

  const totalSeconds = (performance.now() - t0) / 1000;
  const delta = (k: keyof BackendStats) => (stats && statsAtStart ? stats[k] - statsAtStart[k] : 0);
  record.timings = {
    load_seconds: model.record.loadSeconds,
    total_seconds: totalSeconds,
    prefill_tokens_per_second: delta('prefillSeconds') > 0 ? delta('prefillTokens') / delta('prefillSeconds') : null,
    decode_tokens_per_second: delta('decodeSeconds') > 0 ? delta('generatedTokens') / delta('decodeSeconds') : null,
    requests_per_second: requests > 0 ? requests / totalSeconds : null,
    requests,
    forward_calls: delta('forwardCalls'),
    prefix_cache_hits: delta('prefixCacheHits'),
    prefix_tokens_saved: delta('prefixTokensSaved'),
    prefill_tokens: delta('prefillTokens'),
    generated_tokens: delta('generatedTokens'),
    peak_rss_bytes: peakRssBytes(),
  };
  if (!interrupted) {
    record.status = 'complete';
    record.finished_at = new Date().toISOString();
  }
  if (model instanceof CachedBackend) record.request_cache = { file: model.cache.file, hits: model.cache.hits, misses: model.cache.misses };
  writeRunRecord(runDir, record);
  if (!opts.model) await model.dispose();
  await judge?.backend.dispose();
  if (!interrupted) out(`results: ${runDir}`);
  return { runDir, record };
}

/** The prompt-shaping parts of a task definition (hashed into template_hash). */
function templatesOf(selection: TaskSelection): unknown {
  const t = selection.task;
  if (t.kind === 'multiple_choice') return t.prompt;
  if (t.kind === 'code') return { prompt: t.prompt, program: t.program, stop: t.stop };
  return { plainTemplate: t.plainTemplate, systemPrompt: t.systemPrompt };
}
