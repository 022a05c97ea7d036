import { Command, Option } from 'commander';
import { intArg, numberArg } from '../args.ts';

export interface CompareFlags {
  failOnRegression?: boolean;
  alpha: number;
  threshold: number;
  markdown?: string;
  json?: string;
  resamples: number;
  seed: number;
  flips: number;
}

/** `harness compare BASE CANDIDATE [...]`: the work is in actions/compare.ts (no model is loaded). */
export function compareCommand(): Command {
  const cmd = new Command('compare')
    .description(
      'Compare runs with a base run, document by document: paired differences with 95% intervals, McNemar exact tests (0/1 metrics) or a paired bootstrap, clustered standard errors, the smallest detectable difference, the documents that flipped, and what else differs between the runs.',
    )
    .argument('<base>', 'the base run folder (e.g. a stored baseline)')
    .argument('<candidates...>', 'one or more run folders to compare with it');
  const options = [
    new Option('--fail-on-regression', 'exit with code 1 when a metric got significantly worse'),
    new Option('--alpha <p>', 'significance level, on Holm-adjusted p-values').default(0.05).argParser(numberArg('--alpha', 0)),
    new Option('--threshold <diff>', 'smallest drop that counts as a regression (absolute, e.g. 0.01)').default(0).argParser(numberArg('--threshold', 0)),
    new Option('--markdown <file>', 'also write a Markdown summary (for $GITHUB_STEP_SUMMARY or a PR comment; "-" for stdout)'),
    new Option('--json <file>', 'also write the whole comparison as JSON ("-" for stdout)'),
    new Option('--resamples <n>', 'bootstrap resamples').default(10_000).argParser(intArg('--resamples', 100)),
    new Option('--seed <n>', 'bootstrap seed').default(1234).argParser(intArg('--seed', 0)),
    new Option('--flips <n>', 'documents listed per direction in the text output').default(10).argParser(intArg('--flips', 0)),
  ];
  for (const o of options) cmd.addOption(o);
  return cmd
    .addHelpText(
      'after',
      `
Exit codes: 0 no significant regression (or no --fail-on-regression), 1 a significant regression with
--fail-on-regression, 2 bad input (a folder that is not a run), 3 environment.

Examples:
  harness compare baseline/run results/<run-id>
  harness compare baseline/run results/<run-id> --fail-on-regression --threshold 0.01 --markdown "$GITHUB_STEP_SUMMARY"`,
    )
    .action(async (base: string, candidates: string[], flags: CompareFlags) => (await import('../actions/compare.ts')).compareAction(base, candidates, flags));
}
