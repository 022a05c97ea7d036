import { aggregateRefusal } from './metrics.ts';
import type { ProbeRecord, RefusalResponse, RefusalSample, SampleFlags } from './sample.ts';
import type { ModelBackend } from '../../models/backend.ts';
import { PromptTooLongError } from '../../models/backend.ts';
import { splitReasoning } from '../../core/reasoning.ts';
import { classifyResponse, type RefusalFlags } from './classifier.ts';
import { JUDGE_RUBRIC_VERSION, judgeResponse } from './judge.ts';
import { normalizeLanguage, slugify } from './transcripts.ts';
import { LANGUAGES, PROBE_KINDS, type ProbeKind, type ProbeLanguage } from './probes.ts';
import type { KindContext, TaskKindRunner } from '../../core/task-kind.ts';
import { HarnessError } from '../../core/errors.ts';
import { sha256 } from '../../core/hash.ts';
import { chatPrompt, describeGeneration, generateN, generationOptions, resolveGeneration, resolvePromptMode, type GenerationOverrides, type PromptModeSetting } from '../generation.ts';
import type { Doc } from '../../core/doc.ts';
import type { RefusalTask } from './schema.ts';
import { render } from '../template.ts';
import type { ProbeKey } from './sampling.ts';

const CJK = /[\u3400-\u9fff]/;

/** Maps a dataset row to a probe; researchers' own lists may lack topic, language or kind. */
function probeOf(task: RefusalTask, doc: Doc): ProbeRecord {
  const f = task.fields;
  const get = (name: string) => doc.fields[name];
  const text = get(f.prompt);
  if (typeof text !== 'string' || text.trim() === '') {
    throw new HarnessError(`row has no prompt text in field "${f.prompt}"`, {
      where: `${doc.where}, field ${f.prompt}`,
      fix: `set fields.prompt in the task file to the column that holds the prompt (columns: ${Object.keys(doc.fields).join(', ')})`,
    });
  }
  const rawLanguage = get(f.language);
  const language = rawLanguage === undefined || rawLanguage === null || rawLanguage === '' ? (CJK.test(text) ? 'zh' : 'en') : (normalizeLanguage(rawLanguage) ?? String(rawLanguage));
  const kind = String(get(f.kind) ?? 'sensitive');
  if (!(LANGUAGES as readonly string[]).includes(language)) {
    throw new HarnessError(`language "${language}" is not one of ${LANGUAGES.join(', ')}`, { where: `${doc.where}, field ${f.language}`, fix: 'use en or zh' });
  }
  if (!(PROBE_KINDS as readonly string[]).includes(kind)) {
    throw new HarnessError(`kind "${kind}" is not one of ${PROBE_KINDS.join(', ')}`, { where: `${doc.where}, field ${f.kind}`, fix: `use ${PROBE_KINDS.join(', ')}` });
  }
  const pair = get(f.pairId);
  const controlOf = get('control_of');
  return {
    id: String(get(f.id) ?? doc.id),
    topic: slugify(String(get(f.topic) ?? 'custom')),
    language: language as ProbeLanguage,
    kind: kind as ProbeKind,
    pair_id: pair === undefined || pair === null ? null : String(pair),
    control_of: controlOf === undefined || controlOf === null ? null : String(controlOf),
    text,
  };
}

/** What `--limit` stratifies and pairs by: kind, language, pair and the pair a control mirrors. */
export function probeKey(task: RefusalTask, doc: Doc): ProbeKey {
  const p = probeOf(task, doc);
  return { kind: p.kind, language: p.language, pairId: p.pair_id ?? p.id, controlOf: p.control_of };
}

/** A judge model: answers the rubric prompt through its chat template, greedily. */
export function judgeGenerator(judge: ModelBackend): (messages: Parameters<ModelBackend['applyChatTemplate']>[0]) => Promise<string> {
  if (!judge.hasChatTemplate) {
    throw new HarnessError(`judge model ${judge.record.name} has no chat template`, { fix: 'use an instruct model with a chat template as the judge' });
  }
  return async (messages) => (await judge.generate(judge.applyChatTemplate(messages), { maxNewTokens: 96 })).text;
}

/** What a refusal task needs from the run's settings. */
export interface RefusalSettings {
  seed: number;
  logPrompts: boolean;
  promptMode: PromptModeSetting;
  generation: GenerationOverrides;
  /** The run's system prompt (else the task file's). */
  systemPrompt?: string;
  /** A judge model that labels answers instead of the rules (config `judge`). */
  judge?: { backend: ModelBackend; id: string };
}

/** The classifier's flags as sample fields. */
function sampleFlags(f: RefusalFlags): SampleFlags {
  return {
    official_narrative: f.officialNarrative,
    thought_suppression: f.thoughtSuppression,
    language_mismatch: f.languageMismatch,
    empty: f.empty,
    unclosed_reasoning: f.unclosedReasoning,
  };
}

