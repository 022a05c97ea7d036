import { availableParallelism } from 'node:os';
import type { HarnessConfig } from '../config/schema.ts';
import { aggregatePassAtK } from '../metrics/pass-at-k.ts';
import type { KindContext, Sample, TaskKindRunner } from '../runner/task-kind.ts';
import { createExecutorPool, describeSandbox, type ExecuteOptions, type ExecutionOutcome, type ExecutorPool } from '../sandbox/executor.ts';
import type { IsolationRecord } from '../sandbox/isolation.ts';
import type { MetricTable, TaskResult } from '../results/schema.ts';
import { sha256 } from '../util/hash.ts';
import { definesFunction, extractCode, extractCompletion, type ExtractionMethod } from './code/extract.ts';
import { chatPrompt, effectiveGeneration, generateN, resolvePromptMode, type PromptMode } from './generation.ts';
import type { Doc } from './multiple-choice.ts';
import type { CodeTask } from './schema.ts';
import { render } from './template.ts';

/** One generated program and what running it gave. */
export interface CodeAttempt {
  index: number;
  seed: number | null;
  /** The model's raw output. */
  raw: string;
  /** The code taken from it (completion mode: cut at stop sequences; chat: extracted from the reply). */
  code: string;
  extraction: ExtractionMethod | 'completion';
  thinking_chars: number;
  full_solution: boolean;
  program_sha256: string;
  generated_tokens: number;
  finish_reason: string;
  decode_tokens_per_second: number | null;
  outcome: Pick<ExecutionOutcome, 'status' | 'reason' | 'error' | 'durationSeconds'> & { stderr_tail?: string };
}

export interface CodeSample extends Sample {
  mode: PromptMode;
  /** Few-shot examples in the prompt (dropped from the end until the prompt fits). */
  shots: number;
  prompt?: string;
  n: number;
  /** Attempts that passed. */
  c: number;
  pass_at: Record<string, number>;
  attempts: CodeAttempt[];
}

/** Sandbox options from the config (timeout, memory, processes, output, interpreter). */
export function sandboxOptions(config: HarnessConfig, task: CodeTask): ExecuteOptions {
  const s = config.sandbox;
  return { timeoutSeconds: s.timeoutSeconds ?? task.timeoutSeconds, memoryMB: s.memoryMB, maxProcesses: s.maxProcesses, maxOutputBytes: s.maxOutputBytes, python: s.python };
}

/**
 * The sandbox a code task's programs run in: its isolation record (detection checks Python first, a clear error
 * when it is missing or too old) and a pool of `concurrency` programs at a time.
 */
export async function openSandbox(config: HarnessConfig, task: CodeTask): Promise<{ pool: ExecutorPool; sandbox: IsolationRecord }> {
  const opts = sandboxOptions(config, task);
  const sandbox = await describeSandbox(opts);
  return { sandbox, pool: createExecutorPool(config.sandbox.concurrency ?? availableParallelism(), opts) };
}

/** Everything the task's templates see for one document. */
function vars(doc: Doc, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...doc.fields, subset: doc.subset ?? '', ...extra };
}

/** The completion-mode prompt, with the task's fixed few-shot examples in front. */
export function completionPrompt(task: CodeTask, doc: Doc, shots: Doc[]): string {
  const main = render(task.prompt.completion, vars(doc), `task ${task.name}: prompt.completion`);
  if (!task.fewshot || shots.length === 0) return main;
  const rendered = shots.map((s) => render(task.fewshot!.template, vars(s), `task ${task.name}: fewshot.template`));
  return [...rendered, main].join(task.fewshot.delimiter);
}

/** The program that checks a piece of code against the document's tests. */
export function buildProgram(task: CodeTask, doc: Doc, code: string, fullSolution: boolean): string {
  return render(task.program, vars(doc, { completion: code, full_solution: fullSolution }), `task ${task.name}: program`);
}

