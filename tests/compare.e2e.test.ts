/**
 * `harness compare` on real runs of stories260K: the same model in two dtypes, two identical runs, and a run
 * against a deliberately degraded one (a prompt template that drops most of the story), with the p-values
 * recomputed by hand in Python from the flipped documents.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import type { Comparison } from '../src/compare/compare.ts';
import { HarnessConfigSchema, type HarnessConfigInput } from '../src/config/schema.ts';
import type { ModelBackend } from '../src/models/backend.ts';
import { loadModel, runEvaluation } from '../src/runner/run.ts';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';

const silent = { start() {}, update() {}, stop() {}, log() {} };
const hasPython = spawnSync('python3', ['-c', 'print(1)']).status === 0;

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(['node', 'harness', ...args]), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

/**
 * Phrases a TinyStories model completes well, each with a word that fits and one that does not. Each phrase is
 * asked twice (two names): a cluster (subset), since the two items differ only in the name.
 */
const PHRASES: [string, string, string][] = [
  ['Once upon a', 'time', 'dog'],
  ['Once upon a time, there was a little', 'girl', 'sky'],
  ['They played together all day and had lots of', 'fun', 'cars'],
  ['{n} was very', 'happy', 'table'],
  ['{n} and her mom went to the', 'park', 'happy'],
  ['From that day on, they were best', 'friends', 'trees'],
  ['{n} said, "Thank', 'you', 'tree'],
  ['{n} wanted to play with the big red', 'ball', 'sad'],
  ['The sun was', 'shining', 'eating'],
  ['{n} looked up at the', 'sky', 'happy'],
  ['{n} was so happy that she gave her mom a big', 'hug', 'went'],
  ['{n} was sad. She started to', 'cry', 'ball'],
  ['One day, {n} went for a', 'walk', 'cat'],
  ['{n} and Tom were best', 'friends', 'cakes'],
  ['The little bird flew up into the', 'sky', 'bed'],
  ['{n} went to sleep in her', 'bed', 'sun'],
  ['{n} liked to play', 'outside', 'table'],
  ['Mom said, "Be careful, {n}!" {n} said, "Okay,', 'mom', 'tree'],
  ['The dog wagged its', 'tail', 'car'],
  ['{n} opened the door and went', 'outside', 'blue'],
  ['{n} ate the yummy', 'cake', 'door'],
  ['It was a sunny', 'day', 'cat'],
  ['{n} smiled and said, "I love you,', 'mom', 'ball'],
  ['The cat said, "Meow', 'meow', 'tree'],
  ['{n} had a lot of', 'fun', 'sad'],
  ['{n} learned that it is important to', 'share', 'blue'],
  ['They all lived happily ever', 'after', 'dog'],
  ['{n} was very hungry, so she ate an', 'apple', 'happy'],
  ['{n} put on her', 'shoes', 'sky'],
  ['The end of the day came and the sun went', 'down', 'cake'],
];
const NAMES = ['Lily', 'Sue'];

