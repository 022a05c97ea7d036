import type { Doc } from '../../core/doc.ts';
import { HarnessError } from '../../core/errors.ts';
import { sha256 } from '../../core/hash.ts';
import { splitReasoning } from '../../core/reasoning.ts';
import { shotStats, type KindContext, type TaskKindRunner } from '../../core/task-kind.ts';
import type { ModelBackend } from '../../models/backend.ts';
import {
  chatPrompt,
  describeGeneration,
  generateN,
  generationOptions,
  promptOpensThink,
  resolveGeneration,
  type GeneratedSample,
  type GenerationOverrides,
  type PromptMode,
  type PromptModeSetting,
} from '../generation.ts';
import { render } from '../template.ts';
import { compileExtractor, compileNormalize, extractAnswer, type CompiledExtractor } from './extract.ts';
import { aggregateGenerative } from './metrics.ts';
import { fewshotPicker, joinPrompt, promptParts } from './prompt.ts';
import type { Extracted, GenerativeResponse, GenerativeSample } from './sample.ts';
import type { GenerativeTask } from './schema.ts';

/** What a generative task needs from the run's settings. */
export interface GenerativeSettings {
  seed: number;
  logPrompts: boolean;
  promptMode: PromptModeSetting;
  generation: GenerationOverrides;
  systemPrompt?: string;
  /** The run's --num-fewshot, else the task file's count. */
  numFewshot?: number;
}

/** The prompt mode and why: the run's explicit choice, else the task's own default, else the model's template. */
function promptModeFor(task: GenerativeTask, setting: PromptModeSetting, model: ModelBackend): { mode: PromptMode; source: string; note?: string } {
  if (setting !== 'auto') {
    if (setting === 'chat' && !model.hasChatTemplate) {
      throw new HarnessError(`model ${model.record.name} has no chat template, so task ${task.name} cannot run in chat mode`, {
        where: '--prompt-mode chat',
        fix: 'use --prompt-mode completion (or auto) for this model',
      });
    }
    return { mode: setting, source: 'run' };
  }
  if (task.promptMode === 'completion') return { mode: 'completion', source: 'task' };
  if (task.promptMode === 'chat' && model.hasChatTemplate) return { mode: 'chat', source: 'task' };
  const mode = model.hasChatTemplate ? 'chat' : 'completion';
  return { mode, source: 'model', ...(task.promptMode === 'chat' ? { note: 'the task asks for chat mode but the model has no chat template' } : {}) };
}

/** How one response reads: reasoning apart, the answer part, the tokens each took. */
function readResponse(model: ModelBackend, g: GeneratedSample, thinkOpened: boolean): Pick<GenerativeResponse, 'reasoning' | 'answer' | 'unclosed_reasoning' | 'reasoning_tokens' | 'answer_tokens'> {
  if (g.reasoning !== undefined) {
    // The backend kept the reasoning apart (an API's reasoning field); the text may still hold think tags.
    const split = splitReasoning(g.text);
    const reasoningTokens = Math.min(g.generatedTokens, model.tokenize(g.reasoning, { addSpecialTokens: false }).length);
    return { reasoning: g.reasoning, answer: split.unclosed ? null : split.answer, unclosed_reasoning: split.unclosed, reasoning_tokens: reasoningTokens, answer_tokens: g.generatedTokens - reasoningTokens };
  }
  const text = thinkOpened ? `<think>${g.text}` : g.text;
  const split = splitReasoning(text);
  if (split.reasoning === null) return { reasoning: null, answer: split.answer, unclosed_reasoning: false, reasoning_tokens: 0, answer_tokens: g.generatedTokens };
  if (split.unclosed) return { reasoning: split.reasoning, answer: null, unclosed_reasoning: true, reasoning_tokens: g.generatedTokens, answer_tokens: 0 };
  // Tokens up to the end of the last closing tag are reasoning (as the tokenizer encodes that text).
  const end = g.text.toLowerCase().lastIndexOf('</think>') + '</think>'.length;
  const reasoningTokens = Math.min(g.generatedTokens, model.tokenize(g.text.slice(0, end), { addSpecialTokens: false }).length);
  return { reasoning: split.reasoning, answer: split.answer, unclosed_reasoning: false, reasoning_tokens: reasoningTokens, answer_tokens: g.generatedTokens - reasoningTokens };
}

/**
 * The generative task kind: prompt (completion or chat, few-shot examples dropped until it fits), generate n
 * responses, keep reasoning apart from the answer, extract the answer with each extractor's ordered patterns,
 * normalise and compare with the target; metrics per subset and overall (metrics.ts).
 */
