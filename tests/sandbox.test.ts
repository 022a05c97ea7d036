/**
 * The sandbox against hostile programs. Every test runs twice: with the isolation detected here
 * (bubblewrap when it works) and with the fallback (no bubblewrap), because CI machines without bubblewrap
 * rely on the fallback. Each hostile program must leave this (vitest) process running and produce the
 * right outcome. Tests whose protection a layout does not give are skipped with the reason in their name.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutorPool, describeSandbox, executeProgram, type ExecuteOptions } from '../src/sandbox/executor.ts';
import { detectIsolation, isRoot, sandboxUid, type IsolationMode } from '../src/sandbox/isolation.ts';
import { checkPython } from '../src/sandbox/python.ts';
import { HarnessError } from '../src/core/errors.ts';

/**
 * Live processes under this harness's sandbox uids (there must be none after a run). Zombies are not
 * counted: killed orphans belong to init until it reaps them, which on some machines takes a second or two.
 */
function sandboxProcesses(): number[] {
  const lo = sandboxUid(0);
  const hi = sandboxUid(255);
  const found: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const status = readFileSync(`/proc/${e}/status`, 'latin1');
      const m = /\nUid:\s+(\d+)/.exec(status);
      if (m && Number(m[1]) >= lo && Number(m[1]) <= hi && !/\nState:\s+[ZX]/.test(status)) found.push(Number(e));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const modes: IsolationMode[] = ['auto', 'none'];
// Detected before the tests are collected so that skips carry their reason in the test name.
const detected = new Map(await Promise.all(modes.map(async (m) => [m, await detectIsolation({ mode: m })] as const)));

describe('python interpreter check', () => {
  it('finds python3 >= 3.8', async () => {
    const info = await checkPython();
    expect(info.major).toBe(3);
    expect(info.minor).toBeGreaterThanOrEqual(8);
    expect(info.executable.startsWith('/')).toBe(true);
  });

  it('a missing interpreter is an environment error (exit code 3)', async () => {
    const err = await checkPython('/nonexistent/python3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).exitCode).toBe(3);
    expect((err as HarnessError).message).toMatch(/not found/);
  });

  it('an interpreter older than 3.8 is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-test-py-'));
    const fake = join(dir, 'python');
    writeFileSync(fake, `#!/bin/sh\necho '{"executable": "${fake}", "version": "3.6.9", "major": 3, "minor": 6, "prefix": "/", "basePrefix": "/"}'\n`);
    chmodSync(fake, 0o755);
    try {
      const err = await checkPython(fake).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HarnessError);
      expect((err as HarnessError).exitCode).toBe(3);
      expect((err as HarnessError).message).toMatch(/3\.6\.9 .* too old/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(modes)('sandbox, isolation mode "%s"', (mode) => {
  const iso = detected.get(mode)!;
  const record = iso.record();
  const opts: ExecuteOptions = { isolation: mode };
  const sameUser = record.user === 'harness-user' && record.tool === 'none';
  const sameUserWhy = ' [skipped: without bubblewrap and without root the program runs as the harness user, which this protection needs]';

  afterAll(() => {
    expect(sandboxProcesses()).toEqual([]);
  });

  it('describes what is in force', async () => {
    const r = await describeSandbox({ ...opts, timeoutSeconds: 2 });
    expect(r.limits.timeoutSeconds).toBe(2);
    expect(r.environment).toBe('cleared');
    if (mode === 'none') {
      expect(r.tool).toBe('none');
      expect(r.network).toBe('shared');
      expect(r.warnings.join(' ')).toMatch(/no bubblewrap/);
    }
    if (r.tool === 'bubblewrap') {
      expect(r.network).toBe('isolated');
      expect(r.filesystem).toBe('read-only-root');
      expect(r.pidNamespace).toBe(true);
    }
    if (isRoot()) expect(r.user).toBe('dedicated-uid');
    console.info(`[sandbox ${mode}] ${JSON.stringify(r)}`);
  });

  it('a correct program passes, a failing assert fails with the assertion in stderr', async () => {
    const ok = await executeProgram('def f(x):\n    return x + 1\nassert f(1) == 2\nprint("fine")\n', opts);
    expect(ok.status).toBe('passed');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdoutTail.trim()).toBe('fine');
    const bad = await executeProgram('def f(x):\n    return x\nassert f(1) == 2, "f(1) should be 2"\n', opts);
    expect(bad.status).toBe('failed');
    expect(bad.reason).toBe('exception');
    expect(bad.error).toBe('AssertionError: f(1) should be 2');
    expect(bad.stderrTail).toMatch(/Traceback/);
    const syntax = await executeProgram('def f(:\n', opts);
    expect(syntax.status).toBe('failed');
    expect(syntax.error).toMatch(/^SyntaxError/);
  });

  it('infinite loop: timeout', async () => {
    const o = await executeProgram('while True:\n    pass\n', { ...opts, timeoutSeconds: 1 });
    expect(o.status).toBe('timeout');
    expect(o.reason).toBe('time');
    // The limit is on time the program could run: waiting for a CPU on a loaded machine is not charged.
    expect(o.chargedSeconds).toBeGreaterThanOrEqual(1);
    expect(o.chargedSeconds).toBeLessThan(2);
    expect(o.durationSeconds).toBeGreaterThanOrEqual(o.chargedSeconds);
  });

  it('os._exit(0) or sys.exit(0) before the checks run does not pass (success marker missing)', async () => {
    const checks = 'def check(f):\n    assert f(2) == 5\n';
    for (const early of ['import os\nos._exit(0)\n', 'import sys\nsys.exit(0)\n', 'raise SystemExit\n']) {
      const o = await executeProgram(`def f(x):\n    return 0\n${early}${checks}check(f)\n`, opts);
      expect(o.status).toBe('failed');
      expect(o.reason).toBe('no-success-marker');
      expect(o.exitCode).toBe(0);
    }
    // Printing something that looks like a marker does not help either.
    const o = await executeProgram('import os\nprint("\\n" + "0" * 36)\nos._exit(0)\n', opts);
    expect(o.status).toBe('failed');
  });

  it.skipIf(record.limits.processLimit === 'none')(
    `fork bomb: stopped by the process cap, the machine survives${record.limits.processLimit === 'none' ? ' [skipped: root without a uid switch, RLIMIT_NPROC is not enforced]' : ''}`,
    async () => {
      const limits = { ...opts, maxProcesses: 16, timeoutSeconds: 3 };
      // Dies at the first failed fork: the traceback names the limit.
      const naive = await executeProgram('import os\nwhile True:\n    os.fork()\n', limits);
      expect(['killed', 'failed']).toContain(naive.status);
      expect(naive.reason).toBe('processes');
      expect(naive.error).toMatch(/BlockingIOError/);
      // Survives failed forks and keeps every slot busy: killed at the timeout, blamed on the process cap.
      const stubborn = await executeProgram('import os, time\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)\n', limits);
      expect(stubborn.status).toBe('killed');
      expect(stubborn.reason).toBe('processes');
      expect(stubborn.chargedSeconds).toBeLessThan(6);
      // Nothing is left behind and the sandbox still works.
      expect(sandboxProcesses()).toEqual([]);
      const after = await executeProgram('print(1)\n', opts);
      expect(after.status).toBe('passed');
    },
  );

  it.skipIf(sameUser)(`children that leave the process group are killed too${sameUser ? ' [skipped: without bubblewrap and without root such children cannot be found; they outlive the run]' : ''}`, async () => {
    const o = await executeProgram('import os, time\nfor i in range(3):\n    if os.fork() == 0:\n        os.setsid()\n        time.sleep(60)\n        os._exit(0)\nprint("parent done")\n', { ...opts, timeoutSeconds: 3 });
    expect(o.status).toBe('passed');
    // Not waited for: the children sleep 60 s.
    expect(o.chargedSeconds).toBeLessThan(3);
    expect(sandboxProcesses()).toEqual([]);
  });

  it('allocating tens of GB: MemoryError under RLIMIT_AS, failed with reason memory', async () => {
    const o = await executeProgram('x = bytearray(30 * 1024 ** 3)\n', { ...opts, memoryMB: 512 });
    expect(o.status).toBe('failed');
    expect(o.reason).toBe('memory');
    expect(o.error).toBe('MemoryError');
    const grow = await executeProgram('chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024 * 1024))\n', { ...opts, memoryMB: 512, timeoutSeconds: 10 });
    expect(grow.status).toBe('failed');
    expect(grow.reason).toBe('memory');
  });

  it('printing gigabytes: killed at the output cap', async () => {
    const cap = 256 * 1024;
    const o = await executeProgram('import sys\nline = "x" * 65535 + "\\n"\nwhile True:\n    sys.stdout.write(line)\n', { ...opts, maxOutputBytes: cap, timeoutSeconds: 10 });
    expect(o.status).toBe('killed');
    expect(o.reason).toBe('output');
    expect(o.chargedSeconds).toBeLessThan(5);
    expect(o.stdoutTail.length).toBeLessThanOrEqual(2048);
    expect(o.stdoutTail).toMatch(/^x+/);
  });

  it.skipIf(sameUser)(`cannot delete or overwrite a canary file outside its directory${sameUser ? sameUserWhy : ''}`, async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'harness-canary-')), mkdtempSync(join('/var/tmp', 'harness-canary-'))];
    const files = dirs.map((d) => join(d, 'canary.txt'));
    for (const f of files) writeFileSync(f, 'original canary\n');
    try {
      const attack = [
        'import os, shutil',
        `files = ${JSON.stringify(files)}`,
        'done = []',
        'for f in files:',
        '    for what, act in [("write", lambda: open(f, "w").write("pwned")), ("append", lambda: open(f, "a").write("pwned")),',
        '                      ("remove", lambda: os.remove(f)), ("rmtree", lambda: shutil.rmtree(os.path.dirname(f))),',
        '                      ("rename", lambda: os.rename(f, f + ".moved"))]:',
        '        try:',
        '            act()',
        '            done.append(what + " " + f)',
        '        except OSError as e:',
        '            pass',
        'print("succeeded:", done)',
      ].join('\n');
      const o = await executeProgram(attack, opts);
      expect(o.status).toBe('passed');
      expect(o.stdoutTail.trim()).toBe('succeeded: []');
      for (const f of files) expect(readFileSync(f, 'utf8')).toBe('original canary\n');
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('cannot see an environment variable of the harness', async () => {
    const secret = `secret-${randomBytes(8).toString('hex')}`;
    process.env.HARNESS_SECRET_CANARY = secret;
    try {
      const program = [
        'import os',
        'assert "HARNESS_SECRET_CANARY" not in os.environ, "parent environment leaked"',
        `assert not any("${secret}" in v for v in os.environ.values())`,
        'print(sorted(os.environ))',
      ].join('\n');
      const o = await executeProgram(program, opts);
      expect(o.status).toBe('passed');
      expect(o.stdoutTail).not.toContain('HARNESS_SECRET_CANARY');
      // Only the minimal environment (bubblewrap adds PWD).
      const names = JSON.parse(o.stdoutTail.trim().replace(/'/g, '"')) as string[];
      expect(names.filter((n) => n !== 'PWD')).toEqual(['HOME', 'LANG', 'LC_ALL', 'PATH', 'PYTHONDONTWRITEBYTECODE', 'PYTHONIOENCODING', 'TMPDIR']);
    } finally {
      delete process.env.HARNESS_SECRET_CANARY;
    }
  });

  describe.skipIf(record.network === 'shared')(`network${record.network === 'shared' ? ' [skipped: isolation "none" shares the host network]' : ''}`, () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((s) => {
        connections++;
        s.destroy();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('cannot connect to a port the harness listens on', async () => {
      // Sanity: the port is reachable from outside the sandbox.
      const { connect } = await import('node:net');
      await new Promise<void>((resolveConnect, reject) => {
        const c = connect(port, '127.0.0.1', () => {
          c.destroy();
          resolveConnect();
        });
        c.on('error', reject);
      });
      const before = connections;
      const program = `import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=2).close()\n    print("CONNECTED")\nexcept OSError as e:\n    print("BLOCKED", type(e).__name__)\n`;
      const o = await executeProgram(program, opts);
      expect(o.status).toBe('passed');
      expect(o.stdoutTail).toMatch(/^BLOCKED/);
      await new Promise((r) => setTimeout(r, 100));
      expect(connections).toBe(before);
    });
  });

  it.skipIf(sameUser)(`killing its parent and its process group leaves the harness running${sameUser ? sameUserWhy : ''}`, async () => {
    const program = [
      'import os, signal',
      'for what, act in [("ppid", lambda: os.kill(os.getppid(), signal.SIGKILL)), ("all", lambda: os.kill(-1, signal.SIGKILL))]:',
      '    try:',
      '        act()',
      '    except OSError as e:',
      '        print(what, "refused:", e)',
      'os.killpg(os.getpgid(0), signal.SIGKILL)',
      'print("still here")',
    ].join('\n');
    const o = await executeProgram(program, opts);
    expect(['killed', 'failed']).toContain(o.status);
    expect(o.status).not.toBe('passed');
    expect(o.stdoutTail).not.toContain('still here');
    expect(alive(process.pid)).toBe(true);
    expect(alive(process.ppid)).toBe(true);
    const after = await executeProgram('print(2)\n', opts);
    expect(after.status).toBe('passed');
  });

  it('a concurrent pool runs programs at most `concurrency` at a time', async () => {
    expect(createExecutorPool().concurrency).toBe(availableParallelism());
    const pool = createExecutorPool(2, opts);
    const program = 'import time\ntime.sleep(0.4)\n';
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => pool.run(program)));
    const seconds = (performance.now() - started) / 1000;
    expect(outcomes.map((o) => o.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(seconds).toBeGreaterThanOrEqual(0.8); // two rounds of two
    expect(seconds).toBeLessThan(4);
  });
});
