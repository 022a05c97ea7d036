/**
 * Finding the Python interpreter that runs generated code (HumanEval, MBPP).
 *
 * The sandbox runs programs with an absolute interpreter path and an emptied environment,
 * so the interpreter is resolved once here (PATH lookup, version, prefixes) and reused.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { HarnessError, ExitCode } from '../core/errors.ts';

export interface PythonInfo {
  /** What was asked for, e.g. `python3` or `/opt/py/bin/python`. */
  requested: string;
  /** Absolute path of the interpreter (`sys.executable`). */
  executable: string;
  /** `3.11.7` */
  version: string;
  major: number;
  minor: number;
  /** `sys.prefix` and `sys.base_prefix`: directories the sandbox must keep visible. */
  prefix: string;
  basePrefix: string;
}

/** The oldest Python the harness accepts (HumanEval/MBPP tests need nothing newer). */
export const MIN_PYTHON: readonly [number, number] = [3, 8];

const PROBE = 'import sys, json; print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "major": sys.version_info[0], "minor": sys.version_info[1], "prefix": sys.prefix, "basePrefix": getattr(sys, "base_prefix", sys.prefix)}))';

const cache = new Map<string, Promise<PythonInfo>>();

function probe(python: string): Promise<PythonInfo> {
  return new Promise((resolvePromise, reject) => {
    execFile(python, ['-I', '-c', PROBE], { timeout: 15_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const fix = `install Python >= ${MIN_PYTHON.join('.')} (Debian/Ubuntu: apt-get install -y python3) or point the harness at an interpreter with --python /path/to/python3`;
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const message =
          code === 'ENOENT'
            ? `Python interpreter "${python}" not found`
            : `Python interpreter "${python}" could not be run: ${(stderr || error.message).trim().split('\n').slice(-3).join(' ')}`;
        reject(new HarnessError(message, { where: 'code tasks (HumanEval, MBPP) execute generated programs with Python', fix, exitCode: ExitCode.environment, cause: error }));
        return;
      }
      let info: Omit<PythonInfo, 'requested'>;
      try {
        info = JSON.parse(stdout.trim().split('\n').pop() ?? '');
      } catch (cause) {
        reject(new HarnessError(`Python interpreter "${python}" printed something unexpected when asked for its version: ${stdout.slice(0, 200)}`, { fix, exitCode: ExitCode.environment, cause }));
        return;
      }
      if (info.major < MIN_PYTHON[0] || (info.major === MIN_PYTHON[0] && info.minor < MIN_PYTHON[1])) {
        reject(
          new HarnessError(`Python ${info.version} at ${info.executable} is too old: code tasks need Python >= ${MIN_PYTHON.join('.')}`, {
            where: `interpreter "${python}"`,
            fix,
            exitCode: ExitCode.environment,
          }),
        );
        return;
      }
      let executable = info.executable;
      try {
        // Keep the path as Python reports it (a venv's bin/python must stay a venv), only make sure it exists.
        realpathSync(executable);
      } catch {
        executable = python;
      }
      resolvePromise({ requested: python, ...info, executable });
    });
  });
}

/**
 * Resolve `python` (a name looked up in PATH or a path), require Python >= 3.8.
 * Throws a HarnessError with exit code 3 (environment) when it is missing, broken or too old.
 * The result is cached per name; a failed lookup is not cached.
 */
export function checkPython(python = 'python3'): Promise<PythonInfo> {
  let pending = cache.get(python);
  if (!pending) {
    pending = probe(python);
    cache.set(python, pending);
    pending.catch(() => cache.delete(python));
  }
  return pending;
}
