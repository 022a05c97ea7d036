import { basename, join, resolve } from 'node:path';
import type { HarnessConfig } from '../config/schema.ts';
import { ExitCode, HarnessError } from '../core/errors.ts';
import { sha256 } from '../core/hash.ts';
import type { ModelBackend } from '../models/backend.ts';
import { configOfRun, configToRecord } from '../results/config-record.ts';
import { RUN_FILE } from '../results/files.ts';
import { SCHEMA_VERSION, type RunRecord } from '../results/schema.ts';
import { inputChanges, modelChanges } from './fingerprints.ts';
import { loadRunModels, type RunModels } from './models.ts';
import { checkOutputWritable } from './output.ts';
import { planRun, type RunPlan } from './plan.ts';
import { createProgress, type Progress } from './progress.ts';
import { CachedBackend } from './request-cache.ts';
import { failureOf, RunFolder } from './run-folder.ts';
import { scoreTask } from './score-task.ts';
import { SessionClock } from './timings.ts';

export { loadModel } from './models.ts';

/**
 * A run's life: plan (no model: tasks, documents, fingerprints, gates, output folder), load the model, create
 * the run folder (printed at once) or take over an interrupted one, score task by task in flushed chunks, and
 * end `complete`, `interrupted` or `failed` with the reason. Failures before the folder exists leave nothing
 * behind; a folder always has its run.json.
 */

export interface RunOptions {
  /** Injected backend (tests); by default the model is loaded from the config. */
  model?: ModelBackend;
  /** Stop after this many chunks (tests of interrupted runs). */
  stopAfterChunks?: number;
  progress?: Progress;
  out?: (line: string) => void;
  /** On SIGINT/SIGTERM: record the run as interrupted, release its lock and exit (the CLI sets this). */
  handleSignals?: boolean;
}

export interface ResumeOptions extends RunOptions {
  /** Resume even when inputs changed since the run started; the changes are recorded in the session. */
  allowChanges?: boolean;
}

export interface RunOutcome {
  runDir: string;
  record: RunRecord;
  /** `--resume` of a run that was already complete: nothing was done or written. */
  alreadyComplete?: boolean;
}

function newRunId(config: HarnessConfig): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const model = basename(config.model.id).replace(/[^A-Za-z0-9_.-]/g, '_');
  const salt = sha256(`${stamp}${process.pid}${Math.random()}`).slice(0, 6);
  return `${stamp}-${model}-${salt}`;
}

interface Context {
  out: (line: string) => void;
  progress: Progress;
  warn: (m: string) => void;
}

function context(opts: RunOptions, config?: HarnessConfig): Context {
  const progress = opts.progress ?? createProgress(config?.progress ?? 'auto');
  return { out: opts.out ?? ((l: string) => process.stdout.write(l + '\n')), progress, warn: (m: string) => progress.log(`warning: ${m}`) };
}

/** Evaluates a model on the config's tasks in a new run folder under `config.output`. */
export async function runEvaluation(config: HarnessConfig, opts: RunOptions = {}): Promise<RunOutcome> {
  const clock = new SessionClock();
  const ctx = context(opts, config);
  const plan = await planRun(config, ctx.warn);
  checkOutputWritable(config.output);
  const models = await loadRunModels(plan, opts.model);
  let folder: RunFolder;
  try {
    const now = new Date().toISOString();
    const record: RunRecord = {
      schema_version: SCHEMA_VERSION,
      run_id: newRunId(config),
      status: 'running',
      started_at: now,
      finished_at: null,
      failure: null,
      harness: plan.inputs.harness,
      config: configToRecord(config),
      fingerprints: { ...plan.inputs.fingerprints, ...models.fingerprints },
      model: models.model.record,
      tasks: {},
      environment: plan.inputs.environment,
      results: {},
      sessions: [],
      timings: null,
      request_cache: null,
    };
    folder = RunFolder.create(resolve(config.output), String(record.run_id), record);
  } catch (err) {
    await models.dispose();
    throw err;
  }
  ctx.out(`run folder: ${folder.dir}`);
  return execute(folder, plan, models, opts, ctx, clock, []);
}

/**
 * Finishes an interrupted or failed run with its own config. Its lock is taken first (a second process fails at
 * once); the inputs are fingerprinted again and compared with those the run started with, and any difference
 * refuses the resume (exit code 2) unless `allowChanges`. A complete run is left untouched.
 */