export function generativeKind(task: GenerativeTask, ctx: KindContext<GenerativeSettings>): TaskKindRunner<GenerativeSample> {
  const { model, settings } = ctx;
  const resolved = resolveGeneration(task.generation, settings.generation);
  const gen = resolved.settings;
  const { mode, source: modeSource, note: modeNote } = promptModeFor(task, settings.promptMode, model);
  const count = settings.numFewshot ?? task.fewshot?.count ?? 0;
  const pick = fewshotPicker(task, ctx.documents, count);
  const extractors: CompiledExtractor[] = task.answers.map((e) => compileExtractor(e, task.name));
  const normalize = compileNormalize(task.normalize, task.name);
  const choicesField = task.answers.map((e) => (typeof e.fallback === 'object' ? e.fallback.random_choice.choices : undefined)).find((f) => f !== undefined);
  const position = new Map(ctx.documents.unfiltered.map((d, i) => [d.id, i]));
  let reported: Record<string, unknown> | undefined;
  let limitedWarned = false;

  const promptFor = (doc: Doc): { prompt: string; shots: number } => {
    const parts = promptParts(task, doc, pick(doc));
    const build = (k: number) => {
      const text = joinPrompt(parts, k);
      return mode === 'chat' ? chatPrompt(model, text, settings.systemPrompt) + task.prompt.chat_prefix : text;
    };
    // Drop examples from the end until the prompt fits: the task's prompt limit, and room for max_new_tokens.
    const limit = Math.min(task.maxPromptTokens ?? Infinity, model.maxLength - gen.maxNewTokens);
    for (let k = parts.shots.length; k > 0; k--) {
      const prompt = build(k);
      if (model.tokenize(prompt).length <= limit) return { prompt, shots: k };
    }
    return { prompt: build(0), shots: 0 };
  };

  const extract = (answer: string | null, targetNorm: string): Record<string, Extracted> =>
    Object.fromEntries(
      extractors.map((e) => {
        if (answer === null) return [e.name, { answer: null, pattern: null, normalized: null, correct: false }];
        const x = extractAnswer(e, answer);
        const normalized = x.answer === null ? null : normalize(x.answer);
        return [e.name, { answer: x.answer, pattern: x.pattern, normalized, correct: normalized !== null && normalized === targetNorm }];
      }),
    );

  const choicesOf = (doc: Doc): number | undefined => {
    if (!choicesField) return undefined;
    const v = doc.fields[choicesField];
    if (!Array.isArray(v) || v.length === 0) {
      throw new HarnessError(`field "${choicesField}" must be a non-empty list (the options a guess is drawn from)`, { where: `${doc.where}, field ${choicesField}`, fix: 'fix the row, or the fallback.random_choice.choices field of the task' });
    }
    return v.length;
  };

  return {
    async prepare() {
      if (ctx.documents.fewshotMissing && count > 0) {
        ctx.warn(`task ${task.name}: its ${count} few-shot examples are unavailable, so it runs zero-shot and its scores are not comparable with the reference: ${ctx.documents.fewshotMissing}`);
      }
      if (modeNote) ctx.warn(`task ${task.name}: ${modeNote}: raw completion prompts are used`);
    },
    chunkSize: 4,
    requestsPerDoc: () => gen.n,
    async score(docs) {
      const out: GenerativeSample[] = [];
      for (const doc of docs) {
        const { prompt, shots } = promptFor(doc);
        const target = render(task.target, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task.name}: target`);
        const targetNorm = normalize(target);
        const choices = choicesOf(doc);
        const base = {
          doc_id: doc.id,
          doc: doc.fields,
          ...(doc.subset !== undefined ? { subset: doc.subset } : {}),
          prompt_hash: sha256(prompt),
          ...(settings.logPrompts ? { prompt } : {}),
          mode,
          shots,
          target,
          target_normalized: targetNorm,
          ...(choices !== undefined ? { choices } : {}),
        };
        const generated = await generateN(model, prompt, { ...generationOptions(gen), stop: task.stop, n: gen.n, runSeed: settings.seed, docId: doc.id });
        if ('skipped' in generated) {
          out.push({ ...base, skipped: generated.skipped, responses: [] });
          continue;
        }
        reported ??= generated[0]?.settings;
        const thinkOpened = promptOpensThink(prompt);
        const responses = generated.map((g): GenerativeResponse => {
          const read = readResponse(model, g, thinkOpened);
          if (g.maxNewTokens < gen.maxNewTokens && !limitedWarned) {
            limitedWarned = true;
            ctx.warn(`task ${task.name}: the model's ${model.maxLength}-token context leaves fewer than max_new_tokens (${gen.maxNewTokens}) after some prompts; those responses are limited (see max_new_tokens in the samples)`);
          }
          return {
            index: g.index,
            seed: g.seed,
            raw: g.text,
            ...read,
            generated_tokens: g.generatedTokens,
            max_new_tokens: g.maxNewTokens,
            finish_reason: g.finishReason,
            truncated: g.finishReason === 'length',
            budget_forced: g.budgetForced,
            decode_tokens_per_second: g.decodeTokensPerSecond,
            extracted: extract(read.answer, targetNorm),
          };
        });
        out.push({ ...base, responses });
      }
      return out;
    },
    aggregate: (samples) =>
      aggregateGenerative(samples, {
        extractors,
        normalize,
        subsetGroups: task.subsets,
        position: (id) => position.get(id) ?? Number.MAX_SAFE_INTEGER,
        maxNewTokens: gen.maxNewTokens,
      }),
    describe: (samples) => ({
      num_fewshot: count,
      effective_shots: shotStats(samples.filter((s) => s.skipped === undefined).map((s) => s.shots)),
      extra: {
        prompt_mode: mode,
        prompt_mode_source: modeSource,
        ...(mode === 'chat' && settings.systemPrompt ? { system_prompt: settings.systemPrompt } : {}),
        ...(ctx.documents.fewshotMissing && count > 0 ? { fewshot_missing: ctx.documents.fewshotMissing } : {}),
        generation: describeGeneration(model, resolved, { stop: task.stop, reported }),
      },
    }),
  };
}
