import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarnessError, ExitCode } from '../../core/errors.ts';
import { compareRuns, loadRun, type Comparison } from '../../compare/compare.ts';
import { comparisonMarkdown, comparisonText } from '../../compare/format.ts';
import { toJson } from '../../results/files.ts';
import type { CompareFlags } from '../commands/compare.ts';

function writeOut(file: string, text: string, append = false): void {
  if (file === '-') process.stdout.write(text);
  else if (append) appendFileSync(resolve(file), text);
  else writeFileSync(resolve(file), text);
}

export function compareAction(baseDir: string, candidateDirs: string[], flags: CompareFlags): void {
  if (flags.alpha <= 0 || flags.alpha >= 1) throw new HarnessError(`--alpha must be between 0 and 1, got ${flags.alpha}`, { where: '--alpha', fix: 'for example --alpha 0.05' });
  const base = loadRun(resolve(baseDir));
  const comparisons: Comparison[] = [];
  for (const dir of candidateDirs) {
    const c = compareRuns(base, loadRun(resolve(dir)), { alpha: flags.alpha, threshold: flags.threshold, resamples: flags.resamples, seed: flags.seed });
    if (c.tasks.length === 0) {
      throw new HarnessError(`runs ${base.dir} and ${resolve(dir)} have no task in common`, { fix: 'compare runs of the same tasks', exitCode: ExitCode.badInput });
    }
    comparisons.push(c);
    process.stdout.write((comparisons.length > 1 ? '\n' : '') + comparisonText(c, { flips: flags.flips }) + '\n');
  }
  // $GITHUB_STEP_SUMMARY collects every step's output: append to it; any other file is written afresh.
  if (flags.markdown) {
    const text = comparisons.map((c) => comparisonMarkdown(c)).join('\n');
    writeOut(flags.markdown, text, flags.markdown === process.env.GITHUB_STEP_SUMMARY);
  }
  if (flags.json) writeOut(flags.json, toJson(comparisons.length === 1 ? comparisons[0] : comparisons, 2) + '\n');
  if (flags.failOnRegression && comparisons.some((c) => c.regressed)) process.exitCode = ExitCode.regression;
}