export async function resumeEvaluation(dir: string, opts: ResumeOptions = {}): Promise<RunOutcome> {
  const clock = new SessionClock();
  const runDir = resolve(dir);
  const peek = RunFolder.read(runDir);
  if (peek.status === 'complete') return { runDir, record: peek, alreadyComplete: true };
  const folder = RunFolder.open(runDir);
  let models: RunModels | undefined;
  try {
    const stored = folder.record;
    if (stored.status === 'complete') {
      folder.release();
      return { runDir, record: stored, alreadyComplete: true };
    }
    const config = configOfRun(stored, join(runDir, RUN_FILE));
    const ctx = context(opts, config);
    const plan = await planRun(config, ctx.warn);
    const before = { fingerprints: stored.fingerprints, harness: stored.harness, environment: stored.environment } as Parameters<typeof inputChanges>[0];
    const changes = inputChanges(before, plan.inputs);
    refuseChanges(runDir, changes, opts, ctx);
    models = await loadRunModels(plan, opts.model);
    // A hub model not downloaded before loading is compared now, still before any scoring.
    const late = [
      ...(plan.inputs.fingerprints.model === null ? modelChanges('model', before.fingerprints.model, models.fingerprints.model) : []),
      ...(plan.inputs.fingerprints.judge === null && before.fingerprints.judge && models.fingerprints.judge ? modelChanges('judge model', before.fingerprints.judge, models.fingerprints.judge) : []),
    ];
    refuseChanges(runDir, late, opts, ctx);
    return await execute(folder, plan, models, opts, ctx, clock, [...changes, ...late], true);
  } catch (err) {
    folder.release();
    await models?.dispose();
    throw err;
  }
}

function refuseChanges(runDir: string, changes: string[], opts: ResumeOptions, ctx: Context): void {
  if (changes.length === 0) return;
  if (opts.allowChanges) {
    for (const c of changes) ctx.warn(`resuming with a changed input (--allow-changes): ${c}`);
    return;
  }
  throw new HarnessError(`the run's inputs changed since it started; resuming would mix results of different inputs:\n  - ${changes.join('\n  - ')}`, {
    where: join(runDir, RUN_FILE),
    fix: 'restore the inputs the run started with and resume, or start a new run; --allow-changes resumes anyway and records these changes in run.json (sessions[].accepted_changes)',
    exitCode: ExitCode.badInput,
  });
}

/** Records the run as interrupted on SIGINT/SIGTERM, releases its lock and exits; returns the uninstaller. */
function onSignals(folder: RunFolder): () => void {
  const handler = (signal: NodeJS.Signals) => {
    try {
      folder.end('interrupted');
    } finally {
      folder.release();
      process.stderr.write(`\ninterrupted (${signal}): finish it with harness run --resume ${folder.dir}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

/** Scores every task in the folder's session and ends the run; the folder's lock is released in every case. */
async function execute(folder: RunFolder, plan: RunPlan, models: RunModels, opts: RunOptions, ctx: Context, clock: SessionClock, acceptedChanges: string[], resumed = false): Promise<RunOutcome> {
  const { config } = plan;
  const { model, judge } = models;
  const cache = () => (model instanceof CachedBackend ? { file: model.cache.file, hits: model.cache.hits, misses: model.cache.misses } : undefined);
  const removeSignalHandlers = opts.handleSignals ? onSignals(folder) : () => {};
  let chunksDone = 0;
  let interrupted = false;
  try {
    clock.attach(model);
    folder.startSession(acceptedChanges, clock);
    if (resumed) ctx.out(`resuming ${folder.dir} (session ${folder.record.sessions.length})`);
    for (const task of plan.tasks) {
      const name = task.selection.task.name;
      const kind = task.prepared.start({ model, judge });
      let samples;
      try {
        await kind.prepare?.();
        samples = await scoreTask({
          runDir: folder.dir,
          task,
          kind,
          chunkSize: config.chunkSize,
          progress: ctx.progress,
          tokens: () => model.stats.generatedTokens + model.stats.tokensInFlight,
          shouldStop: () => opts.stopAfterChunks !== undefined && chunksDone >= opts.stopAfterChunks,
          afterChunk: (documents, requests) => {
            chunksDone += 1;
            clock.documents += documents;
            clock.requests += requests;
            folder.update(clock, cache());
          },
        });
      } finally {
        await kind.close?.();
      }
      if (samples === null) {
        interrupted = true;
        break;
      }
      const documents = task.prepared.documents;
      folder.record.tasks[name] = {
        kind: task.selection.task.kind,
        selected_subsets: task.selection.subsets ?? null,
        total_docs: documents.total,
        n_docs: documents.docs.length,
        ...kind.describe(samples),
      };
      folder.record.results[name] = kind.aggregate(samples);
    }
    folder.update(clock, cache());
    folder.end(interrupted ? 'interrupted' : 'complete');
  } catch (err) {
    // The disk may be full: then run.json keeps its last state (status running; the next --resume takes over).
    try {
      folder.update(clock, cache());
    } catch {
      /* recorded below if at all possible */
    }
    try {
      folder.end('failed', failureOf(err));
    } catch {
      /* nothing more can be written */
    }
    throw err;
  } finally {
    removeSignalHandlers();
    folder.release();
    await models.dispose();
  }
  if (!interrupted) ctx.out(`results: ${folder.dir}`);
  return { runDir: folder.dir, record: folder.record };
}
