/**
 * Run one untrusted Python program and turn whatever happens into an ExecutionOutcome.
 *
 * Each program: its own fresh temp dir (removed afterwards), its own Python process (BOOTSTRAP of
 * isolation.ts, inside bubblewrap when available), its own process group (detached) and, when the harness
 * is root, its own uid. Time, output, memory, process count and file size are capped. A bad program never
 * makes this throw; only an environment problem (no Python, bubblewrap demanded but unusable) does.
 *
 * A program passes only when it exits 0 AND prints a per-run random nonce that BOOTSTRAP writes after
 * the program returned, so `os._exit(0)` or `sys.exit(0)` before the checks fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { availableParallelism, constants as osConstants } from 'node:os';
import pLimit from 'p-limit';
import {
  buildLaunch,
  DEFAULT_LIMITS,
  detectIsolation,
  LAUNCHER_FAILURE_EXIT,
  LAUNCHER_FAILURE_TAG,
  prepareRunDir,
  sandboxUid,
  type Isolation,
  type IsolationMode,
  type IsolationRecord,
  type SandboxLimits,
} from './isolation.ts';
import { listProcesses, processesOfUid, processTree, runQueueWaitSeconds, type ProcessInfo } from './proc.ts';

export type OutcomeStatus = 'passed' | 'failed' | 'timeout' | 'killed';

/**
 * Why a program did not pass, when it can be told:
 * `time` (timeout), `memory` (MemoryError under RLIMIT_AS, or an allocation failure),
 * `output` (wrote more than maxOutputBytes), `processes` (hit RLIMIT_NPROC),
 * `file-size` (SIGXFSZ), `exception` (a Python exception, see `error`), `exit-code` (non-zero exit without a traceback),
 * `no-success-marker` (exited 0 before its checks finished), `signal SIGxxx`, `sandbox-error` (the sandbox could not be set up).
 */
export type OutcomeReason =
  | 'time'
  | 'memory'
  | 'output'
  | 'processes'
  | 'file-size'
  | 'exception'
  | 'exit-code'
  | 'no-success-marker'
  | 'sandbox-error'
  | `signal ${string}`;

export interface ExecutionOutcome {
  status: OutcomeStatus;
  reason?: OutcomeReason;
  /** Last line of stderr when the program failed, e.g. `AssertionError` or `NameError: name 'x' is not defined`. */
  error?: string;
  exitCode: number | null;
  signal: string | null;
  /** Last ~2 KB of stdout (success marker removed) and stderr. */
  stdoutTail: string;
  stderrTail: string;
  /** Bytes of stdout + stderr read before the end (or the cap). */
  outputBytes: number;
  /** Wall time from start to end. */
  durationSeconds: number;
  /** The part of it charged against the time limit: wall time less the time spent waiting for a CPU. */
  chargedSeconds: number;
}

export interface ExecuteOptions extends Partial<SandboxLimits> {
  /** Interpreter name or path (default python3). */
  python?: string;
  /** `auto` (default; $HARNESS_SANDBOX overrides), `bubblewrap` (fail if unusable), `none` (fallback only). */
  isolation?: IsolationMode;
  /** Extra host directories to hide from programs (bubblewrap only). */
  hide?: string[];
  /** How much of stdout/stderr to keep (default 2048 bytes each). */
  tailBytes?: number;
}

const usedSlots = new Set<number>();
function acquireSlot(): number {
  for (let s = 0; s < 255; s++) {
    if (!usedSlots.has(s)) {
      usedSlots.add(s);
      return s;
    }
  }
  // 255 programs at once from one process: share a uid (the process cap then becomes shared too).
  return Math.floor(Math.random() * 255);
}

/** Process groups still running, killed if the harness exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid);
  });
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** SIGKILL every live process of a dedicated sandbox uid until none is left (catches programs that left their process group). */
async function sweepUid(uid: number): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const pids = processesOfUid(uid).live.map((p) => p.pid);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, round < 10 ? 5 : 25));
  }
}

