/**
 * What isolation generated programs run under, found once per process.
 *
 * Every program runs as ONE Python process started with `python -I -B -c BOOTSTRAP <config> <program>`.
 * BOOTSTRAP reads a nonce from stdin, sets rlimits (address space, processes, file size, no core dumps),
 * drops to a dedicated unprivileged uid when it may, sets no_new_privs, changes to the working dir, runs
 * the program as `__main__` and, only if the program returned normally, prints the nonce.
 *
 * Layouts (`Isolation.layout`):
 *  - `bwrap-then-setuid` (harness is root): bubblewrap runs as root without a user namespace (it drops all
 *    capabilities except CAP_SETUID/CAP_SETGID), BOOTSTRAP switches to the dedicated uid inside, which
 *    clears the rest. Running bwrap as root lets it expose an interpreter that lives under a directory
 *    other users cannot enter (pyenv under /root) by re-binding only the interpreter's prefix.
 *  - `bwrap-userns` (not root, or root that cannot switch uid): bubblewrap makes a user namespace.
 *  - `direct` (no usable bubblewrap): BOOTSTRAP runs directly in a fresh temp dir with a cleared
 *    environment, as the dedicated uid when the harness is root. A loud warning is printed once.
 * bubblewrap gives: read-only root, fresh /dev and /proc, a size-capped private /tmp holding the working
 * dir, $HOME and the project directory hidden under empty tmpfs, network/pid/ipc/uts/cgroup namespaces
 * unshared, a new session, death with its parent, a cleared environment.
 *
 * Why a dedicated uid: RLIMIT_NPROC counts the processes of a *user* and is not enforced for root, so a
 * fork bomb started by a root harness would be uncapped. Each concurrently running program gets its own
 * uid (see `sandboxUid`), so the cap is per program and counting that uid's processes shows who hit it.
 * Inside bubblewrap's user namespace (non-root harness) RLIMIT_NPROC is counted per namespace, so the cap
 * is per program too; only the non-root `direct` layout shares the harness user's process budget (the cap
 * is then "processes this user already has + maxProcesses", approximate).
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { HarnessError, ExitCode } from '../core/errors.ts';
import { checkPython, type PythonInfo } from './python.ts';

export interface SandboxLimits {
  /** Wall-clock limit per program; the whole process tree is killed after it. */
  timeoutSeconds: number;
  /** RLIMIT_AS (virtual address space) per process, in MiB. */
  memoryMB: number;
  /** RLIMIT_NPROC: processes (and threads) of the program's uid, the program itself included. */
  maxProcesses: number;
  /** stdout + stderr together; the program is killed when it writes more. */
  maxOutputBytes: number;
  /** RLIMIT_FSIZE: largest file the program may write, in MiB (SIGXFSZ beyond). */
  fileSizeMB: number;
  /** Size of the sandbox's private /tmp, which holds the working dir (bubblewrap only; RAM-backed), in MiB. */
  scratchMB: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  timeoutSeconds: 5,
  memoryMB: 1024,
  maxProcesses: 64,
  maxOutputBytes: 1024 * 1024,
  fileSizeMB: 64,
  scratchMB: 64,
});

export type IsolationMode = 'auto' | 'bubblewrap' | 'none';
export type IsolationLayout = 'bwrap-then-setuid' | 'bwrap-userns' | 'direct';