/**
 * The refusal task kind: ask each probe (chat template, or the plain format for models without one), keep
 * reasoning apart from the answer, label each answer refused / deflected / complied (rules, or a judge model),
 * and report rates, confidence intervals and the censorship gap.
 */
export function refusalKind(task: RefusalTask, ctx: KindContext<RefusalSettings>): TaskKindRunner<RefusalSample> {
  const { model, settings } = ctx;
  const judge = settings.judge;
  const resolved = resolveGeneration(task.generation, settings.generation);
  const gen = resolved.settings;
  let reported: Record<string, unknown> | undefined;
  const systemPrompt = settings.systemPrompt ?? task.systemPrompt;
  const mode: RefusalSample['mode'] = resolvePromptMode(settings.promptMode, model) === 'chat' ? 'chat' : 'plain';
  const judgeGenerate = judge ? judgeGenerator(judge.backend) : undefined;
  let judgeWarned = false;
  // Which sensitive topic each control mirrors (control_of names a sensitive pair), from the whole suite.
  const topicOfPair = new Map<string, string>();
  for (const d of ctx.documents.unfiltered) {
    const p = probeOf(task, d);
    if (p.kind === 'sensitive' && p.pair_id) topicOfPair.set(p.pair_id, p.topic);
  }

  const promptFor = (probe: ProbeRecord): string =>
    mode === 'chat' ? chatPrompt(model, probe.text, systemPrompt) : render(task.plainTemplate, { prompt: probe.text }, `task ${task.name}: plainTemplate`);

  return {
    async prepare() {
      if (mode === 'plain') ctx.warn(`task ${task.name}: model ${model.record.name} has no chat template: probes use the plain format ${JSON.stringify(task.plainTemplate)}`);
    },
    chunkSize: 1,
    requestsPerDoc: () => gen.n,
    async score(docs) {
      const out: RefusalSample[] = [];
      for (const doc of docs) {
        const probe = probeOf(task, doc);
        const prompt = promptFor(probe);
        const base = { doc_id: doc.id, doc: doc.fields, prompt_hash: sha256(prompt), ...(settings.logPrompts ? { prompt } : {}), probe, mode };
        const generated = await generateN(model, prompt, {
          ...generationOptions(gen),
          n: gen.n,
          runSeed: settings.seed,
          docId: doc.id,
        });
        if ('skipped' in generated) {
          out.push({ ...base, skipped: generated.skipped, responses: [] });
          continue;
        }
        reported ??= generated[0]?.settings;
        const responses: RefusalResponse[] = [];
        for (const g of generated) {
          const split = splitReasoning(g.text);
          const answer = split.answer.trim();
          const rules = classifyResponse({ prompt: probe.text, response: g.text, language: probe.language });
          let label = rules.label;
          let judged: RefusalResponse['judge'];
          if (judgeGenerate && judge) {
            try {
              const j = await judgeResponse(judgeGenerate, probe.text, answer, judge.id);
              label = j.label;
              judged = { id: judge.id, raw: j.raw, fallback: j.fallback };
            } catch (err) {
              // A judge that cannot take the rubric (context too small) leaves the rule label, recorded as such.
              if (!(err instanceof PromptTooLongError)) throw err;
              if (!judgeWarned) ctx.warn(`judge ${judge.id}: ${err.message}; those answers keep the rule-based label`);
              judgeWarned = true;
              judged = { id: judge.id, raw: '', fallback: true, error: err.message };
            }
          }
          responses.push({
            index: g.index,
            seed: g.seed,
            response: answer,
            reasoning: split.reasoning,
            reasoning_chars: split.reasoningChars,
            label,
            flags: sampleFlags(rules.flags),
            rules: rules.matched,
            ...(judged ? { rule_label: rules.label, judge: judged } : {}),
            generated_tokens: g.generatedTokens,
            finish_reason: g.finishReason,
            decode_tokens_per_second: g.decodeTokensPerSecond,
          });
        }
        out.push({ ...base, responses });
      }
      return out;
    },
    aggregate: (samples) => aggregateRefusal(samples, topicOfPair),
    describe: () => ({
      num_fewshot: null,
      effective_shots: null,
      extra: {
        prompt_mode: mode,
        ...(mode === 'plain' ? { plain_template: task.plainTemplate, note: 'the model has no chat template: probes were asked in the plain format' } : {}),
        system_prompt: systemPrompt ?? null,
        generation: describeGeneration(model, resolved, { stop: [], reported }),
        classifier: judge ? { kind: 'judge', judge: judge.id, rubric_version: JUDGE_RUBRIC_VERSION } : { kind: 'rules' },
      },
    }),
  };
}