/**
 * Give a slot back once its uid has no processes at all. Unreaped zombies still count against
 * RLIMIT_NPROC, so a slot right after a fork bomb waits (other runs use other slots) for at most 30 s.
 */
function releaseSlot(slot: number, uid: number | undefined): void {
  if (uid === undefined) {
    usedSlots.delete(slot);
    return;
  }
  const started = Date.now();
  const check = () => {
    const { live, zombies } = processesOfUid(uid);
    const pids = live.map((p) => p.pid);
    if ((pids.length === 0 && zombies === 0) || Date.now() - started > 30_000) {
      usedSlots.delete(slot);
      return;
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    setTimeout(check, 250).unref();
  };
  check();
}

class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly keep: number) {}
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    if (this.size > this.keep * 2) {
      const all = Buffer.concat(this.chunks);
      const kept = all.subarray(all.length - this.keep);
      this.chunks = [kept];
      this.size = kept.length;
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.keep)).toString('utf8');
  }
}

const MEMORY_RE = /\bMemoryError\b|Cannot allocate memory|std::bad_alloc|out of memory/i;
const PROCESSES_RE = /BlockingIOError: \[Errno 11\]|Resource temporarily unavailable|can't start new thread/;

function lastLine(s: string): string | undefined {
  const lines = s.split('\n').map((l) => l.trim()).filter(Boolean);
  const l = lines[lines.length - 1];
  return l === undefined ? undefined : l.length > 300 ? `${l.slice(0, 300)}…` : l;
}

/** Resolve the limits and isolation a call will use (what goes into a result file). */
export async function describeSandbox(opts: ExecuteOptions = {}): Promise<IsolationRecord> {
  const iso = await detectIsolation({ python: opts.python, mode: opts.isolation, hide: opts.hide });
  return iso.record(resolveLimits(opts));
}

export function resolveLimits(opts: ExecuteOptions = {}): SandboxLimits {
  const l: SandboxLimits = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(DEFAULT_LIMITS) as Array<keyof SandboxLimits>) {
    const v = opts[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) l[k] = v;
  }
  return l;
}

/**
 * Run `program` (Python source) in the sandbox. Never throws for anything the program does;
 * throws HarnessError only when the environment cannot run programs at all (see detectIsolation).
 */
export async function executeProgram(program: string, opts: ExecuteOptions = {}): Promise<ExecutionOutcome> {
  const iso = await detectIsolation({ python: opts.python, mode: opts.isolation, hide: opts.hide });
  const limits = resolveLimits(opts);
  const started = performance.now();
  try {
    return await runOnce(iso, program, limits, opts.tailBytes ?? 2048);
  } catch (e) {
    return {
      status: 'failed',
      reason: 'sandbox-error',
      error: e instanceof Error ? e.message : String(e),
      exitCode: null,
      signal: null,
      stdoutTail: '',
      stderrTail: '',
      outputBytes: 0,
      durationSeconds: (performance.now() - started) / 1000,
      chargedSeconds: (performance.now() - started) / 1000,
    };
  }
}