/** What a model output becomes: the code taken from it and the program that checks it. */
export interface BuiltProgram {
  code: string;
  extraction: ExtractionMethod | 'completion';
  thinkingChars: number;
  /** The code defines the entry point itself (chat replies usually do); else it continues the prompt. */
  fullSolution: boolean;
  program: string;
}

/**
 * Completion mode: the output cut at the task's stop sequences (reasoning removed) continues the prompt.
 * Chat mode: the code is extracted from the reply (which continued the task's chat prefix).
 */
export function programFromOutput(task: CodeTask, doc: Doc, output: string, mode: PromptMode): BuiltProgram {
  if (mode === 'completion') {
    const c = extractCompletion(output, task.stop);
    return { code: c.completion, extraction: 'completion', thinkingChars: c.thinkingChars, fullSolution: false, program: buildProgram(task, doc, c.completion, false) };
  }
  const entryPoint = task.entryPoint ? render(task.entryPoint, vars(doc), `task ${task.name}: entryPoint`).trim() || undefined : undefined;
  const e = extractCode(task.prompt.chat_prefix + output, { entryPoint });
  const fullSolution = entryPoint ? definesFunction(e.code, entryPoint) : true;
  return { code: e.code, extraction: e.method, thinkingChars: e.thinkingChars, fullSolution, program: buildProgram(task, doc, e.code, fullSolution) };
}

/** The program with the dataset's reference solution (for `harness check-task`). */
export function referenceProgram(task: CodeTask, doc: Doc): string {
  return render(task.reference, vars(doc), `task ${task.name}: reference`);
}

/**
 * The code task kind: generate `n` programs per problem, run each in the sandbox against the problem's tests
 * (programs run while the next problem is generated), and report pass@k.
 */
