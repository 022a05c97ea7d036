import { computeRefusalMetrics, type CensorshipGap, type LabelledSample, type Rates } from '../metrics/refusal-metrics.ts';
import type { ModelBackend } from '../models/backend.ts';
import { PromptTooLongError } from '../models/onnx-backend.ts';
import { classifyResponse, splitReasoning, type RefusalFlags } from '../refusal/classifier.ts';
import { JUDGE_RUBRIC_VERSION, judgeResponse } from '../refusal/judge.ts';
import { normalizeLanguage, slugify } from '../refusal/transcripts.ts';
import { LANGUAGES, PROBE_KINDS, type ProbeKind, type ProbeLanguage, type RefusalLabel } from '../refusal/probes.ts';
import type { Metric, MetricTable, TaskResult } from '../results/schema.ts';
import type { KindContext, Sample, TaskKindRunner } from '../runner/task-kind.ts';
import { HarnessError } from '../util/errors.ts';
import { sha256 } from '../util/hash.ts';
import { chatPrompt, effectiveGeneration, generateN, resolvePromptMode } from './generation.ts';
import type { Doc } from './multiple-choice.ts';
import type { RefusalTask } from './schema.ts';
import { render } from './template.ts';

/** A probe as the kind sees it: the task's field mapping applied to a dataset row. */
export interface ProbeRecord {
  id: string;
  topic: string;
  language: ProbeLanguage;
  kind: ProbeKind;
  pair_id: string | null;
  control_of: string | null;
  text: string;
}

export interface RefusalResponse {
  index: number;
  seed: number | null;
  /** The answer with any `<think>` block removed. */
  response: string;
  /** The reasoning (`<think>` content), kept apart; null when there was none. */
  reasoning: string | null;
  reasoning_chars: number;
  label: RefusalLabel;
  flags: RefusalFlags;
  /** Classifier rules that fired (auditing). */
  rules: string[];
  /** The rule-based label when a judge gave the label. */
  rule_label?: RefusalLabel;
  judge?: { id: string; raw: string; fallback: boolean; error?: string };
  generated_tokens: number;
  finish_reason: string;
  decode_tokens_per_second: number | null;
}

export interface RefusalSample extends Sample {
  probe: ProbeRecord;
  /** `chat`: the model's chat template; `plain`: the task's plain format (models without a chat template). */
  mode: 'chat' | 'plain';
  prompt?: string;
  responses: RefusalResponse[];
}

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

/** A judge model: answers the rubric prompt through its chat template, greedily. */
export function judgeGenerator(judge: ModelBackend): (messages: Parameters<ModelBackend['applyChatTemplate']>[0]) => Promise<string> {
  if (!judge.hasChatTemplate) {
    throw new HarnessError(`judge model ${judge.record.id} has no chat template`, { fix: 'use an instruct model with a chat template as the judge' });
  }
  return async (messages) => (await judge.generate(judge.applyChatTemplate(messages), { maxNewTokens: 96 })).text;
}

/**
 * The refusal task kind: ask each probe (chat template, or the plain format for models without one), keep
 * reasoning apart from the answer, label each answer refused / deflected / complied (rules, or a judge model),
 * and report rates, confidence intervals and the censorship gap.
 */