/** A description of what is in force, for the result file. */
export interface IsolationRecord {
  tool: 'bubblewrap' | 'none';
  bubblewrapVersion?: string;
  layout: IsolationLayout;
  /** `isolated`: own network namespace (loopback only). `shared`: the host's network. */
  network: 'isolated' | 'shared';
  /**
   * `read-only-root`: the host filesystem is mounted read-only, /tmp and the working dir are private.
   * `unprivileged-user`: no mount isolation, but the program runs as a uid that owns nothing but its temp dir.
   * `cwd-only-by-convention`: the program runs as the harness's own user and could write anything that user can.
   */
  filesystem: 'read-only-root' | 'unprivileged-user' | 'cwd-only-by-convention';
  /** `dedicated-uid`: each concurrent program runs as its own unprivileged uid. */
  user: 'dedicated-uid' | 'harness-user';
  pidNamespace: boolean;
  environment: 'cleared';
  /** Host paths replaced by empty directories inside the sandbox, and interpreter paths bound back into them. */
  hiddenPaths: string[];
  exposedPaths: string[];
  /** `startup`: how the interpreter starts (isolated mode; site-packages on sys.path without running .pth hooks). */
  python: { executable: string; version: string; startup: string };
  limits: SandboxLimits & {
    /** How RLIMIT_NPROC works out: `per-program` (own uid, or own user namespace), `approximate` (shared with the harness user), `none` (root without uid switch). */
    processLimit: 'per-program' | 'approximate' | 'none';
  };
  warnings: string[];
}

/** Everything the executor needs to build a command; `record(limits)` is what goes into the result file. */
export interface Isolation {
  tool: 'bubblewrap' | 'none';
  layout: IsolationLayout;
  /** The interpreter programs run with. */
  python: PythonInfo;
  bwrapPath?: string;
  bwrapVersion?: string;
  /** True when programs run as a dedicated uid (harness is root and can switch uid). */
  switchUid: boolean;
  hiddenPaths: string[];
  exposedPaths: string[];
  warnings: string[];
  record(limits?: Partial<SandboxLimits>): IsolationRecord;
}

/** Minimal environment of every program. */
export const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Where the program's working directory is inside bubblewrap (inside the private, size-capped /tmp). */
export const BWRAP_WORKDIR = '/tmp/run';

/**
 * The launcher's Python source (src/sandbox/bootstrap.py, copied beside the built files), read once. It is
 * passed with `-c`, so that no file of the harness needs to be visible inside the sandbox.
 */
let bootstrapSource: string | undefined;
export function bootstrap(): string {
  return (bootstrapSource ??= readFileSync(new URL('./bootstrap.py', import.meta.url), 'utf8'));
}

/** Exit status the launcher uses when it could not set up the sandbox (never a program's verdict), and its message tag: read from bootstrap.py. */
export const LAUNCHER_FAILURE_EXIT = Number(/^LAUNCHER_FAILURE_EXIT = (\d+)/m.exec(bootstrap())![1]);
export const LAUNCHER_FAILURE_TAG = /^LAUNCHER_FAILURE_TAG = "([^"]+)"/m.exec(bootstrap())![1];


export interface LaunchSpec {
  command: string;
  args: string[];
  /** Environment of the spawned process (bubblewrap clears it again for the program). */
  env: NodeJS.ProcessEnv;
}

export interface BuildOptions {
  /** Host directory holding the program file (mkdtemp); in `direct` also the working dir. */
  hostDir: string;
  /** Program file name inside hostDir. */
  programFile: string;
  /** uid to run as (only used when isolation.switchUid). */
  uid: number;
  limits: SandboxLimits;
}

