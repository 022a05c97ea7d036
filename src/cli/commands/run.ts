import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { loadConfigFile, resolveConfig, type ConfigOverrides } from '../../config/load.ts';
import { HarnessConfigSchema } from '../../config/schema.ts';
import { DTYPES } from '../../models/dtypes.ts';
import { readRunRecord } from '../../results/files.ts';
import { failedGates, summaryTable } from '../../results/summary.ts';
import { runEvaluation } from '../../runner/run.ts';
import { HarnessError, ExitCode } from '../../util/errors.ts';
import { intArg, numberArg } from '../args.ts';
import type { PromptListOptions } from '../../refusal/transcripts.ts';

/** The flags of `run`; --probes column flags are readPromptList's options. */
interface RunFlags extends Pick<PromptListOptions, 'promptField' | 'idField' | 'topicField' | 'languageField' | 'kindField' | 'styleField'> {
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
  timeout?: number;
  judgeModel?: string;
  probes?: string;
  progress?: 'auto' | 'bar' | 'lines' | 'off';
  minMetric?: string[];
  resume?: string;
}

function parseGate(value: string, previous: string[] = []): string[] {
  if (!/^[^/=]+\/[^/=]+=-?[\d.]+$/.test(value)) {
    throw new HarnessError(`--min-metric ${value} is not task/metric=value`, { fix: 'for example --min-metric mmlu/acc=0.25' });
  }
  return [...previous, value];
}

