import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'harness.js');

/** Runs the real CLI (as `npx harness` would) in `cwd`; returns exit code and output. */
function harness(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI basics', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help works on every command and exits 0', () => {
    for (const cmd of [[], ['run'], ['show'], ['compare'], ['report'], ['tasks'], ['check-task'], ['classify-refusals']]) {
      const r = harness([...cmd, '--help'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: harness/);
    }
  });

  it('npx harness --help in the clone prints the help and no npm warning', () => {
    const r = spawnSync('npx', ['harness', '--help'], { cwd: resolve(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: harness/);
    expect(r.stdout + r.stderr).not.toMatch(/npm warn/i);
  });

  it('a config of the wrong type names the field and exits 2', () => {
    writeFileSync(join(dir, 'harness.config.ts'), "export default { model: { id: 'x', batchSize: 'eight' }, tasks: ['mmlu'] };\n");
    try {
      const r = harness(['run'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/model\.batchSize: .*expected number/i);
      expect(r.stderr).toContain(join(dir, 'harness.config.ts'));
    } finally {
      rmSync(join(dir, 'harness.config.ts'));
    }
  });

  it('a bad flag value names the flag and exits 2', () => {
    const r = harness(['run', '--model', '/nowhere', '--limit', 'ten'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit must be an integer/);
  });

  it('a missing model folder says how to fix it and exits 2', () => {
    const r = harness(['run', '--model', join(dir, 'no-such-model'), '--tasks', 'mmlu'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model folder not found/);
    expect(r.stderr).toMatch(/transformers\.js layout/);
  });

  it('a hub id offline fails at once with the way to use a local folder', () => {
    const t0 = Date.now();
    const r = harness(['run', '--model', 'onnx-community/Qwen2.5-0.5B-Instruct', '--tasks', 'mmlu'], dir, { HF_ENDPOINT: 'http://127.0.0.1:9' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot be reached/);
    expect(r.stderr).toMatch(/--model \.\/models\/Qwen2\.5-0\.5B-Instruct/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe.skipIf(!hasShared)(`CLI bad inputs on real files ${hasShared ? '' : skipReason}`, () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-bad-'));
    data = join(dir, 'data');
    mkdirSync(join(data, 'mmlu', 'data', 'test'), { recursive: true });
    mkdirSync(join(data, 'mmlu', 'data', 'dev'), { recursive: true });
    copyFileSync(join(datasetsDir, 'mmlu/data/dev/anatomy_dev.csv'), join(data, 'mmlu/data/dev/anatomy_dev.csv'));
    copyFileSync(join(datasetsDir, 'mmlu/data/dev/astronomy_dev.csv'), join(data, 'mmlu/data/dev/astronomy_dev.csv'));
    // anatomy: row 2 has a fifth choice; astronomy: row 2's answer is E.
    writeFileSync(join(data, 'mmlu/data/test/anatomy_test.csv'), 'Q1?,a,b,c,d,A\nQ2?,a,b,c,d,e,B\n');
    writeFileSync(join(data, 'mmlu/data/test/astronomy_test.csv'), 'Q1?,a,b,c,d,A\nQ2?,a,b,c,d,E\n');
    // A model folder whose only ONNX file is fp32.
    mkdirSync(join(dir, 'model', 'onnx'), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(stories260K, f), join(dir, 'model', f));
    symlinkSync(join(stories260K, 'onnx', 'model.onnx'), join(dir, 'model', 'onnx', 'model.onnx'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => harness(['run', '--model', stories260K, '--dtype', 'fp32', '--data-dir', data, '--output', join(dir, 'out'), '--progress', 'off', ...args], dir);

  it('a malformed CSV row names the file and row', () => {
    const r = run('--tasks', 'mmlu:anatomy');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot parse CSV: Invalid Record Length: columns length is 6, got 7 on line 2/);
    expect(r.stderr).toContain('anatomy_test.csv:2');
    expect(r.stderr).toMatch(/every row needs 6 fields \(question, choices\.0, choices\.1, choices\.2, choices\.3, answer\)/);
  });

  it('an answer outside A-D names the file, row and field', () => {
    const r = run('--tasks', 'mmlu:astronomy');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/answer "E" is not one of the 4 choices/);
    expect(r.stderr).toContain('astronomy_test.csv:2, field answer');
    expect(r.stderr).toMatch(/letter \(A, B, C, D\)/);
  });

  it('an unknown task lists the known ones', () => {
    const r = run('--tasks', 'mmlu_ultra');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown task "mmlu_ultra"/);
    expect(r.stderr).toMatch(/known tasks: .*arc_challenge.*mmlu/);
  });

  it('an unknown subject suggests close ones', () => {
    const r = run('--tasks', 'mmlu:astronomie');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/task mmlu has no subset "astronomie"/);
  });

  it('a missing dataset file names the path and the flag', () => {
    const r = run('--tasks', 'arc_easy');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(data, 'arc', 'arc_easy.jsonl'));
    expect(r.stderr).toMatch(/--data-dir/);
  });

  it('a dtype the folder lacks lists the dtypes it has', () => {
    const r = harness(['run', '--model', join(dir, 'model'), '--dtype', 'q4', '--tasks', 'arc_easy', '--data-dir', datasetsDir], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no ONNX file for dtype q4 \(expected onnx\/model_q4\.onnx\)/);
    expect(r.stderr).toMatch(/use --dtype fp32/);
  });

  it('an unavailable device lists the available ones', () => {
    const r = harness(['run', '--model', stories260K, '--device', 'coreml', '--tasks', 'arc_easy'], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/device "coreml" is not available/);
    expect(r.stderr).toMatch(/use one of: cpu/);
  });

  it('an invalid task file names the file and field', () => {
    mkdirSync(join(dir, 'mytasks'), { recursive: true });
    writeFileSync(join(dir, 'mytasks', 'bad.yaml'), 'name: bad\nkind: multiple_choice\ndataset: { format: parquet, path: x }\nprompt: { doc_to_text: q, doc_to_choice: c, doc_to_target: t }\n');
    const r = run('--tasks', 'bad', '--task-dir', join(dir, 'mytasks'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'mytasks', 'bad.yaml'));
    expect(r.stderr).toMatch(/dataset\.format/);
  });

  it('the full command writes results and prints the table; a failed --min-metric gate exits 1', () => {
    const ok = harness(['run', '--model', stories260K, '--tasks', 'arc_easy', '--limit', '8', '--data-dir', datasetsDir, '--output', join(dir, 'out')], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/results: .*out\//);
    expect(ok.stdout).toMatch(/arc_easy\s+acc\s+\d\.\d{4}/);
    const gate = harness(['run', '--model', stories260K, '--tasks', 'arc_easy', '--limit', '8', '--data-dir', datasetsDir, '--output', join(dir, 'out'), '--min-metric', 'arc_easy/acc=1.01'], dir);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toMatch(/regression: arc_easy\/acc: .* < 1\.01/);
  });
});