export function codeKind(task: CodeTask, ctx: KindContext): TaskKindRunner {
  const { config, model } = ctx;
  const gen = effectiveGeneration(task.generation, config.generation);
  const mode = resolvePromptMode(config.model.promptMode, model);
  const shots = task.fewshot ? task.fewshot.ids.map((id) => ctx.documents.unfiltered.find((d) => String(d.fields[task.dataset.idField ?? '']) === String(id))).filter((d): d is Doc => d !== undefined) : [];
  if (task.fewshot && shots.length !== task.fewshot.ids.length) {
    ctx.warn(`task ${task.name}: only ${shots.length} of the few-shot ids ${task.fewshot.ids.join(', ')} were found in the data`);
  }
  let pool: ExecutorPool;
  let sandbox: IsolationRecord | null = null;

  /**
   * The prompt and its effective few-shot count: examples are dropped from the end until the prompt leaves room
   * for maxNewTokens in the model's context (if even zero-shot does not, generation gets what room is left).
   */
  const promptFor = (doc: Doc): { prompt: string; shots: number } => {
    if (mode === 'chat') {
      return { prompt: chatPrompt(model, render(task.prompt.chat, vars(doc), `task ${task.name}: prompt.chat`), config.generation.systemPrompt) + task.prompt.chat_prefix, shots: 0 };
    }
    for (let k = shots.length; k > 0; k--) {
      const prompt = completionPrompt(task, doc, shots.slice(0, k));
      if (model.tokenize(prompt).length + gen.maxNewTokens <= model.maxLength) return { prompt, shots: k };
    }
    return { prompt: completionPrompt(task, doc, []), shots: 0 };
  };

  return {
    async prepare() {
      ({ pool, sandbox } = await openSandbox(config, task));
      for (const w of sandbox.warnings) ctx.warn(`sandbox: ${w}`);
      if (mode === 'completion' && model.hasChatTemplate) ctx.warn(`task ${task.name}: model has a chat template but runs in completion mode`);
      if (mode === 'completion' && !model.hasChatTemplate && config.model.promptMode === 'auto') {
        ctx.warn(`task ${task.name}: model has no chat template: raw completion prompts are used`);
      }
    },
    chunkSize: 4,
    requestsPerDoc: () => gen.n,
    async score(docs) {
      const pending: Promise<CodeSample>[] = [];
      for (const doc of docs) {
        const { prompt, shots: usedShots } = promptFor(doc);
        const generated = await generateN(model, prompt, {
          maxNewTokens: gen.maxNewTokens,
          temperature: gen.temperature,
          topP: gen.topP,
          topK: gen.topK,
          stop: mode === 'completion' ? task.stop : [],
          n: gen.n,
          runSeed: config.seed,
          docId: doc.id,
        });
        const base = { doc_id: doc.id, prompt_hash: sha256(prompt), ...(config.logPrompts ? { prompt } : {}), mode, shots: usedShots };
        if ('skipped' in generated) {
          pending.push(Promise.resolve({ ...base, skipped: generated.skipped, n: 0, c: 0, pass_at: {}, attempts: [] }));
          continue;
        }
        // Start every attempt's program now; generation of the next problem proceeds while they run.
        const attempts = generated.map(async (g): Promise<CodeAttempt> => {
          const { code, extraction, thinkingChars: thinking, fullSolution, program } = programFromOutput(task, doc, g.text, mode);
          const outcome = await pool.run(program);
          return {
            index: g.index,
            seed: g.seed,
            raw: g.text,
            code,
            extraction,
            thinking_chars: thinking,
            full_solution: fullSolution,
            program_sha256: sha256(program),
            generated_tokens: g.generatedTokens,
            finish_reason: g.finishReason,
            decode_tokens_per_second: g.decodeTokensPerSecond,
            outcome: {
              status: outcome.status,
              ...(outcome.reason ? { reason: outcome.reason } : {}),
              ...(outcome.error ? { error: outcome.error } : {}),
              durationSeconds: outcome.durationSeconds,
              ...(outcome.status !== 'passed' && outcome.stderrTail ? { stderr_tail: outcome.stderrTail.slice(-500) } : {}),
            },
          };
        });
        pending.push(
          Promise.all(attempts).then((as) => {
            const c = as.filter((a) => a.outcome.status === 'passed').length;
            const passAt = Object.fromEntries(aggregatePassAtK([{ n: as.length, c }], task.k).map((p) => [`pass@${p.k}`, p.mean]));
            return { ...base, n: as.length, c, pass_at: passAt, attempts: as };
          }),
        );
      }
      return Promise.all(pending);
    },
    aggregate: (samples) => aggregateCode(samples as CodeSample[], task.k),
    describe: (samples) => {
      const used = (samples as CodeSample[]).filter((s) => s.skipped === undefined).map((s) => s.shots);
      return {
      numFewshot: mode === 'completion' ? shots.length : 0,
      effectiveShots: used.length === 0 ? null : { min: Math.min(...used), max: Math.max(...used), mean: used.reduce((a, b) => a + b, 0) / used.length },
      extra: { prompt_mode: mode, generation: gen, sandbox },
      };
    },
  };
}

/** pass@k over problems (unbiased estimator, mean and standard error), plus how the attempts ended. */
export function aggregateCode(samplesIn: CodeSample[], ks: number[]): TaskResult {
  const samples = [...samplesIn].sort((a, b) => (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0));
  const scored = samples.filter((s) => s.skipped === undefined);
  const metrics: MetricTable = {};
  for (const p of aggregatePassAtK(scored.map((s) => ({ n: s.n, c: s.c })), ks)) {
    metrics[`pass@${p.k}`] = { value: p.mean, stderr: p.stderr, n: p.problems };
  }
  const outcomes: Record<string, number> = {};
  for (const s of scored) {
    for (const a of s.attempts) {
      const key = a.outcome.reason ? `${a.outcome.status} (${a.outcome.reason})` : a.outcome.status;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  const tokens = scored.flatMap((s) => s.attempts.map((a) => a.generated_tokens));
  return {
    kind: 'code',
    metrics,
    n: scored.length,
    skipped: samples.length - scored.length,
    details: { outcomes, mean_generated_tokens: tokens.length ? tokens.reduce((a, b) => a + b, 0) / tokens.length : null },
  };
}
