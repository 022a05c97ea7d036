import { Command, Option } from 'commander';
import { DEFAULTS } from '../../config/defaults.ts';
import { DTYPES } from '../../models/onnx/dtypes.ts';
import { intArg, numberArg, parseGate } from '../args.ts';
import { group, withDefault as d } from '../help.ts';

/** The flags of `run` (commander's camelCase names). */
export interface RunFlags {
  config?: string;
  model?: string;
  dtype?: string;
  device?: string;
  tasks?: string;
  taskDir?: string[];
  numFewshot?: number;
  limit?: number;
  seed?: number;
  dataDir?: string;
  output?: string;
  logPrompts?: boolean;
  cache?: string;
  batchSize?: number;
  threads?: number;
  addBos?: boolean;
  prefixCache?: boolean;
  maxLength?: number;
  promptMode?: 'auto' | 'completion' | 'chat';
  n?: number;
  temperature?: number;
  maxNewTokens?: number;
  systemPrompt?: string;
  repetitionPenalty?: number;
  modelGenerationConfig?: 'apply' | 'ignore';
  reasoningBudget?: number;
  timeout?: number;
  judgeModel?: string;
  probes?: string;
  probeKind?: 'sensitive' | 'control' | 'overrefusal';
  controlProbes?: string;
  promptField?: string;
  idField?: string;
  topicField?: string;
  languageField?: string;
  kindField?: string;
  styleField?: string;
  progress?: 'auto' | 'bar' | 'lines' | 'off';
  minMetric?: string[];
  resume?: string;
  allowChanges?: boolean;
}

const opt = (flags: string, text: string) => new Option(flags, text);

