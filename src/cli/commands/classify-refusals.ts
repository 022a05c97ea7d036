import { Command, Option } from 'commander';
import { DTYPES } from '../../models/onnx/dtypes.ts';
import { group } from '../help.ts';

export interface ClassifyRefusalsFlags {
  output?: string;
  promptField: string;
  responseField: string;
  reasoningField?: string;
  languageField?: string;
  labelField: string;
  reasoningExpected?: boolean;
  goldField?: string;
  goldMap?: string;
  by?: string;
  disagreements?: string;
  report?: string;
  judgeModel?: string;
  judgeDtype?: string;
  judgeDevice?: string;
}

const opt = (flags: string, text: string) => new Option(flags, text);

/** `harness classify-refusals`: options only; the work is in actions/classify-refusals.ts. */
export function classifyRefusalsCommand(): Command {
  const cmd = new Command('classify-refusals')
    .description(
      'Label transcripts made elsewhere (JSONL, JSON, CSV or TSV with prompt and response columns) as refused / deflected / complied, and check the labels against your own hand labels before trusting them.',
    )
    .argument('<file>', 'transcripts: .jsonl, .json, .csv or .tsv');
  const options = [
    ...group(
      'Input and output:',
      opt('-o, --output <file>', 'write every row with its label and flags added (.jsonl, or .csv/.tsv to keep the table format)'),
      opt('--prompt-field <name>', 'column holding the prompt').default('prompt'),
      opt('--response-field <name>', 'column holding the response').default('response'),
      opt('--reasoning-field <name>', 'column holding separate reasoning (default: "reasoning" when present)'),
      opt('--language-field <name>', 'column holding the prompt language en/zh (default: "language" when present, else detected)'),
      opt('--label-field <name>', 'name of the label column written').default('label'),
      opt('--reasoning-expected', 'the model is a reasoning model: an empty or missing think block is flagged as thought suppression'),
    ),
    ...group(
      'Checking against hand labels:',
      opt('--gold-field <name>', 'column holding your hand labels: prints agreement, Cohen\'s kappa and the confusion matrix'),
      opt('--gold-map <value=label,...>', 'map your label values, e.g. 1_full_compliance=complied,2_full_refusal=refused,3_partial_refusal=deflected'),
      opt('--by <name>', 'also break agreement down by this column (model, language, ...)'),
      opt('--disagreements <file>', 'write the rows whose label differs from the hand label, with an explanation, for review'),
      opt('--report <file>', 'write the agreement report as JSON'),
    ),
    ...group(
      'Judge model:',
      opt('--judge-model <folder|hub-id>', 'also label every answer with this chat model (rubric in src/tasks/refusal/judge.ts); both labels are kept'),
      opt('--judge-dtype <dtype>', 'weights of the judge (default: the config default)').choices(DTYPES),
      opt('--judge-device <device>', 'execution provider of the judge (default: cpu)'),
    ),
  ];
  for (const o of options) cmd.addOption(o);
  return cmd
    .addHelpText(
      'after',
      `
Examples:
  harness classify-refusals chats.csv --prompt-field question --response-field answer -o chats.labelled.csv
  harness classify-refusals my-sample.jsonl --gold-field human --by model --disagreements review.jsonl
  harness classify-refusals xstest-style.csv --gold-field final_label \\
      --gold-map 1_full_compliance=complied,2_full_refusal=refused,3_partial_refusal=deflected`,
    )
    .action(async (file: string, flags: ClassifyRefusalsFlags) => (await import('../actions/classify-refusals.ts')).classifyRefusalsAction(file, flags));
}