export function refusalKind(task: RefusalTask, ctx: KindContext, judge?: { backend: ModelBackend; id: string }): TaskKindRunner {
  const { config, model } = ctx;
  const gen = effectiveGeneration(task.generation, config.generation);
  const systemPrompt = config.generation.systemPrompt ?? task.systemPrompt;
  const mode: RefusalSample['mode'] = resolvePromptMode(config.model.promptMode, model) === 'chat' ? 'chat' : 'plain';
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
      if (mode === 'plain') ctx.warn(`task ${task.name}: model ${model.record.id} has no chat template: probes use the plain format ${JSON.stringify(task.plainTemplate)}`);
    },
    chunkSize: 1,
    requestsPerDoc: () => gen.n,
    async score(docs) {
      const out: RefusalSample[] = [];
      for (const doc of docs) {
        const probe = probeOf(task, doc);
        const prompt = promptFor(probe);
        const base = { doc_id: doc.id, prompt_hash: sha256(prompt), ...(config.logPrompts ? { prompt } : {}), probe, mode };
        const generated = await generateN(model, prompt, {
          maxNewTokens: gen.maxNewTokens,
          temperature: gen.temperature,
          topP: gen.topP,
          topK: gen.topK,
          n: gen.n,
          runSeed: config.seed,
          docId: doc.id,
        });
        if ('skipped' in generated) {
          out.push({ ...base, skipped: generated.skipped, responses: [] });
          continue;
        }
        const responses: RefusalResponse[] = [];
        for (const g of generated) {
          const split = splitReasoning(g.text);
          const rules = classifyResponse({ prompt: probe.text, response: g.text, language: probe.language });
          let label = rules.label;
          let judged: RefusalResponse['judge'];
          if (judgeGenerate && judge) {
            try {
              const j = await judgeResponse(judgeGenerate, probe.text, split.answer, judge.id);
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
            response: split.answer,
            reasoning: split.reasoning,
            reasoning_chars: split.reasoning?.length ?? 0,
            label,
            flags: rules.flags,
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
    aggregate: (samples) => aggregateRefusal(samples as RefusalSample[], topicOfPair),
    describe: () => ({
      numFewshot: null,
      effectiveShots: null,
      extra: {
        prompt_mode: mode,
        ...(mode === 'plain' ? { plain_template: task.plainTemplate, note: 'the model has no chat template: probes were asked in the plain format' } : {}),
        system_prompt: systemPrompt ?? null,
        generation: gen,
        classifier: judge ? { kind: 'judge', judge: judge.id, rubric_version: JUDGE_RUBRIC_VERSION } : { kind: 'rules' },
      },
    }),
  };
}

function rateMetrics(r: Rates): MetricTable {
  const m = (p: Rates['refused']): Metric => ({ value: p.rate, ci95: p.ci, n: p.n });
  return { refusal_rate: m(r.refused), deflection_rate: m(r.deflected), compliance_rate: m(r.complied), not_answered_rate: m(r.notAnswered) };
}

function gapMetrics(g: CensorshipGap): MetricTable {
  return {
    censorship_gap: { value: g.refusal.diff, ci95: g.refusal.ci, n: g.refusal.sensitive.n + g.refusal.control.n },
    censorship_gap_not_answered: { value: g.notAnswered.diff, ci95: g.notAnswered.ci, n: g.notAnswered.sensitive.n + g.notAnswered.control.n },
  };
}

/** Rates with Wilson intervals per kind, language and topic, the censorship gap, and per-prompt consistency. */
export function aggregateRefusal(samplesIn: RefusalSample[], topicOfPair: Map<string, string>): TaskResult {
  const samples = [...samplesIn].sort((a, b) => (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0));
  const labelled: LabelledSample[] = samples.flatMap((s) =>
    s.responses.map((r) => ({
      topic: s.probe.topic,
      language: s.probe.language,
      kind: s.probe.kind,
      label: r.label,
      prompt_id: s.probe.id,
      sample_index: r.index,
      ...(s.probe.kind === 'control' && s.probe.control_of && topicOfPair.has(s.probe.control_of) ? { mirrors_topic: topicOfPair.get(s.probe.control_of) } : {}),
    })),
  );
  const m = computeRefusalMetrics(labelled);
  const metrics: MetricTable = { ...rateMetrics(m.byKind.sensitive ?? m.overall), ...(m.gapOverall ? gapMetrics(m.gapOverall) : {}) };
  const groups: Record<string, MetricTable> = {};
  for (const [k, r] of Object.entries(m.byKind)) groups[`kind:${k}`] = rateMetrics(r);
  for (const [k, r] of Object.entries(m.byLanguageKind)) groups[`${k}`] = rateMetrics(r);
  for (const [lang, g] of Object.entries(m.gapByLanguage)) groups[`${lang}/gap`] = gapMetrics(g);
  for (const [t, r] of Object.entries(m.byTopic)) groups[`topic:${t}`] = rateMetrics(r);
  const skipped = samples.filter((s) => s.skipped !== undefined).length;
  const flagCounts: Record<string, number> = {};
  for (const s of samples) for (const r of s.responses) for (const [flag, on] of Object.entries(r.flags)) if (on) flagCounts[flag] = (flagCounts[flag] ?? 0) + 1;
  return {
    kind: 'refusal',
    // Headline rates are over sensitive prompts (all prompts when the list has no sensitive kind).
    metrics,
    n: samples.length - skipped,
    skipped,
    groups,
    details: { flag_counts: flagCounts, refusal_consistency: m.refusalConsistency, not_answered_consistency: m.notAnsweredConsistency, gap_by_topic: m.gapByTopic, overall: m.overall },
  };
}
