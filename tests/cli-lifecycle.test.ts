/**
 * The run lifecycle through the real `harness` command in separate processes: a process killed with SIGKILL at
 * any moment of its first second leaves either nothing or a run folder that `--resume` finishes with the same
 * metrics as an uninterrupted run; two processes on one folder never both write it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'harness.js');

function harness(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI; resolves once its stdout has printed a line matching `until` (or it exits). */
function start(args: string[], until: RegExp): Promise<{ child: ChildProcess; line: string | null; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((res) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.split('\n').find((l) => until.test(l));
      if (m !== undefined) res({ child, line: m, exited });
    });
    child.stderr!.resume();
    void exited.then(() => res({ child, line: null, exited }));
  });
}

const metrics = (runDir: string) => (JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { results: unknown }).results;

describe.skipIf(!hasShared)(`the run lifecycle across processes ${hasShared ? '' : skipReason}`, () => {
  let dir: string;
  const args = (out: string, ...extra: string[]) => ['run', '--model', stories260K, '--dtype', 'q8', '--tasks', 'arc_challenge', '--limit', '40', '--data-dir', datasetsDir, '--output', out, '--progress', 'off', ...extra];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-procs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a kill -9 in the first second leaves no empty folder, and --resume finishes what it left with the same metrics', async () => {
    const reference = harness(args(join(dir, 'reference')));
    expect(reference.code).toBe(0);
    const refDir = reference.stdout.match(/^run folder: (.+)$/m)![1];
    let resumedAny = false;
    for (const [i, delay] of [250, 700, 1100].entries()) {
      const out = join(dir, `kill-${i}`);
      const child = spawn(process.execPath, [BIN, ...args(out)], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const left = existsSync(out) ? readdirSync(out).filter((n) => !n.startsWith('.')) : [];
      for (const name of left) {
        // Every visible folder is a run: it has its run.json, and it can be finished.
        expect(existsSync(join(out, name, 'run.json'))).toBe(true);
        const r = harness(['run', '--resume', join(out, name), '--progress', 'off']);
        expect(r.code, r.stderr).toBe(0);
        expect(metrics(join(out, name))).toEqual(metrics(refDir));
        resumedAny = true;
      }
    }
    // Killed once scoring has begun (the folder printed): resumed to the same metrics.
    const out = join(dir, 'kill-started');
    const { child, line, exited } = await start(args(out), /^run folder: /);
    child.kill('SIGKILL');
    await exited;
    if (line) {
      const runDir = line.replace(/^run folder: /, '');
      const r = harness(['run', '--resume', runDir, '--progress', 'off']);
      expect(r.code, r.stderr).toBe(0);
      expect(metrics(runDir)).toEqual(metrics(refDir));
      resumedAny = true;
    }
    expect(resumedAny).toBe(true);
  });

  it('a second process on a folder in use fails at once; the first finishes with every document once', async () => {
    const out = join(dir, 'two');
    // A longer run (generation), so that the second process starts while the first is at work.
    const a = await start(['run', '--model', stories260K, '--tasks', 'refusal', '--limit', '30', '--max-new-tokens', '64', '--output', out, '--progress', 'off'], /^run folder: /);
    expect(a.line).not.toBeNull();
    const runDir = a.line!.replace(/^run folder: /, '');
    const b = harness(['run', '--resume', runDir, '--progress', 'off']);
    expect(await a.exited).toBe(0);
    const ids = readFileSync(join(runDir, 'samples-refusal.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { doc_id: string }).doc_id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    // b either found the folder in use (the usual case), or came after a finished: never both writing.
    if (b.code === 2) expect(b.stderr).toMatch(new RegExp(`in use by process ${a.child.pid}`));
    else expect(b.stdout).toMatch(/already complete/);
  });
});