function programEnv(home: string, tmp: string): Record<string, string> {
  return {
    PATH: SANDBOX_PATH,
    HOME: home,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

const MIB = 1024 * 1024;

function rlimitsFor(limits: SandboxLimits): Array<[string, number]> {
  return [
    ['RLIMIT_AS', Math.max(64, Math.round(limits.memoryMB)) * MIB],
    ['RLIMIT_FSIZE', Math.max(1, Math.round(limits.fileSizeMB)) * MIB],
    ['RLIMIT_CORE', 0],
    ['RLIMIT_NOFILE', 1024],
  ];
}

interface BootstrapConfig {
  rlimits: Array<[string, number]>;
  nproc: number;
  nprocRelative: boolean;
  uid?: number;
  noNewPrivs: boolean;
  cwd: string;
}

const PYTHON_FLAGS = ['-I', '-S', '-B'];

function bootstrapArgv(c: BootstrapConfig, program: string): string[] {
  const rl = c.rlimits.map(([name, v]) => `${name}=${v}`).join(',');
  return [String(c.nproc), c.nprocRelative ? '1' : '0', String(c.uid ?? -1), c.noNewPrivs ? '1' : '0', c.cwd, rl, program];
}

/** Build the command line for one run. */
export function buildLaunch(iso: Isolation, opts: BuildOptions): LaunchSpec {
  const { limits } = opts;
  const python = iso.python.executable;
  const nproc = Math.max(1, Math.round(limits.maxProcesses));
  const uid = iso.switchUid ? opts.uid : undefined;

  if (iso.layout === 'direct') {
    const config: BootstrapConfig = { rlimits: rlimitsFor(limits), nproc, nprocRelative: !iso.switchUid && !isRoot(), uid, noNewPrivs: true, cwd: opts.hostDir };
    return { command: python, args: [...PYTHON_FLAGS, '-c', bootstrap(), ...bootstrapArgv(config, join(opts.hostDir, opts.programFile))], env: programEnv(opts.hostDir, opts.hostDir) };
  }
  const inside = `${BWRAP_WORKDIR}/${opts.programFile}`;
  // In a user namespace bubblewrap's pid-1 reaper counts against the namespace's process cap too.
  const config: BootstrapConfig = { rlimits: rlimitsFor(limits), nproc: iso.layout === 'bwrap-userns' ? nproc + 1 : nproc, nprocRelative: false, uid, noNewPrivs: false, cwd: BWRAP_WORKDIR };
  const args = bwrapArgs(iso, limits, iso.layout === 'bwrap-userns');
  args.push('--ro-bind', join(opts.hostDir, opts.programFile), inside, '--chdir', BWRAP_WORKDIR, '--clearenv');
  for (const [k, v] of Object.entries(programEnv(BWRAP_WORKDIR, '/tmp'))) args.push('--setenv', k, v);
  args.push('--', python, ...PYTHON_FLAGS, '-c', bootstrap(), ...bootstrapArgv(config, inside));
  return { command: iso.bwrapPath!, args, env: { PATH: SANDBOX_PATH, LANG: 'C.UTF-8' } };
}

function bwrapArgs(iso: Pick<Isolation, 'hiddenPaths' | 'exposedPaths'>, limits: Pick<SandboxLimits, 'scratchMB'>, userns: boolean): string[] {
  const args = userns
    ? ['--unshare-all']
    : ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID'];
  args.push('--die-with-parent', '--new-session', '--hostname', 'sandbox');
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  args.push('--perms', '1777', '--size', String(Math.max(1, Math.round(limits.scratchMB)) * MIB), '--tmpfs', '/tmp');
  for (const p of iso.hiddenPaths) args.push('--tmpfs', p);
  for (const p of iso.exposedPaths) {
    // Directories between the hidden root and p would otherwise be created 0700 (unreachable for the sandbox uid).
    const under = iso.hiddenPaths.find((h) => isAncestorOrSelf(h, p));
    if (under) {
      const rel = p.slice(under.length).split(sep).filter(Boolean);
      let cur = under;
      for (const part of rel.slice(0, -1)) {
        cur = join(cur, part);
        args.push('--perms', '0755', '--dir', cur);
      }
    }
    args.push('--ro-bind', p, p);
  }
  args.push('--perms', '1777', '--dir', BWRAP_WORKDIR);
  return args;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** uids handed to concurrently running programs: a block of 256 per harness process, far from real accounts. */
export const SANDBOX_UID_BASE = 1_000_000_000;
export function sandboxUid(slot: number): number {
  if (!Number.isInteger(slot) || slot < 0 || slot > 255) throw new RangeError(`sandbox slot ${slot} out of range 0..255`);
  return SANDBOX_UID_BASE + (process.pid % 4_000_000) * 256 + slot;
}
/** Slot used by the detection probes, never by a real run. */
const PROBE_SLOT = 255;

function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const d of [...dirs, '/usr/bin', '/usr/local/bin', '/bin']) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function run(command: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8', env: env ?? { PATH: SANDBOX_PATH }, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolvePromise({ ok: !error, stdout: stdout ?? '', stderr: (stderr ?? '') || (error ? error.message : '') });
    });
  });
}

