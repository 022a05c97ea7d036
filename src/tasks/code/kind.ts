import type { Doc } from '../../core/doc.ts';
import { sha256 } from '../../core/hash.ts';
import { shotStats, type KindContext, type TaskKindRunner } from '../../core/task-kind.ts';
import type { ExecutorPool } from '../../sandbox/executor.ts';
import type { IsolationRecord } from '../../sandbox/isolation.ts';
import { chatPrompt, describeGeneration, generateN, generationOptions, resolveGeneration, resolvePromptMode, type GeneratedSample, type GenerationOverrides, type PromptModeSetting } from '../generation.ts';
import { aggregateCode } from './metrics.ts';
import { aggregatePassAtK } from './pass-at-k.ts';
import { chatMessage, completionPrompt, programFromOutput } from './program.ts';
import type { CodeAttempt, CodeSample } from './sample.ts';
import { openSandbox, type SandboxSettings } from './sandbox.ts';
import type { CodeTask } from './schema.ts';

/** What a code task needs from the run's settings. */
export interface CodeSettings {
  seed: number;
  logPrompts: boolean;
  promptMode: PromptModeSetting;
  generation: GenerationOverrides;
  systemPrompt?: string;
  sandbox: SandboxSettings;
}

/**
 * The code task kind: generate `n` programs per problem, run each in the sandbox against the problem's tests
 * (programs run while the next problem is generated), and report pass@k.
 */
export function codeKind(task: CodeTask, ctx: KindContext<CodeSettings>): TaskKindRunner<CodeSample> {
  const { model, settings } = ctx;
  const resolved = resolveGeneration(task.generation, settings.generation);
  const gen = resolved.settings;
  let reported: Record<string, unknown> | undefined;
  const mode = resolvePromptMode(settings.promptMode, model);
  const idField = task.dataset.idField ?? '';
  const shots = task.fewshot ? task.fewshot.ids.map((id) => ctx.documents.unfiltered.find((d) => String(d.fields[idField]) === String(id))).filter((d): d is Doc => d !== undefined) : [];
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
    if (mode === 'chat') return { prompt: chatPrompt(model, chatMessage(task, doc), settings.systemPrompt) + task.prompt.chat_prefix, shots: 0 };
    for (let k = shots.length; k > 0; k--) {
      const prompt = completionPrompt(task, doc, shots.slice(0, k));
      if (model.tokenize(prompt).length + gen.maxNewTokens <= model.maxLength) return { prompt, shots: k };
    }
    return { prompt: completionPrompt(task, doc, []), shots: 0 };
  };

  const attempt = async (doc: Doc, g: GeneratedSample): Promise<CodeAttempt> => {
    const { code, extraction, thinkingChars, fullSolution, program } = programFromOutput(task, doc, g.text, mode);
    const outcome = await pool.run(program);
    return {
      index: g.index,
      seed: g.seed,
      raw: g.text,
      code,
      extraction,
      thinking_chars: thinkingChars,
      full_solution: fullSolution,
      program_sha256: sha256(program),
      generated_tokens: g.generatedTokens,
      finish_reason: g.finishReason,
      decode_tokens_per_second: g.decodeTokensPerSecond,
      outcome: {
        status: outcome.status,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
        duration_seconds: outcome.durationSeconds,
        ...(outcome.status !== 'passed' && outcome.stderrTail ? { stderr_tail: outcome.stderrTail.slice(-500) } : {}),
      },
    };
  };

  return {
    async prepare() {
      ({ pool, sandbox } = await openSandbox(settings.sandbox, task));
      for (const w of sandbox.warnings) ctx.warn(`sandbox: ${w}`);
      if (mode === 'completion' && model.hasChatTemplate) ctx.warn(`task ${task.name}: model has a chat template but runs in completion mode`);
      if (mode === 'completion' && !model.hasChatTemplate && settings.promptMode === 'auto') {
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
          ...generationOptions(gen),
          stop: mode === 'completion' ? task.stop : [],
          n: gen.n,
          runSeed: settings.seed,
          docId: doc.id,
        });
        const base = { doc_id: doc.id, doc: doc.fields, prompt_hash: sha256(prompt), ...(settings.logPrompts ? { prompt } : {}), mode, shots: usedShots };
        if ('skipped' in generated) {
          pending.push(Promise.resolve({ ...base, skipped: generated.skipped, n: 0, c: 0, pass_at: {}, attempts: [] }));
          continue;
        }
        reported ??= generated[0]?.settings;
        // Start every attempt's program now; generation of the next problem proceeds while they run.
        pending.push(
          Promise.all(generated.map((g) => attempt(doc, g))).then((as) => {
            const c = as.filter((a) => a.outcome.status === 'passed').length;
            const passAt = Object.fromEntries(aggregatePassAtK([{ n: as.length, c }], task.k).map((p) => [`pass@${p.k}`, p.mean]));
            return { ...base, n: as.length, c, pass_at: passAt, attempts: as };
          }),
        );
      }
      return Promise.all(pending);
    },
    aggregate: (samples) => aggregateCode(samples, task.k),
    describe: (samples) => ({
      num_fewshot: mode === 'completion' ? shots.length : 0,
      effective_shots: shotStats(samples.filter((s) => s.skipped === undefined).map((s) => s.shots)),
      extra: { prompt_mode: mode, generation: describeGeneration(model, resolved, { stop: mode === 'completion' ? task.stop : [], reported }), sandbox },
    }),
  };
}
