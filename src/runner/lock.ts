import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode, HarnessError } from '../core/errors.ts';

/**
 * The lock of a run folder (`run.lock`): one process at a time writes a run. The file is created with O_EXCL
 * (atomic on local filesystems and NFSv3+) and holds the owner's pid, host and start time.
 *
 * A lock is stale when its owner is gone: on the same host, when no process has its pid (or the pid now belongs
 * to a process that started later); on another host, when it was not refreshed for STALE_MS (the owner touches
 * it every REFRESH_MS). So a run killed with SIGKILL can be resumed at once on the same machine, which a purely
 * time-based lock (proper-lockfile: at least its `stale` period) would refuse for a while, and the error names
 * the process that holds the folder.
 */

export const LOCK_FILE = 'run.lock';
const REFRESH_MS = 10_000;
const STALE_MS = 60_000;

interface LockOwner {
  pid: number;
  host: string;
  started_at: string;
  /** Linux: the process's start time in clock ticks since boot (/proc/PID/stat field 22), against pid reuse. */
  proc_start: string | null;
}

function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after it follow the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: LockOwner, mtimeMs: number): boolean {
  if (owner.host !== hostname()) return Date.now() - mtimeMs < STALE_MS;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = owner.proc_start === null ? null : procStart(owner.pid);
  return start === null || start === owner.proc_start;
}

function readOwner(path: string): { owner: LockOwner | null; text: string; mtimeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return { owner: JSON.parse(text) as LockOwner, text, mtimeMs };
  } catch {
    // Killed between creating and writing the file: nobody owns it.
    return { owner: null, text, mtimeMs };
  }
}

/** A held lock; `release()` removes it (also done at process exit if forgotten). */
export class RunLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(
    private path: string,
    readonly owner: LockOwner,
  ) {
    this.timer = setInterval(() => {
      try {
        utimesSync(this.path, new Date(), new Date());
      } catch {
        /* the folder may be gone (a test cleaned up); nothing to refresh */
      }
    }, REFRESH_MS);
    this.timer.unref();
    process.once('exit', this.onExit);
  }

  /**
   * Takes the lock of `dir`, or fails at once (exit code 2) naming the process that holds it. A stale lock (its
   * owner is gone) is taken over.
   */
  static acquire(dir: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), proc_start: procStart(process.pid) };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, JSON.stringify(owner) + '\n');
        } finally {
          closeSync(fd);
        }
        return new RunLock(path, owner);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = readOwner(path);
      if (held === null) continue; // released meanwhile: try again
      if (held.owner !== null && alive(held.owner, held.mtimeMs)) {
        const o = held.owner;
        throw new HarnessError(`the run folder is in use by process ${o.pid} on ${o.host} (since ${o.started_at})`, {
          where: path,
          fix: `wait for that process to finish, or stop it; if it is gone and the lock remains (another machine), delete ${path}`,
          exitCode: ExitCode.badInput,
        });
      }
      // Stale: remove it unless someone replaced it meanwhile (re-read just before), then try again.
      const again = readOwner(path);
      if (again !== null && again.text === held.text) {
        try {
          unlinkSync(path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    }
    throw new HarnessError('could not take the run folder\'s lock: other processes keep taking it', { where: path, fix: 'run one process per run folder', exitCode: ExitCode.badInput });
  }

  /** The lock moved with its folder (a new run's folder is renamed into place). */
  moved(dir: string): void {
    this.path = join(dir, LOCK_FILE);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    try {
      const held = readFileSync(this.path, 'utf8');
      if ((JSON.parse(held) as LockOwner).pid === this.owner.pid) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}

/** Who holds a run folder's lock, if a live process does (for `harness show`). */
export function lockHolder(dir: string): LockOwner | null {
  const held = readOwner(join(dir, LOCK_FILE));
  return held?.owner && alive(held.owner, held.mtimeMs) ? held.owner : null;
}
