import { Command } from 'commander';
import { intArg } from '../args.ts';

export interface ReportFlags {
  output: string;
  title?: string;
  maxDocuments: number;
}

/** `harness report RUN [RUN ...] -o report.html`: the work is in actions/report.ts (no model is loaded). */
export function reportCommand(): Command {
  return new Command('report')
    .description(
      'Write one self-contained HTML report (no network; opens from disk or a static host) of one or more runs side by side: metrics with intervals, paired comparisons with the first run, MMLU by category, pass@k, refusal rates by topic x language with the censorship gap, and a sample browser with filters.',
    )
    .argument('<runs...>', 'run folders; the first is the base of the comparisons')
    .requiredOption('-o, --output <file>', 'the HTML file to write')
    .option('--title <text>', 'the report title')
    .option('--max-documents <n>', 'documents per task in the sample browser (those that flipped between runs first)', intArg('--max-documents', 1), 2000)
    .addHelpText('after', '\nExamples:\n  harness report results/<run-id> -o report.html\n  harness report baseline/run results/<run-id> -o report.html --title "nightly vs baseline"')
    .action(async (runs: string[], flags: ReportFlags) => (await import('../actions/report.ts')).reportAction(runs, flags));
}