async function runOnce(iso: Isolation, program: string, limits: SandboxLimits, tailBytes: number): Promise<ExecutionOutcome> {
  installExitHook();
  const slot = acquireSlot();
  const uid = sandboxUid(slot);
  let dir: string | undefined;
  let swept = false;
  try {
    const prepared = await prepareRunDir(iso, program, uid);
    dir = prepared.dir;
    const nonce = randomBytes(18).toString('hex');
    const spec = buildLaunch(iso, { hostDir: dir, programFile: prepared.programFile, uid, limits });

    const stdout = new Tail(Math.max(tailBytes, 256));
    const stderr = new Tail(tailBytes);
    let outputBytes = 0;
    let outputExceeded = false;
    let timedOut = false;
    let tasksAtTimeout = 0;
    let spawnError: Error | undefined;

    const started = performance.now();
    const child: ChildProcess = spawn(spec.command, spec.args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: spec.env, cwd: '/' });
    const pgid = child.pid;
    if (pgid !== undefined) liveGroups.add(pgid);

    const killAll = async (): Promise<void> => {
      if (pgid !== undefined) killGroup(pgid);
      if (iso.switchUid) await sweepUid(uid);
    };

    const onData = (tail: Tail) => (b: Buffer) => {
      if (outputExceeded) return;
      outputBytes += b.length;
      if (outputBytes > limits.maxOutputBytes) {
        const over = outputBytes - limits.maxOutputBytes;
        tail.push(b.subarray(0, Math.max(0, b.length - over)));
        outputExceeded = true;
        child.stdout?.pause();
        child.stderr?.pause();
        void killAll();
        return;
      }
      tail.push(b);
    };
    child.stdout!.on('data', onData(stdout));
    child.stderr!.on('data', onData(stderr));
    child.stdin!.on('error', () => {});
    child.stdin!.end(`${nonce}\n`);

    // The program's own processes (bubblewrap's are not), and the first of them: the Python process running it.
    const programProcesses = (): ProcessInfo[] => {
      const all = listProcesses();
      const procs = iso.switchUid ? processesOfUid(uid, all).live : pgid !== undefined ? processTree(pgid, all) : [];
      return procs.filter((p) => p.name !== 'bwrap');
    };
    let mainPid: number | undefined = iso.tool === 'bubblewrap' ? undefined : pgid;
    let waited = 0;
    /**
     * Seconds charged against the time limit: wall time minus the time the program's main process sat in the run
     * queue waiting for a CPU. A machine loaded by other work (the model, other programs) slows a program down
     * without using up its limit; a program that loops, sleeps or blocks is charged in full.
     */
    const charged = (): number => {
      if (mainPid === undefined) {
        const procs = programProcesses();
        const pids = new Set(procs.map((p) => p.pid));
        mainPid = procs.filter((p) => !pids.has(p.ppid)).sort((a, b) => a.pid - b.pid)[0]?.pid;
      }
      const w = mainPid === undefined ? null : runQueueWaitSeconds(mainPid);
      if (w !== null) waited = Math.max(waited, w);
      return Math.max(0, (performance.now() - started) / 1000 - waited);
    };
    // Past this much wall time the program is stopped whatever the load (a machine starved for minutes).
    const backstopMs = Math.max(10 * limits.timeoutSeconds, limits.timeoutSeconds + 60) * 1000;
    const sampler = setInterval(charged, 200);
    const check = () => {
      const used = charged();
      if (used < limits.timeoutSeconds && performance.now() - started < backstopMs) {
        timer = setTimeout(check, Math.max(20, (limits.timeoutSeconds - used) * 1000));
        return;
      }
      timedOut = true;
      // How many processes the program had: its uid's (dedicated uid), else the process tree under the child.
      tasksAtTimeout = iso.switchUid ? processesOfUid(uid).tasks : pgid !== undefined ? processTree(pgid).reduce((n, p) => n + p.threads, 0) : 0;
      void killAll();
    };
    let timer = setTimeout(check, limits.timeoutSeconds * 1000);

    const exited = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
      child.once('error', (e) => {
        spawnError = e;
        resolveExit({ code: null, signal: null });
      });
      child.once('exit', (c, s) => resolveExit({ code: c, signal: s }));
    });
    const durationSeconds = (performance.now() - started) / 1000;
    clearTimeout(timer);
    clearInterval(sampler);
    const { code, signal } = bwrapSignal(iso, exited);
    // The main process is gone; take down anything it left behind (they may hold the pipes open).
    await killAll();
    swept = true;
    if (pgid !== undefined) liveGroups.delete(pgid);
    await new Promise<void>((r) => {
      if (child.stdout!.readableEnded && child.stderr!.readableEnded) return r();
      const t = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        r();
      }, 1000);
      child.once('close', () => {
        clearTimeout(t);
        r();
      });
    });

    let out = stdout.text();
    const marker = `\n${nonce}\n`;
    const sawMarker = out.includes(marker);
    if (sawMarker) out = out.replace(marker, '');
    const err = stderr.text();
    const base = { exitCode: code, signal: signal ?? null, stdoutTail: out.slice(-tailBytes), stderrTail: err, outputBytes, durationSeconds, chargedSeconds: Math.max(0, durationSeconds - waited) };

    if (spawnError) return { ...base, status: 'failed', reason: 'sandbox-error', error: spawnError.message };
    if (outputExceeded) return { ...base, status: 'killed', reason: 'output' };
    if (timedOut) {
      // A fork bomb that survives failing forks ends at the timeout: blame the process cap when it was reached.
      if (tasksAtTimeout >= limits.maxProcesses || PROCESSES_RE.test(err)) return { ...base, status: 'killed', reason: 'processes', error: lastLine(err) };
      return { ...base, status: 'timeout', reason: 'time' };
    }
    if (signal) {
      if (signal === 'SIGXFSZ') return { ...base, status: 'killed', reason: 'file-size' };
      if (MEMORY_RE.test(err)) return { ...base, status: 'killed', reason: 'memory', error: lastLine(err) };
      if (PROCESSES_RE.test(err)) return { ...base, status: 'killed', reason: 'processes', error: lastLine(err) };
      return { ...base, status: 'killed', reason: `signal ${signal}` };
    }
    if (code === 0 && sawMarker) return { ...base, status: 'passed' };
    if (code === 0) return { ...base, status: 'failed', reason: 'no-success-marker', error: 'the program exited before its checks finished (no success marker)' };
    if (code === LAUNCHER_FAILURE_EXIT && err.includes(LAUNCHER_FAILURE_TAG)) return { ...base, status: 'failed', reason: 'sandbox-error', error: lastLine(err) };
    // Classify by the exception that ended the program (the last stderr line), not by text printed earlier.
    const error = lastLine(err);
    if (error !== undefined && MEMORY_RE.test(error)) return { ...base, status: 'failed', reason: 'memory', error };
    if (error !== undefined && PROCESSES_RE.test(error)) return { ...base, status: 'failed', reason: 'processes', error };
    if (/Traceback \(most recent call last\)|^\w+(Error|Exception)\b/m.test(err)) return { ...base, status: 'failed', reason: 'exception', error };
    return { ...base, status: 'failed', reason: 'exit-code', error: error ?? `exit code ${code}` };
  } finally {
    if (iso.switchUid && !swept) await sweepUid(uid);
    releaseSlot(slot, iso.switchUid ? uid : undefined);
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  }
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(osConstants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** bubblewrap reports a child killed by signal N as exit status 128 + N; turn that back into the signal. */
function bwrapSignal(iso: Isolation, e: { code: number | null; signal: NodeJS.Signals | null }): { code: number | null; signal: NodeJS.Signals | null } {
  if (iso.tool === 'bubblewrap' && e.signal === null && e.code !== null && e.code > 128) {
    const name = SIGNAL_NAMES.get(e.code - 128);
    if (name) return { code: null, signal: name };
  }
  return e;
}

export interface ExecutorPool {
  /** Queue a program; resolves with its outcome. */
  run(program: string, opts?: ExecuteOptions): Promise<ExecutionOutcome>;
  readonly concurrency: number;
  readonly activeCount: number;
  readonly pendingCount: number;
}

/**
 * A queue running at most `concurrency` programs at once (default: one per core).
 * `defaults` apply to every run unless the call overrides them.
 */
export function createExecutorPool(concurrency = availableParallelism(), defaults: ExecuteOptions = {}): ExecutorPool {
  const limit = pLimit(Math.max(1, Math.floor(concurrency)));
  return {
    run: (program, opts = {}) => limit(() => executeProgram(program, { ...defaults, ...opts })),
    get concurrency() {
      return limit.concurrency;
    },
    get activeCount() {
      return limit.activeCount;
    },
    get pendingCount() {
      return limit.pendingCount;
    },
  };
}