function isAncestorOrSelf(ancestor: string, p: string): boolean {
  return p === ancestor || p.startsWith(ancestor.endsWith(sep) ? ancestor : ancestor + sep);
}

/** The topmost directory on the way to p (p included) that "others" cannot search, or undefined when an unprivileged uid can reach p. */
function firstUnreachable(p: string): string | undefined {
  const chain: string[] = [];
  for (let cur = p; ; cur = dirname(cur)) {
    chain.unshift(cur);
    if (dirname(cur) === cur) break;
  }
  for (const d of chain) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return d;
    } catch {
      return d;
    }
  }
  return undefined;
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Directories the interpreter needs: its prefix, base prefix and the directory of the executable. */
function pythonPaths(python: PythonInfo): string[] {
  const raw = [python.prefix, python.basePrefix, dirname(python.executable)].map(safeRealpath).filter((p): p is string => !!p);
  const out: string[] = [];
  for (const p of [...new Set(raw)].sort((a, b) => a.length - b.length)) if (!out.some((o) => isAncestorOrSelf(o, p))) out.push(p);
  return out;
}

const SYSTEM_DIRS = ['/usr', '/bin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/sbin', '/tmp', '/var', '/proc', '/dev', '/sys', '/run'];

/**
 * Which host directories to hide and which interpreter directories to bind back:
 * $HOME, the project directory and `extra` are hidden (unless they hold a system directory);
 * with a uid switch, the topmost directory the sandbox uid could not enter on the way to the interpreter is
 * hidden too, so that the interpreter can be exposed by itself.
 */
function hideAndExpose(python: PythonInfo, extra: string[], switchUid: boolean): { hidden: string[]; exposed: string[] } {
  const hidden: string[] = [];
  const addHidden = (p: string) => {
    if (hidden.some((h) => isAncestorOrSelf(h, p))) return;
    for (let i = hidden.length - 1; i >= 0; i--) if (isAncestorOrSelf(p, hidden[i]!)) hidden.splice(i, 1);
    hidden.push(p);
  };
  for (const raw of [homedir(), process.cwd(), ...extra]) {
    const p = safeRealpath(resolve(raw));
    if (!p || p === '/') continue;
    try {
      if (!statSync(p).isDirectory()) continue;
    } catch {
      continue;
    }
    if (SYSTEM_DIRS.some((s) => isAncestorOrSelf(p, s) || isAncestorOrSelf(s, p))) continue;
    addHidden(p);
  }
  const exposed: string[] = [];
  for (const p of pythonPaths(python)) {
    if (switchUid) {
      const blocked = firstUnreachable(p);
      if (blocked && blocked !== p && blocked !== '/') addHidden(blocked);
    }
    if (hidden.some((h) => isAncestorOrSelf(h, p))) exposed.push(p);
  }
  // A hidden path that *is* an interpreter directory would be pointless: keep it visible.
  const keptHidden = hidden.filter((h) => !exposed.includes(h));
  return { hidden: keptHidden, exposed: exposed.filter((e) => keptHidden.some((h) => isAncestorOrSelf(h, e))) };
}

/** Create the per-run host directory with the program in it, readable (and, in `direct`, writable) by the run's uid. */
export async function prepareRunDir(iso: Pick<Isolation, 'layout' | 'switchUid'>, program: string, uid: number): Promise<{ dir: string; programFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'harness-run-'));
  const programFile = 'program.py';
  await writeFile(join(dir, programFile), program, { mode: 0o644 });
  if (iso.switchUid && iso.layout === 'direct') await chown(dir, uid, uid);
  return { dir, programFile };
}

