import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ModelConfigSchema, type HarnessConfig, type ModelConfig } from '../config/schema.ts';
import { sha256 } from '../core/hash.ts';
import { harnessCacheDir } from '../core/paths.ts';
import type { Sample } from '../core/task-kind.ts';
import type { BackendStats, ModelBackend } from '../models/backend.ts';
import { loadBackend } from '../models/registry.ts';
import { configToRecord } from '../results/config-record.ts';
import { appendSamples, readSamples, samplesFile, toJson, writeRunRecord } from '../results/files.ts';
import { SCHEMA_VERSION, type RunRecord, type TaskRecord } from '../results/schema.ts';
import { upgradeSample } from '../results/upgrade.ts';
import { openTask } from '../tasks/kinds.ts';
import { loadRegistry, selectTasks } from '../tasks/registry.ts';
import { environment, harnessVersion, peakRssBytes } from './environment.ts';
import { createProgress, type Progress } from './progress.ts';
import { CachedBackend, modelCacheKey, RequestCache } from './request-cache.ts';

export interface RunOptions {
  /** An existing run folder to finish (its run.json's config is used). */
  resumeRecord?: RunRecord;
  resumeDir?: string;
  /** Injected backend (tests); by default the model is loaded from the config. */
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

function newRunId(config: HarnessConfig): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const model = basename(config.model.id).replace(/[^A-Za-z0-9_.-]/g, '_');
  const salt = sha256(`${stamp}${process.pid}${Math.random()}`).slice(0, 6);
  return `${stamp}-${model}-${salt}`;
}

/** Loads a model as a config's model section describes it (the evaluated model, or the judge). */
export async function loadModel(model: ModelConfig): Promise<ModelBackend> {
  return loadBackend('onnx', { ...model, cacheDir: join(harnessCacheDir(), 'models') });
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
  const statsAtStart = { ...model.stats };
  const needsJudge = config.judge !== undefined && selections.some((s) => s.task.kind === 'refusal');
  // The judge loads with its own settings (defaults for what its section leaves out), not the evaluated model's.
  const judge = needsJudge ? { backend: await loadModel(ModelConfigSchema.parse(config.judge)), id: config.judge!.id } : undefined;

  const record: RunRecord = opts.resumeRecord
    ? { ...opts.resumeRecord, status: 'running', resumed: opts.resumeRecord.resumed + 1, model: model.record }
    : {
        schema_version: SCHEMA_VERSION,
        run_id: basename(runDir),
        status: 'running',
        started_at: new Date().toISOString(),
        finished_at: null,
        resumed: 0,
        harness: harnessVersion(),
        config: configToRecord(config),
        model: model.record,
        tasks: {},
        environment: environment(),
        results: {},
        timings: null,
        request_cache: null,
      };
  writeRunRecord(runDir, record);

  let requests = 0;
  let chunksDone = 0;
  let interrupted = false;
  const warn = (m: string) => progress.log(`warning: ${m}`);
  for (const selection of selections) {
    const name = selection.task.name;
    const { documents, runner: kind, templates } = await openTask(selection, { config, model, judge, cacheDir: harnessCacheDir(), warn });
    await kind.prepare?.();

    const file = samplesFile(runDir, name);
    const chunks = chunk(documents.docs, config.chunkSize ?? kind.chunkSize);
    const byId = new Map(documents.docs.map((d) => [d.id, d]));
    const existing = new Map(readSamples<Sample>(file).map((s) => [s.doc_id, s]));
    // Keep only whole chunks from an earlier, interrupted session; the rest is scored again. Samples written by
    // an older harness version are brought up to the current format.
    const kept: Sample[] = [];
    const todo: typeof chunks = [];
    for (const c of chunks) {
      if (c.every((d) => existing.has(d.id))) kept.push(...c.map((d) => upgradeSample(selection.task.kind, existing.get(d.id)!, byId.get(d.id)!)));
      else todo.push(c);
    }
    const upgraded = kept.some((s) => s !== existing.get(s.doc_id));
    if (existing.size !== kept.length || upgraded) writeFileSync(file, kept.map((s) => toJson(s) + '\n').join(''));
    const samples = [...kept];

    progress.start(name, documents.docs.length, kept.length, { tokens: () => model.stats.generatedTokens + model.stats.tokensInFlight });
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
      template_hash: sha256(toJson(templates)),
      definition_hash: sha256(toJson(selection.task)),
      dataset_files: documents.files,
      selected_subsets: selection.subsets ?? null,
      total_docs: documents.total,
      n_docs: documents.docs.length,
      ...described,
    };
    record.tasks[name] = taskRecord;
    record.results[name] = kind.aggregate(samples);
  }

  const totalSeconds = (performance.now() - t0) / 1000;
  const delta = (k: keyof BackendStats) => model.stats[k] - statsAtStart[k];
  record.timings = {
    load_seconds: model.loadSeconds,
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
