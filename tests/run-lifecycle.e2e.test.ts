/**
 * A run's life on real files (stories260K, ARC-Challenge rows): the fingerprints a run starts with, resume
 * refusing changed inputs (data, template, model files), the lock, failed and interrupted states, and the exit
 * codes of the CLI's `main` (in this process, so that run and resume are the same code).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessConfigSchema, type HarnessConfigInput } from '../src/config/schema.ts';
import { HarnessError } from '../src/core/errors.ts';
import { main } from '../src/cli/main.ts';
import { readRunRecord, readSamples, samplesFile } from '../src/results/files.ts';
import { RunLock } from '../src/runner/lock.ts';
import { loadModel, resumeEvaluation, runEvaluation } from '../src/runner/run.ts';
import type { ModelBackend } from '../src/models/backend.ts';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';

const silent = { start() {}, update() {}, stop() {}, log() {} };

/** Runs the CLI's main() here; returns its exit code and what it printed. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(['node', 'harness', ...args]);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

describe.skipIf(!hasShared)(`guarded runs ${hasShared ? '' : skipReason}`, () => {
  let dir: string;
  let n = 0;
  /** A fresh copy of the inputs: 12 ARC-Challenge rows as data, a task file `arc_mini`, a model folder of copies. */
  const inputs = () => {
    const root = join(dir, `case-${n++}`);
    mkdirSync(join(root, 'data', 'arc'), { recursive: true });
    mkdirSync(join(root, 'tasks'));
    mkdirSync(join(root, 'model', 'onnx'), { recursive: true });
    const rows = readFileSync(join(datasetsDir, 'arc', 'arc_challenge.jsonl'), 'utf8').split('\n').slice(0, 12);
    writeFileSync(join(root, 'data', 'arc', 'mini.jsonl'), rows.join('\n') + '\n');
    writeFileSync(
      join(root, 'tasks', 'arc_mini.yaml'),
      'name: arc_mini\nkind: multiple_choice\ndataset: { format: jsonl, path: arc/mini.jsonl, required: [query, choices, gold] }\nsplit: test\nprompt:\n  doc_to_text: "{{ query }}\\nAnswer:"\n  doc_to_choice: choices\n  doc_to_target: gold\n',
    );
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) copyFileSync(join(stories260K, f), join(root, 'model', f));
    copyFileSync(join(stories260K, 'onnx', 'model_quantized.onnx'), join(root, 'model', 'onnx', 'model_quantized.onnx'));
    const config = (extra: Partial<HarnessConfigInput> = {}) =>
      HarnessConfigSchema.parse({
        model: { id: join(root, 'model'), dtype: 'q8' },
        tasks: ['arc_mini'],
        taskDirs: [join(root, 'tasks')],
        dataDir: join(root, 'data'),
        output: join(root, 'out'),
        chunkSize: 4,
        progress: 'off',
        ...extra,
      });
    return { root, config };
  };
  /** A run of 12 documents stopped after its first chunk of 4. */
  const interrupted = async (c: ReturnType<ReturnType<typeof inputs>['config']>) => (await runEvaluation(c, { progress: silent, out: () => {}, stopAfterChunks: 1 })).runDir;
  const refusal = async (runDir: string) => {
    const err = await resumeEvaluation(runDir, { progress: silent, out: () => {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).exitCode).toBe(2);
    return (err as HarnessError).message;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-lifecycle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('run.json is written at creation with the fingerprints, and a run stopped early says interrupted', async () => {
    const { root, config } = inputs();
    const runDir = await interrupted(config());
    const record = readRunRecord(runDir);
    expect(record.status).toBe('interrupted');
    expect(record.sessions).toHaveLength(1);
    expect(record.sessions[0]).toMatchObject({ ended: 'interrupted', documents: 4 });
    expect(record.fingerprints.tasks.arc_mini.dataset_files).toEqual([{ source: join(root, 'data', 'arc', 'mini.jsonl'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rows: 12 }]);
    expect(record.fingerprints.model.files.map((f) => f.name).sort()).toEqual(['config.json', 'generation_config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(record.harness.code_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    // Unchanged inputs: the resume goes through and ends with the metrics of an uninterrupted run.
    const resumed = await resumeEvaluation(runDir, { progress: silent, out: () => {} });
    const whole = await runEvaluation(config(), { progress: silent, out: () => {} });
    expect(readRunRecord(runDir).results).toEqual(readRunRecord(whole.runDir).results);
    expect(readSamples(samplesFile(runDir, 'arc_mini'))).toHaveLength(12);
  });

  it('resume refuses a changed dataset file, naming it (exit code 2); --allow-changes resumes and records the change', async () => {
    const { root, config } = inputs();
    const runDir = await interrupted(config());
    const data = join(root, 'data', 'arc', 'mini.jsonl');
    writeFileSync(data, readFileSync(data, 'utf8').replace('"gold": 2', '"gold": 1'));
    const message = await refusal(runDir);
    expect(message).toContain(`task arc_mini: data file ${data} changed`);
    expect(readRunRecord(runDir).sessions).toHaveLength(1); // nothing written
    const c = await cli('run', '--resume', runDir);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/inputs changed since it started/);
    expect(c.stderr).toMatch(/--allow-changes/);
    expect(c.stderr).not.toMatch(/internal error|\n\s+at /);
    const accepted = await resumeEvaluation(runDir, { progress: silent, out: () => {}, allowChanges: true });
    expect(accepted.record.status).toBe('complete');
    expect(accepted.record.sessions[1].accepted_changes).toEqual([expect.stringContaining(`data file ${data} changed`)]);
  });

  it('resume refuses a changed prompt template', async () => {
    const { root, config } = inputs();
    const runDir = await interrupted(config());
    const task = join(root, 'tasks', 'arc_mini.yaml');
    writeFileSync(task, readFileSync(task, 'utf8').replace('\\nAnswer:', '\\nA:'));
    const message = await refusal(runDir);
    expect(message).toContain(`task arc_mini: its prompt templates changed (${task})`);
  });

  it('resume refuses changed model weights, and a tokenizer config that gained a chat template', async () => {
    const { root, config } = inputs();
    const runDir = await interrupted(config());
    copyFileSync(join(stories260K, 'onnx', 'model.onnx'), join(root, 'model', 'onnx', 'model_quantized.onnx'));
    const tc = join(root, 'model', 'tokenizer_config.json');
    writeFileSync(tc, JSON.stringify({ ...JSON.parse(readFileSync(tc, 'utf8')), chat_template: '{{ messages[0].content }}' }));
    const message = await refusal(runDir);
    expect(message).toMatch(/model file onnx\/model_quantized\.onnx changed \(sha256 8eddbca1d219… → [0-9a-f]{12}…\)/);
    expect(message).toMatch(/model file tokenizer_config\.json changed/);
  });

  it('a second process on the same folder fails at once; a lock left by a dead process is taken over', async () => {
    const { config } = inputs();
    const runDir = await interrupted(config());
    const held = RunLock.acquire(runDir);
    try {
      const c = await cli('run', '--resume', runDir);
      expect(c.code).toBe(2);
      expect(c.stderr).toContain(`the run folder is in use by process ${process.pid}`);
    } finally {
      held.release();
    }
    // A lock whose owner is gone (killed with SIGKILL): taken over without waiting.
    writeFileSync(join(runDir, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), started_at: '2020-01-01T00:00:00Z', proc_start: null }));
    const resumed = await resumeEvaluation(runDir, { progress: silent, out: () => {} });
    expect(resumed.record.status).toBe('complete');
  });

  it('resuming a complete run changes nothing: run.json stays byte-identical and the table is printed', async () => {
    const { config } = inputs();
    const { runDir } = await runEvaluation(config(), { progress: silent, out: () => {} });
    const before = readFileSync(join(runDir, 'run.json'));
    const c = await cli('run', '--resume', runDir);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/is already complete: nothing to resume/);
    expect(c.stdout).toMatch(/arc_mini\s+acc\s+\d\.\d{4}/);
    expect(readFileSync(join(runDir, 'run.json')).equals(before)).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual(['run.json', 'samples-arc_mini.jsonl']);
  });

  it('harness show prints a run again in four formats, and says how an unfinished run stands', async () => {
    const { config } = inputs();
    const { runDir, record } = await runEvaluation(config(), { progress: silent, out: () => {} });
    const acc = readRunRecord(runDir).results.arc_mini.metrics.acc;
    const table = await cli('show', runDir);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/complete \(/);
    expect(table.stdout).toMatch(new RegExp(`arc_mini\\s+acc\\s+${acc.value!.toFixed(4)}\\s+${acc.stderr!.toFixed(4)}\\s+12`));
    const csv = await cli('show', runDir, '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('task,group,metric,value,stderr,ci95_low,ci95_high,n');
    expect(csv.stdout).toContain(`arc_mini,,acc,${acc.value},${acc.stderr},${acc.ci95![0]},${acc.ci95![1]},12`);
    const json = JSON.parse((await cli('show', runDir, '--format', 'json')).stdout) as { status: string; metrics: { metric: string; value: number }[] };
    expect(json.status).toBe('complete');
    expect(json.metrics.find((m) => m.metric === 'acc')!.value).toBe(acc.value);
    expect((await cli('show', runDir, '--format', 'markdown')).stdout).toMatch(/^\*\*[^*]+\*\*: complete[\s\S]*\| task \| metric \| value \|/);
    expect(record.status).toBe('complete');
    const stopped = await interrupted(config());
    expect((await cli('show', stopped)).stdout).toMatch(new RegExp(`interrupted; finish it with: harness run --resume ${stopped}`));
    expect((await cli('show', join(dir, 'nowhere'))).code).toBe(2);
    expect((await cli('show', runDir, '--format', 'xml')).code).toBe(2);
  });

  it('a failure after the folder exists ends with status failed and the reason; disk full is exit code 3 without a stack trace', async () => {
    const { config } = inputs();
    const runDir = await interrupted(config());
    // Every run.json write goes through run.json.tmp: pointed at /dev/full, the next write fails with ENOSPC.
    symlinkSync('/dev/full', join(runDir, 'run.json.tmp'));
    const c = await cli('run', '--resume', runDir);
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/error: no space left on the device/);
    expect(c.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    rmSync(join(runDir, 'run.json.tmp'));
    // A failure that can be written down: the device is lost in the middle of scoring (the second chunk).
    const { config: config2 } = inputs();
    const c2 = config2();
    const real = await loadModel(c2.model);
    let calls = 0;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'loglikelihood') {
          return async (reqs: Parameters<ModelBackend['loglikelihood']>[0]) => {
            if (++calls === 2) throw new HarnessError('the device was lost', { where: 'cpu', fix: 'check the device', exitCode: 3 });
            return target.loglikelihood(reqs);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    try {
      const lines: string[] = [];
      const err = await runEvaluation(c2, { model: flaky, progress: silent, out: (l) => lines.push(l) }).then(
        () => null,
        (e: unknown) => e as HarnessError,
      );
      expect(err?.message).toBe('the device was lost');
      // The folder was printed when it was created, and says why the run ended.
      const failedDir = lines[0].replace(/^run folder: /, '');
      const record = readRunRecord(failedDir);
      expect(record.status).toBe('failed');
      expect(record.failure).toMatchObject({ message: 'the device was lost', where: 'cpu', fix: 'check the device', exit_code: 3 });
      expect(record.sessions[0]).toMatchObject({ ended: 'failed', documents: 4 });
      expect(readSamples(samplesFile(failedDir, 'arc_mini'))).toHaveLength(4);
      expect(existsSync(join(failedDir, 'run.lock'))).toBe(false);
      // A failed run is resumed like an interrupted one.
      const resumed = await resumeEvaluation(failedDir, { model: real, progress: silent, out: () => {} });
      expect(resumed.record.status).toBe('complete');
      expect(resumed.record.failure).toBeNull();
    } finally {
      await real.dispose();
    }
  });

  it('exit codes: usage errors 2, gate names checked before the model loads, output problems 3', async () => {
    const { root } = inputs();
    const base = ['run', '--model', join(root, 'model'), '--task-dir', join(root, 'tasks'), '--tasks', 'arc_mini', '--data-dir', join(root, 'data'), '--progress', 'off'];
    expect((await cli(...base, '--dtype', 'q9')).code).toBe(2);
    const misspelt = await cli(...base, '--limt', '3');
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toMatch(/unknown option '--limt'/);
    const gate = await cli(...base, '--output', join(root, 'out'), '--min-metric', 'arc_mini/accuracy=0.3');
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(/task arc_mini reports no metric "accuracy"/);
    expect(gate.stderr).toMatch(/arc_mini\/acc, arc_mini\/acc_norm/);
    expect(existsSync(join(root, 'out'))).toBe(false); // nothing was created
    const gateTask = await cli(...base, '--output', join(root, 'out'), '--min-metric', 'mmlu/acc=0.3');
    expect(gateTask.code).toBe(2);
    expect(gateTask.stderr).toMatch(/task "mmlu" is not part of this run/);
    // --output is a file, or below a file: exit code 3 before the model loads.
    writeFileSync(join(root, 'a-file'), 'x');
    for (const output of [join(root, 'a-file'), join(root, 'a-file', 'results')]) {
      const r = await cli(...base, '--output', output);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/--output/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    // A full disk shows when the output is checked (the write probe there points at /dev/full).
    mkdirSync(join(root, 'full'));
    symlinkSync('/dev/full', join(root, 'full', `.harness-write-check-${process.pid}`));
    const full = await cli(...base, '--output', join(root, 'full'));
    expect(full.code).toBe(3);
    expect(full.stderr).toMatch(/no space left on the device/);
    // A corrupt .gz dataset is an environment error naming the file.
    writeFileSync(join(root, 'data', 'arc', 'mini.jsonl.gz'), 'this is not gzip');
    writeFileSync(join(root, 'tasks', 'arc_gz.yaml'), readFileSync(join(root, 'tasks', 'arc_mini.yaml'), 'utf8').replace('name: arc_mini', 'name: arc_gz').replace('arc/mini.jsonl', 'arc/mini.jsonl.gz'));
    const gz = await cli(...base.map((a) => (a === 'arc_mini' ? 'arc_gz' : a)), '--output', join(root, 'out'));
    expect(gz.code).toBe(3);
    expect(gz.stderr).toContain(`cannot decompress ${join(root, 'data', 'arc', 'mini.jsonl.gz')}`);
  });
});