/** Run a trivial program through exactly the command line real programs get. */
async function probeIsolation(base: Omit<Isolation, 'record' | 'warnings'>): Promise<{ ok: boolean; detail: string }> {
  const iso = makeIsolation({ ...base, warnings: [] });
  const uid = sandboxUid(PROBE_SLOT);
  const { dir, programFile } = await prepareRunDir(iso, 'print("sandbox-probe-ok")\n', uid);
  try {
    const spec = buildLaunch(iso, { hostDir: dir, programFile, uid, limits: { ...DEFAULT_LIMITS } });
    const r = await new Promise<{ code: number | null; out: string }>((resolvePromise) => {
      const child = spawn(spec.command, spec.args, { env: spec.env, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      child.stdin.on('error', () => {});
      child.stdin.end('probe-nonce\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', (e) => (out += String(e)));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, out });
      });
    });
    const ok = r.code === 0 && r.out.includes('sandbox-probe-ok') && r.out.includes('probe-nonce');
    return { ok, detail: r.out.trim().split('\n').slice(-3).join(' | ') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let warnedFallback = false;
function warnLoudly(lines: string[]): void {
  if (warnedFallback) return;
  warnedFallback = true;
  const bar = '!'.repeat(78);
  process.stderr.write(`${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n`);
}

const cache = new Map<string, Promise<Isolation>>();

export interface DetectOptions {
  /** Interpreter name or path (default `python3`). */
  python?: string;
  /** `auto` (default, or $HARNESS_SANDBOX): bubblewrap when it works, else fallback. */
  mode?: IsolationMode;
  /** Extra host directories to hide inside bubblewrap (e.g. the shared datasets). */
  hide?: string[];
}

/**
 * Detect (once per python/mode/hide combination) what isolation is available here, by running a probe
 * through exactly the command line real programs get.
 * Throws HarnessError (exit 3) when Python is missing, or when mode `bubblewrap` was asked for and does not work.
 */
export function detectIsolation(opts: DetectOptions = {}): Promise<Isolation> {
  const envMode = process.env.HARNESS_SANDBOX;
  const mode: IsolationMode = opts.mode ?? (envMode === 'bubblewrap' || envMode === 'none' ? envMode : 'auto');
  const python = opts.python ?? 'python3';
  const key = JSON.stringify([python, mode, opts.hide ?? []]);
  let pending = cache.get(key);
  if (!pending) {
    pending = detect(python, mode, opts.hide ?? []);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function detect(pythonName: string, mode: IsolationMode, extraHide: string[]): Promise<Isolation> {
  const python = await checkPython(pythonName);
  const warnings: string[] = [];
  const root = isRoot();

  let bwrapProblem = 'the fallback sandbox was requested (mode "none")';
  if (mode !== 'none') {
    const bwrapPath = findOnPath('bwrap');
    if (!bwrapPath) {
      bwrapProblem = '`bwrap` is not installed';
    } else {
      const v = await run(bwrapPath, ['--version'], 5_000);
      const bwrapVersion = v.stdout.trim().replace(/^bubblewrap\s*/, '') || undefined;
      const attempts: Array<{ layout: IsolationLayout; switchUid: boolean }> = root
        ? [
            { layout: 'bwrap-then-setuid', switchUid: true },
            { layout: 'bwrap-userns', switchUid: false },
          ]
        : [{ layout: 'bwrap-userns', switchUid: false }];
      const problems: string[] = [];
      for (const a of attempts) {
        const { hidden, exposed } = hideAndExpose(python, extraHide, a.switchUid);
        const base = { tool: 'bubblewrap' as const, layout: a.layout, python, bwrapPath, bwrapVersion, switchUid: a.switchUid, hiddenPaths: hidden, exposedPaths: exposed };
        const r = await probeIsolation(base);
        if (r.ok) {
          if (root && !a.switchUid) {
            warnings.push(`could not run bubblewrap as root and switch to an unprivileged uid (${problems.join('; ')}): bubblewrap runs with root's process budget, RLIMIT_NPROC is not enforced and only the timeout stops a fork bomb`);
          }
          return makeIsolation({ ...base, warnings });
        }
        problems.push(`${a.layout}: ${r.detail || 'no output'}`);
      }
      bwrapProblem = `\`${bwrapPath}\` is installed but failed here (${problems.join('; ')}); user namespaces may be disabled`;
    }
    if (mode === 'bubblewrap') {
      throw new HarnessError(`sandbox mode "bubblewrap" was requested but ${bwrapProblem}`, {
        where: 'sandbox for generated code',
        fix: 'install it (Debian/Ubuntu: apt-get install -y bubblewrap) and allow user namespaces, or use the fallback sandbox (HARNESS_SANDBOX=none)',
        exitCode: ExitCode.environment,
      });
    }
  }

  // Fallback. As root, programs should run as a dedicated uid, which must be able to execute the interpreter.
  let programPython = python;
  let switchUid = false;
  if (root) {
    const candidates: PythonInfo[] = [python];
    for (const alt of ['/usr/bin/python3', '/usr/local/bin/python3']) {
      if (!existsSync(alt)) continue;
      try {
        const info = await checkPython(alt);
        if (safeRealpath(info.executable) !== safeRealpath(python.executable)) candidates.push(info);
      } catch {
        // not usable
      }
    }
    const problems: string[] = [];
    for (const c of candidates) {
      const r = await probeIsolation({ tool: 'none', layout: 'direct', python: c, switchUid: true, hiddenPaths: [], exposedPaths: [] });
      if (r.ok) {
        switchUid = true;
        programPython = c;
        if (c !== python) warnings.push(`programs run with ${c.executable} (Python ${c.version}): the unprivileged sandbox uid cannot execute ${python.executable}`);
        break;
      }
      problems.push(`${c.executable}: ${r.detail}`);
    }
    if (!switchUid) warnings.push(`running as root but could not run programs as an unprivileged uid (${problems.join('; ')}): the process limit is NOT enforced and programs can write anywhere`);
  }

  if (!switchUid) warnings.push('programs run as the harness user: processes that leave their process group (setsid + fork) can outlive the run');
  const who = switchUid ? 'a dedicated unprivileged uid (cannot touch other users\' files)' : 'the SAME user as the harness (can read and write whatever it can)';
  warnings.unshift(`no bubblewrap: ${bwrapProblem}; programs share the network and can read the filesystem`);
  warnLoudly([
    `WARNING: code sandbox: bubblewrap is not in use: ${bwrapProblem}.`,
    'Generated programs run with WEAKER isolation: a fresh temp dir, an emptied environment,',
    `rlimits (memory, processes, file size), their own process group, as ${who}.`,
    'They can open network connections and read files on this machine.',
    'For real isolation install bubblewrap: apt-get install -y bubblewrap',
  ]);
  return makeIsolation({ tool: 'none', layout: 'direct', python: programPython, switchUid, hiddenPaths: [], exposedPaths: [], warnings });
}

function makeIsolation(base: Omit<Isolation, 'record'>): Isolation {
  return {
    ...base,
    record(limits: Partial<SandboxLimits> = {}): IsolationRecord {
      const l = { ...DEFAULT_LIMITS, ...limits };
      const bw = base.tool === 'bubblewrap';
      return {
        tool: base.tool,
        ...(bw && base.bwrapVersion ? { bubblewrapVersion: base.bwrapVersion } : {}),
        layout: base.layout,
        network: bw ? 'isolated' : 'shared',
        filesystem: bw ? 'read-only-root' : base.switchUid ? 'unprivileged-user' : 'cwd-only-by-convention',
        user: base.switchUid ? 'dedicated-uid' : 'harness-user',
        pidNamespace: bw,
        environment: 'cleared',
        hiddenPaths: [...base.hiddenPaths],
        exposedPaths: [...base.exposedPaths],
        python: { executable: base.python.executable, version: base.python.version, startup: `${PYTHON_FLAGS.join(' ')}; site-packages on sys.path, .pth import hooks not run` },
        // In bubblewrap's user namespace RLIMIT_NPROC counts that namespace's processes only.
        limits: { ...l, processLimit: base.switchUid || (base.layout === 'bwrap-userns' && !isRoot()) ? 'per-program' : isRoot() ? 'none' : 'approximate' },
        warnings: [...base.warnings],
      };
    },
  };
}
