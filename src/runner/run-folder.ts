import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { asHarnessError, ExitCode, HarnessError } from '../core/errors.ts';
import { readRunRecord, RUN_FILE, writeRunRecord } from '../results/files.ts';
import type { Failure, RunRecord, RunRecordRead } from '../results/schema.ts';
import { hostName } from './environment.ts';
import { lockHolder, RunLock } from './lock.ts';
import type { SessionClock } from './timings.ts';
import { sumTimings } from './timings.ts';

const CREATING = '.creating-';

/** The error that ended a run, as run.json records it. */
export function failureOf(err: unknown): Failure {
  const h = asHarnessError(err);
  return {
    message: h?.message ?? (err instanceof Error ? err.message : String(err)),
    where: h?.where ?? null,
    fix: h?.fix ?? null,
    exit_code: h?.exitCode ?? ExitCode.internal,
    at: new Date().toISOString(),
  };
}

/** Removes folders that a run being created left behind when it was killed (their lock's owner is gone). */
function sweepAbandoned(output: string): void {
  for (const name of readdirSync(output)) {
    if (!name.startsWith(CREATING)) continue;
    const dir = join(output, name);
    if (lockHolder(dir) === null) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A run folder held by this process: its run.json, kept current (status, sessions, timings, results), and its
 * lock. Exactly one process writes a run folder at a time.
 */
export class RunFolder {
  private constructor(
    readonly dir: string,
    readonly record: RunRecord,
    private readonly lock: RunLock,
  ) {}

  /**
   * Creates `<output>/<runId>` atomically: it is built under a hidden name and renamed into place, so the folder
   * appears with its run.json in it, or not at all (a kill while creating leaves no empty folder).
   */
  static create(output: string, runId: string, record: RunRecord): RunFolder {
    mkdirSync(output, { recursive: true });
    sweepAbandoned(output);
    const tmp = mkdtempSync(join(output, `${CREATING}${runId}-`));
    const lock = RunLock.acquire(tmp);
    try {
      writeRunRecord(tmp, record);
      const dir = join(output, runId);
      renameSync(tmp, dir);
      lock.moved(dir);
      return new RunFolder(dir, record, lock);
    } catch (err) {
      lock.release();
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Opens a run to resume it: takes its lock (a second process fails at once), then reads run.json under the
   * lock. Sessions of processes that were killed are marked `interrupted`.
   */
  static open(dir: string): RunFolder {
    RunFolder.read(dir);
    const lock = RunLock.acquire(dir);
    try {
      const record: RunRecordRead = readRunRecord(dir);
      for (const s of record.sessions) if (s.ended === null) s.ended = 'interrupted';
      return new RunFolder(dir, record, lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** A run folder's run.json, read without taking the lock (errors name the folder and what to pass instead). */
  static read(dir: string): RunRecordRead {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new HarnessError(`no run folder at ${dir}`, { where: dir, fix: 'pass the folder of a run, as printed when it started: results/<run-id>' });
    }
    if (!existsSync(join(dir, RUN_FILE))) {
      throw new HarnessError(`${dir} is not a run folder: it has no ${RUN_FILE}`, { where: join(dir, RUN_FILE), fix: 'pass the folder of a run, as printed when it started: results/<run-id>' });
    }
    return readRunRecord(dir);
  }

  save(): void {
    writeRunRecord(this.dir, this.record);
  }

  /** A new session (this process) begins; `acceptedChanges` are the inputs that changed and were accepted. */
  startSession(acceptedChanges: string[], clock: SessionClock): void {
    this.record.status = 'running';
    this.record.failure = null;
    this.record.finished_at = null;
    this.record.sessions.push({
      started_at: new Date().toISOString(),
      finished_at: null,
      ended: null,
      host: hostName(),
      pid: process.pid,
      documents: 0,
      accepted_changes: acceptedChanges,
      timings: clock.timings(),
      request_cache: null,
    });
    this.save();
  }

  /** The session's figures so far, written to run.json (after each flushed chunk). */
  update(clock: SessionClock, cache?: { file: string; hits: number; misses: number }): void {
    const s = this.record.sessions[this.record.sessions.length - 1];
    s.timings = clock.timings();
    s.documents = clock.documents;
    if (cache) {
      s.request_cache = { hits: cache.hits, misses: cache.misses };
      const all = this.record.sessions.map((x) => x.request_cache).filter((c) => c !== null);
      this.record.request_cache = { file: cache.file, hits: all.reduce((a, c) => a + c.hits, 0), misses: all.reduce((a, c) => a + c.misses, 0) };
    }
    this.record.timings = sumTimings(this.record.sessions);
    this.save();
  }

  /** Ends the session and the run's state: complete, interrupted (resumable), or failed with the reason. */
  end(ended: 'complete' | 'interrupted' | 'failed', failure: Failure | null = null): void {
    const now = new Date().toISOString();
    const s = this.record.sessions[this.record.sessions.length - 1];
    s.ended = ended;
    s.finished_at = now;
    this.record.status = ended;
    this.record.failure = failure;
    if (ended === 'complete') this.record.finished_at = now;
    this.save();
  }

  release(): void {
    this.lock.release();
  }
}