describe.skipIf(!hasShared)(`harness compare on real runs ${hasShared ? '' : skipReason}`, () => {
  let dir: string;
  let q8: ModelBackend;
  let fp32: ModelBackend;
  const config = (extra: Partial<HarnessConfigInput> = {}) =>
    HarnessConfigSchema.parse({ model: { id: stories260K, dtype: 'q8' }, tasks: ['mmlu', 'arc_challenge'], dataDir: datasetsDir, output: join(dir, 'out'), limit: 30, numFewshot: 1, seed: 1234, progress: 'off', ...extra });
  const run = async (c: ReturnType<typeof config>, model: ModelBackend) => (await runEvaluation(c, { model, progress: silent, out: () => {} })).runDir;
  /** The q8 run, made once and compared twice. */
  let q8Run: string;
  const compare = async (...args: string[]) => {
    const json = join(dir, `cmp-${Math.random().toString(36).slice(2)}.json`);
    const r = await cli('compare', ...args, '--json', json);
    return { ...r, result: JSON.parse(readFileSync(json, 'utf8')) as Comparison };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harness-compare-'));
    q8 = await loadModel(config().model);
    fp32 = await loadModel(config({ model: { id: stories260K, dtype: 'fp32' } }).model);
    q8Run = await run(config(), q8);
  });
  afterAll(async () => {
    await q8.dispose();
    await fp32.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same model in q8 and fp32: paired results, the dtype named as a difference, exit 0', async () => {
    const a = q8Run;
    const b = await run(config({ model: { id: stories260K, dtype: 'fp32' } }), fp32);
    const { code, stdout, result } = await compare(a, b, '--fail-on-regression', '--markdown', join(dir, 'dtype.md'));
    expect(code).toBe(0);
    expect(result.differences).toContain('config model.dtype: "q8" → "fp32"');
    expect(stdout).toMatch(/warning: the runs differ in what changes numbers/);
    const mmlu = result.tasks.find((t) => t.task === 'mmlu')!;
    const arc = result.tasks.find((t) => t.task === 'arc_challenge')!;
    expect(mmlu.clustering).toBe('by subject');
    expect(arc.paired).toBe(30);
    expect(arc.only_base + arc.only_candidate).toBe(0);
    for (const t of [mmlu, arc]) {
      for (const m of t.metrics) {
        const p = m.paired!;
        // The paired values are the runs' own metrics (every document is in both runs).
        expect(p.base).toBeCloseTo(m.base_reported!, 12);
        expect(p.candidate).toBeCloseTo(m.candidate_reported!, 12);
        expect(p.diff).toBeCloseTo((p.up - p.down) / p.n, 12);
        expect(m.flipped.up).toHaveLength(p.up);
        expect(m.flipped.down).toHaveLength(p.down);
        expect(p.ci[0]).toBeLessThanOrEqual(p.diff);
        expect(p.ci[1]).toBeGreaterThanOrEqual(p.diff);
      }
    }
    if (hasPython) {
      // ARC documents are independent: McNemar's exact p from the flips, computed by hand.
      for (const m of arc.metrics.filter((x) => x.paired!.test === 'mcnemar-exact')) {
        const { up, down } = m.paired!;
        const expected = Number(
          spawnSync('python3', ['-c', `from fractions import Fraction; from math import comb; m=${up + down}; print(1.0 if m == 0 else float(min(1, 2 * Fraction(sum(comb(m, k) for k in range(${Math.min(up, down)} + 1)), 2 ** m))))`], { encoding: 'utf8' }).stdout,
        );
        expect(m.paired!.p_value).toBeCloseTo(expected, 12);
      }
    }
    const md = readFileSync(join(dir, 'dtype.md'), 'utf8');
    expect(md).toMatch(/^### ✅ No significant regression/);
    expect(md).toMatch(/\| metric \| base \[95% CI\] \| candidate \[95% CI\] \| diff \|/);
  });

  it('two identical runs: no difference, p = 1, no warning, exit 0 with --fail-on-regression', async () => {
    const a = q8Run;
    const b = await run(config(), q8);
    const { code, result, stdout } = await compare(a, b, '--fail-on-regression');
    expect(code).toBe(0);
    expect(result.differences).toEqual([]);
    expect(result.regressed).toBe(false);
    for (const m of result.tasks.flatMap((t) => t.metrics)) {
      expect(m.paired).toMatchObject({ diff: 0, p_value: 1, up: 0, down: 0 });
      // Identical on 30 documents is not certainty: the interval and the detectable difference are not zero.
      expect(m.paired!.ci[1]).toBeGreaterThan(0);
      expect(m.paired!.mdd).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/verdict: no significant regression/);
  });

  it('a run against a deliberately degraded one (the prompt cut to its first word): exit 1 with --fail-on-regression', async () => {
    const data = join(dir, 'data', 'stories');
    mkdirSync(data, { recursive: true });
    const subsets: string[] = [];
    PHRASES.forEach(([text, good, bad], s) => {
      const name = `phrase_${String(s).padStart(2, '0')}`;
      subsets.push(name);
      const rows = NAMES.map((n, i) => {
        const gold = (s + i) % 2;
        return JSON.stringify({ id: `${name}-${i}`, context: text.replaceAll('{n}', n), choices: gold === 0 ? [` ${good}`, ` ${bad}`] : [` ${bad}`, ` ${good}`], gold });
      });
      writeFileSync(join(data, `${name}.jsonl`), rows.join('\n') + '\n');
    });
    const task = (textTemplate: string) =>
      `name: stories\nkind: multiple_choice\ndataset: { format: jsonl, path: "stories/{subset}.jsonl", required: [context, choices, gold], idField: id }\nsplit: test\nprompt:\n  doc_to_text: ${JSON.stringify(textTemplate)}\n  doc_to_choice: choices\n  doc_to_target: gold\nmetrics: [acc]\nsubsets:\n${subsets.map((s) => `  ${s}: stories`).join('\n')}\n`;
    mkdirSync(join(dir, 'good'));
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'good', 'stories.yaml'), task('{{ context }}'));
    writeFileSync(join(dir, 'bad', 'stories.yaml'), task("{{ context.split(' ')[:1] | join(' ') }}"));
    const c = (taskDir: string) => config({ tasks: ['stories'], taskDirs: [taskDir], dataDir: join(dir, 'data'), limit: undefined, model: { id: stories260K, dtype: 'fp32' } });
    const base = await run(c(join(dir, 'good')), fp32);
    const degraded = await run(c(join(dir, 'bad')), fp32);

    const gate = await compare(base, degraded, '--fail-on-regression', '--markdown', join(dir, 'degraded.md'));
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/verdict: REGRESSION in stories\/acc/);
    expect(gate.result.differences).toEqual(['task stories: definition differs', 'task stories: prompt templates differ']);
    const acc = gate.result.tasks[0].metrics[0];
    expect(acc.regression).toBe(true);
    expect(acc.paired!.diff).toBeLessThan(-0.1);
    expect(acc.paired!.ci[1]).toBeLessThan(0);
    expect(acc.flipped.down.length).toBeGreaterThan(acc.flipped.up.length);
    expect(gate.result.tasks[0].clustering).toBe('by subject');
    expect(readFileSync(join(dir, 'degraded.md'), 'utf8')).toMatch(/^### ❌ Regression/);
    if (hasPython) {
      // The p-value by hand from the flips per opening: McNemar exact, or Durkalski's clustered statistic.
      const samples = (runDir: string) =>
        new Map(
          readFileSync(join(runDir, 'samples-stories.jsonl'), 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { doc_id: string; subset: string; correct: boolean })
            .map((s) => [s.doc_id, s]),
        );
      const sb = samples(base);
      const sd = samples(degraded);
      const perCluster = subsets.map((s) => {
        const ids = [...sb.keys()].filter((k) => sb.get(k)!.subset === s);
        return [ids.filter((k) => !sb.get(k)!.correct && sd.get(k)!.correct).length, ids.filter((k) => sb.get(k)!.correct && !sd.get(k)!.correct).length];
      });
      const expected = Number(
        spawnSync(
          'python3',
          [
            '-c',
            `import math
from fractions import Fraction
from math import comb
c = ${JSON.stringify(perCluster)}
if all(u + d <= 1 for u, d in c):
    up = sum(u for u, d in c); dn = sum(d for u, d in c); m = up + dn
    print(float(min(1, 2 * Fraction(sum(comb(m, k) for k in range(min(up, dn) + 1)), 2 ** m))))
else:
    s = sum(u - d for u, d in c); v = sum((u - d) ** 2 for u, d in c)
    print(math.erfc(math.sqrt(s * s / v / 2)))`,
          ],
          { encoding: 'utf8' },
        ).stdout,
      );
      expect(acc.paired!.p_value).toBeCloseTo(expected, 12);
    }
    // Without the flag the same comparison reports and exits 0; the other way round is an improvement.
    expect((await compare(base, degraded)).code).toBe(0);
    const better = await compare(degraded, base, '--fail-on-regression');
    expect(better.code).toBe(0);
    expect(better.stdout).toMatch(/significant improvement/);
  });
});