/** `harness run`: options only; the work is in actions/run.ts, loaded when the command runs. */
export function runCommand(): Command {
  const cmd = new Command('run').description('Evaluate a model on tasks and write result files (run.json + samples-<task>.jsonl).');
  const options = [
    ...group(
      'Model:',
      opt('-m, --model <folder|hub-id>', 'local transformers.js folder, or a hub id such as onnx-community/Qwen2.5-0.5B-Instruct'),
      opt('--dtype <dtype>', d('weights to load (ONNX file suffix)', DEFAULTS.model.dtype)).choices(DTYPES),
      opt('--device <device>', d('execution provider: cpu, cuda, webgpu, dml, coreml', DEFAULTS.model.device)),
      opt('--batch-size <n>', d('sequences per forward pass', DEFAULTS.model.batchSize)).argParser(intArg('--batch-size', 1)),
      opt('--threads <n>', 'onnxruntime intra-op threads (default: all cores)').argParser(intArg('--threads', 1)),
      opt('--max-length <n>', "override the context length from the model's config.json").argParser(intArg('--max-length', 1)),
      opt('--add-bos', d('prepend the BOS token (lm-evaluation-harness default: off)', DEFAULTS.model.addBosToken)),
      opt('--no-prefix-cache', 'compute every sequence in full (a shared few-shot prefix is otherwise computed once)'),
    ),
    ...group(
      'Tasks and data:',
      opt('-t, --tasks <list>', d('comma-separated tasks or subtasks: mmlu, mmlu:anatomy, arc_challenge', DEFAULTS.tasks)),
      opt('--task-dir <dir...>', 'extra folders of task files'),
      opt('--data-dir <dir>', d('root of local datasets (DIR/mmlu/data/..., DIR/arc/...)', DEFAULTS.dataDir)),
      opt('--limit <n>', 'per task: a seeded subset of n documents (default: all)').argParser(intArg('--limit', 1)),
      opt('--num-fewshot <n>', "few-shot examples (default: the task file's)").argParser(intArg('--num-fewshot', 0)),
      opt('--seed <n>', d('seed for --limit subsets and sampling', DEFAULTS.seed)).argParser(intArg('--seed', 0)),
    ),
    ...group(
      'Generation (generative, code and refusal tasks):',
      opt('--prompt-mode <mode>', d('chat template or raw completion', DEFAULTS.model.promptMode)).choices(['auto', 'completion', 'chat']),
      opt('--n <n>', "samples per prompt (default: the task file's, usually 1)").argParser(intArg('--n', 1)),
      opt('--temperature <t>', "sampling temperature, 0 = greedy (default: the task file's, usually 0)").argParser(numberArg('--temperature', 0)),
      opt('--max-new-tokens <n>', "tokens to generate at most (default: the task file's)").argParser(intArg('--max-new-tokens', 1)),
      opt('--system-prompt <text>', 'system prompt for chat models (default: none, or the task file\'s)'),
      opt('--model-generation-config <policy>', "the model's generation_config.json decoding settings (repetition_penalty, ...): ignore them, or apply them under the task's (default: ignore)").choices(['apply', 'ignore']),
      opt('--repetition-penalty <p>', 'repetition penalty, 1 = none (default: none)').argParser(numberArg('--repetition-penalty', 0.01)),
      opt('--reasoning-budget <n>', 'reasoning models: tokens of thinking before the think block is closed for them (default: none)').argParser(intArg('--reasoning-budget', 1)),
    ),
    ...group('Code execution:', opt('--timeout <seconds>', "limit per program (default: the task file's, e.g. HumanEval 5, MBPP 10)").argParser(numberArg('--timeout', 0.1))),
    ...group(
      'Refusal:',
      opt('--probes <file>', 'your own prompt list (CSV, TSV, JSONL, JSON, or .txt one per line) instead of the suite'),
      opt('--probe-kind <kind>', 'with --probes: kind of the prompts that have no kind column (default: sensitive)').choices(['sensitive', 'control', 'overrefusal']),
      opt('--control-probes <file>', 'with --probes: a list of control prompts; line i mirrors line i of --probes (or a control_of column says which), for a censorship gap'),
      opt('--prompt-field <name>', 'with --probes: column holding the prompt (default: prompt)'),
      opt('--id-field <name>', 'with --probes: column holding an id (default: id; generated when absent)'),
      opt('--topic-field <name>', 'with --probes: column holding the topic (default: topic)'),
      opt('--language-field <name>', 'with --probes: column holding en/zh (default: language; detected when absent)'),
      opt('--kind-field <name>', 'with --probes: column holding sensitive/control/overrefusal (default: kind)'),
      opt('--style-field <name>', 'with --probes: column holding the style (default: style)'),
      opt('--judge-model <folder|hub-id>', 'label answers with this chat model instead of the rules'),
    ),
    ...group(
      'Output:',
      opt('-c, --config <file>', 'config file (default: ./harness.config.ts when present)'),
      opt('-o, --output <dir>', d('results folder', DEFAULTS.output)),
      opt('--cache <dir>', 'persistent request cache: re-runs answer from it without forward passes (default: off)'),
      opt('--no-log-prompts', 'do not write prompt texts into samples files (hashes only)'),
      opt('--progress <mode>', d('progress display', DEFAULTS.progress)).choices(['auto', 'bar', 'lines', 'off']),
      opt('--resume <run-dir>', 'finish an interrupted or failed run (its own config is used; other flags but --progress are ignored); refused when its inputs changed'),
      opt('--allow-changes', 'with --resume: resume even though inputs changed since the run started (the changes are recorded in run.json)'),
    ),
    ...group('CI:', opt('--min-metric <task/metric=value...>', 'exit with code 1 when a metric is below the value').argParser(parseGate)),
  ];
  for (const o of options) cmd.addOption(o);
  return cmd
    .addHelpText(
      'after',
      `
Examples:
  harness run                                   # what harness.config.ts says
  harness run -m ../shared/models/stories260K --dtype q8 -t mmlu,arc_challenge --limit 50 --data-dir ../shared/datasets
  harness run -m ./models/Qwen2.5-0.5B-Instruct -t humaneval --n 10 --temperature 0.8
  harness run -m ./models/Qwen2.5-0.5B-Instruct -t refusal --n 5 --temperature 0.7
  harness run --resume results/<run-id>
  harness run -t mmlu --limit 200 --min-metric mmlu/acc=0.45   # CI gate: exit 1 below 0.45`,
    )
    .action(async (flags: RunFlags) => (await import('../actions/run.ts')).runAction(flags));
}
