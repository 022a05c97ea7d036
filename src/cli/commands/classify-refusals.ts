import { Command } from 'commander';

export interface ClassifyRefusalsFlags {
  output: string;
  promptField: string;
  responseField: string;
  reasoningField?: string;
  languageField?: string;
  labelField: string;
  reasoningExpected?: boolean;
}

/** `harness classify-refusals`: options only; the work is in actions/classify-refusals.ts. */
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
    .action(async (file: string, flags: ClassifyRefusalsFlags) => (await import('../actions/classify-refusals.ts')).classifyRefusalsAction(file, flags));
}
