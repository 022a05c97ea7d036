import { Command, Option } from 'commander';

export interface ShowFlags {
  format: 'table' | 'markdown' | 'csv' | 'json';
}

/** `harness show RUN`: the work is in actions/show.ts (no model is loaded). */
export function showCommand(): Command {
  return new Command('show')
    .description("Print a run's metrics again (and its state: complete, running, interrupted, failed with the reason). Loads no model.")
    .argument('<run-dir>', 'a run folder, e.g. results/<run-id>')
    .addOption(new Option('-f, --format <format>', 'table (with the run header), markdown, csv or json (every metric, groups and subsets too)').choices(['table', 'markdown', 'csv', 'json']).default('table'))
    .addHelpText('after', '\nExamples:\n  harness show results/<run-id>\n  harness show results/<run-id> --format csv > metrics.csv\n  harness show results/<run-id> --format markdown >> "$GITHUB_STEP_SUMMARY"')
    .action(async (dir: string, flags: ShowFlags) => (await import('../actions/show.ts')).showAction(dir, flags));
}
