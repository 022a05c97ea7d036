import { Command } from 'commander';
import { resolve } from 'node:path';
import { classifyTranscriptFile } from '../../refusal/transcripts.ts';

export function classifyRefusalsCommand(): Command {
  return new Command('classify-refusals')
    .description('Label transcripts made elsewhere (JSONL, JSON, CSV or TSV with prompt and response columns) as refused / deflected / complied, writing every row with the label and flags added.')
    .argument('<file>', 'transcripts: .jsonl, .json, .csv or .tsv')
    .requiredOption('-o, --output <file>', 'where to write the labelled rows (.jsonl, or .csv/.tsv to keep the table format)')
    .option('--prompt-field <name>', 'column holding the prompt', 'prompt')
    .option('--response-field <name>', 'column holding the response', 'response')
    .option('--reasoning-field <name>', 'column holding separate reasoning (default: "reasoning" when present)')
    .option('--language-field <name>', 'column holding the prompt language en/zh (default: "language" when present, else detected)')
    .option('--label-field <name>', 'name of the label column written', 'label')
    .option('--reasoning-expected', 'the model is a reasoning model: an empty or missing think block is flagged as thought suppression')
    .action((file: string, flags: { output: string; promptField: string; responseField: string; reasoningField?: string; languageField?: string; labelField: string; reasoningExpected?: boolean }) => {
      const summary = classifyTranscriptFile(resolve(file), resolve(flags.output), {
        promptField: flags.promptField,
        responseField: flags.responseField,
        reasoningField: flags.reasoningField,
        languageField: flags.languageField,
        labelField: flags.labelField,
        reasoningExpected: flags.reasoningExpected,
      });
      const pct = (n: number) => (summary.rows ? ((100 * n) / summary.rows).toFixed(1) : '0.0');
      process.stdout.write(`labelled ${summary.rows} rows -> ${summary.output}\n`);
      for (const [label, n] of Object.entries(summary.counts)) process.stdout.write(`  ${label.padEnd(10)} ${String(n).padStart(6)}  ${pct(n)}%\n`);
      const flagged = Object.entries(summary.flagCounts).filter(([, n]) => n > 0);
      if (flagged.length) process.stdout.write(`  flags: ${flagged.map(([f, n]) => `${f} ${n}`).join(', ')}\n`);
    });
}