export function runCommand(): Command {
  return new Command('run')
    .description('Evaluate a model on tasks and write result files (run.json + samples-<task>.jsonl).')
    .option('-c, --config <file>', 'config file (default: ./harness.config.ts when present)')
    .option('-m, --model <folder|hub-id>', 'local transformers.js folder, or a hub id such as onnx-community/Qwen2.5-0.5B-Instruct')
    .addOption(new Option('--dtype <dtype>', 'weights to load (ONNX file suffix)').choices(DTYPES))
    .option('--device <device>', 'execution provider: cpu, cuda, webgpu, dml, coreml')
    .option('-t, --tasks <list>', 'comma-separated tasks or subtasks: mmlu, mmlu:anatomy, arc_challenge')
    .option('--task-dir <dir...>', 'extra folders of task files')
    .option('--num-fewshot <n>', 'few-shot examples (overrides the task files)', intArg('--num-fewshot', 0))
    .option('--limit <n>', 'per task: a seeded subset of n documents', intArg('--limit', 1))
    .option('--seed <n>', 'seed for --limit subsets and sampling', intArg('--seed', 0))
    .option('--data-dir <dir>', 'root of local datasets (DIR/mmlu/data/..., DIR/arc/...)')
    .option('-o, --output <dir>', 'results folder (default results/)')
    .option('--cache <dir>', 'persistent request cache: re-runs answer from it without forward passes')
    .option('--no-log-prompts', 'do not write prompt texts into samples files (hashes only)')
    .option('--batch-size <n>', 'sequences per forward pass', intArg('--batch-size', 1))
    .option('--threads <n>', 'onnxruntime intra-op threads', intArg('--threads', 1))
    .option('--no-prefix-cache', 'compute every sequence in full (the shared few-shot prefix is otherwise computed once per batch)')
    .option('--add-bos', 'prepend the BOS token (lm-evaluation-harness default: off)')
    .option('--max-length <n>', 'override the context length from config.json', intArg('--max-length', 1))
    .addOption(new Option('--prompt-mode <mode>', 'generative tasks: chat template or raw completion').choices(['auto', 'completion', 'chat']))
    .option('--n <n>', 'generative tasks: samples per prompt', intArg('--n', 1))
    .option('--temperature <t>', 'generative tasks: sampling temperature (0 = greedy)', numberArg('--temperature', 0))
    .option('--max-new-tokens <n>', 'generative tasks: tokens to generate at most', intArg('--max-new-tokens', 1))
    .option('--system-prompt <text>', 'refusal tasks: system prompt for chat models')
    .option('--probes <file>', 'refusal tasks: your own prompt list (CSV, TSV, JSONL, JSON, or .txt one per line) instead of the suite')
    .option('--prompt-field <name>', 'with --probes: column holding the prompt (default prompt)')
    .option('--id-field <name>', 'with --probes: column holding an id (default id; generated when absent)')
    .option('--topic-field <name>', 'with --probes: column holding the topic (default topic)')
    .option('--language-field <name>', 'with --probes: column holding en/zh (default language; detected when absent)')
    .option('--kind-field <name>', 'with --probes: column holding sensitive/control/overrefusal (default kind)')
    .option('--style-field <name>', 'with --probes: column holding the style (default style)')
    .option('--judge-model <folder|hub-id>', 'refusal tasks: label answers with this chat model instead of the rules')
    .option('--timeout <seconds>', 'code tasks: wall-clock limit per program', numberArg('--timeout', 0.1))
    .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'lines', 'off']))
    .option('--min-metric <task/metric=value...>', 'exit with code 1 when a metric is below the value (CI gates)', parseGate)
    .option('--resume <run-dir>', 'finish an interrupted run (its own config is used; other flags are ignored)')
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
    .action(async (flags: RunFlags) => {
      let config;
      let resumeRecord;
      if (flags.resume) {
        resumeRecord = readRunRecord(resolve(flags.resume));
        if (resumeRecord.status === 'complete') {
          process.stdout.write(`run ${flags.resume} is already complete\n`);
        }
        config = HarnessConfigSchema.parse(resumeRecord.config);
      } else {
        const { file, config: fileConfig } = await loadConfigFile(flags.config);
        const overrides: ConfigOverrides = {
          model: {
            id: flags.model,
            dtype: flags.dtype,
            device: flags.device,
            batchSize: flags.batchSize,
            threads: flags.threads,
            addBosToken: flags.addBos,
            prefixCache: flags.prefixCache === false ? false : undefined,
            maxLength: flags.maxLength,
            promptMode: flags.promptMode,
          },
          tasks: flags.tasks ? flags.tasks.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
          taskDirs: flags.taskDir,
          numFewshot: flags.numFewshot,
          limit: flags.limit,
          seed: flags.seed,
          dataDir: flags.dataDir,
          output: flags.output,
          logPrompts: flags.logPrompts === false ? false : undefined,
          cache: flags.cache,
          progress: flags.progress,
          minMetrics: flags.minMetric ? Object.fromEntries(flags.minMetric.map((g) => [g.split('=')[0], Number(g.split('=')[1])])) : undefined,
        };
        const generation = { n: flags.n, temperature: flags.temperature, maxNewTokens: flags.maxNewTokens, systemPrompt: flags.systemPrompt };
        if (Object.values(generation).some((v) => v !== undefined)) {
          overrides.generation = { ...(fileConfig.generation ?? {}), ...Object.fromEntries(Object.entries(generation).filter(([, v]) => v !== undefined)) };
        }
        if (flags.judgeModel) overrides.judge = { id: flags.judgeModel };
        if (flags.probes) {
          const { promptField, idField, topicField, languageField, kindField, styleField } = flags;
          overrides.probes = { file: flags.probes, promptField, idField, topicField, languageField, kindField, styleField };
        }
        if (flags.timeout !== undefined) overrides.sandbox = { ...(fileConfig.sandbox ?? {}), timeoutSeconds: flags.timeout };
        config = resolveConfig(fileConfig, overrides, file ?? 'command-line flags');
      }
      const { record } = await runEvaluation(config, flags.resume ? { resumeRecord, resumeDir: resolve(flags.resume) } : {});
      process.stdout.write('\n' + summaryTable(record) + '\n');
      const t = record.timings;
      if (t) {
        process.stdout.write(
          `\nload ${t.load_seconds.toFixed(2)} s, total ${t.total_seconds.toFixed(1)} s, ${t.requests} requests` +
            (t.requests_per_second ? ` (${t.requests_per_second.toFixed(1)}/s)` : '') +
            (t.prefill_tokens_per_second ? `, prefill ${Math.round(t.prefill_tokens_per_second)} tok/s` : '') +
            (t.decode_tokens_per_second ? `, decode ${t.decode_tokens_per_second.toFixed(1)} tok/s` : '') +
            `, peak RSS ${(t.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB\n`,
        );
      }
      const failed = failedGates(record, config.minMetrics);
      if (failed.length > 0) {
        process.stderr.write(`regression: ${failed.join('; ')}\n`);
        process.exitCode = ExitCode.regression;
      }
    });
}
