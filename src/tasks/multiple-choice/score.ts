import { HarnessError } from '../util/errors.ts';
import { sha256 } from '../util/hash.ts';
import type { Row } from '../data/load.ts';
import type { MultipleChoiceTask } from './schema.ts';
import { render } from './template.ts';
import type { LoglikelihoodRequest, LoglikelihoodResult } from '../models/backend.ts';

/** One document to score, with where it came from (for error messages). */
export interface Doc {
  id: string;
  subset?: string;
  fields: Row;
  /** `file: row N` of the document, for errors. */
  where: string;
}

/** What the multiple-choice scorer writes per document. */
export interface McSample {
  doc_id: string;
  subset?: string;
  prompt_hash: string;
  prompt?: string;
  shots: number;
  choices: string[];
  target: number;
  loglikelihoods?: number[];
  is_greedy?: boolean[];
  prediction?: number;
  prediction_norm?: number;
  correct?: boolean;
  correct_norm?: boolean;
  skipped?: string;
}

/** The answer choices of a document: literal choices from the task, or a list field. */
export function choicesOf(task: MultipleChoiceTask, doc: Doc): string[] {
  const spec = task.prompt.doc_to_choice;
  // A list holds literal choices or per-document templates ("{{ a }}"), rendered with the document's fields.
  if (Array.isArray(spec)) return spec.map((c) => (c.includes('{') ? render(c, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task.name}: prompt.doc_to_choice`) : c));
  const v = doc.fields[spec];
  if (!Array.isArray(v) || v.length < 2 || v.some((c) => typeof c !== 'string')) {
    throw new HarnessError(`field "${spec}" must be a list of at least two strings`, {
      where: `${doc.where}, field ${spec}`,
      fix: 'fix the row, or point prompt.doc_to_choice at the field that holds the choices',
    });
  }
  return v as string[];
}

/** The index of the correct choice: the target field holds an index, a letter (A = 0) or the choice's text. */
export function targetOf(task: MultipleChoiceTask, doc: Doc, choices: string[]): number {
  const field = task.prompt.doc_to_target;
  const v = doc.fields[field];
  let index = -1;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v.trim()))) {
    index = Number(v);
  } else if (typeof v === 'string') {
    const t = v.trim();
    const exact = choices.indexOf(t);
    if (exact >= 0) index = exact;
    else if (/^[A-Z]$/.test(t)) index = t.charCodeAt(0) - 65;
  }
  if (!Number.isInteger(index) || index < 0 || index >= choices.length) {
    const letters = choices.map((_, i) => String.fromCharCode(65 + i)).join(', ');
    throw new HarnessError(`answer ${JSON.stringify(v)} is not one of the ${choices.length} choices`, {
      where: `${doc.where}, field ${field}`,
      fix: `the answer must be a letter (${letters}), an index 0-${choices.length - 1}, or the text of a choice`,
    });
  }
  return index;
}

/** Text of one document as a question (no answer). */
function docText(task: MultipleChoiceTask, doc: Doc): string {
  return render(task.prompt.doc_to_text, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task.name}: prompt.doc_to_text`);
}

/** A few-shot example: question, target delimiter, correct choice. */
function shotText(task: MultipleChoiceTask, shot: Doc): string {
  const choices = choicesOf(task, shot);
  return docText(task, shot) + task.prompt.target_delimiter + choices[targetOf(task, shot, choices)];
}

/** The parts of a prompt: rendered description, each few-shot example, and the question. */
function contextParts(task: MultipleChoiceTask, doc: Doc, shots: Doc[]): { description: string; shots: string[]; question: string } {
  const description = render(task.prompt.description, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task.name}: prompt.description`);
  return { description, shots: shots.map((s) => shotText(task, s)), question: docText(task, doc) };
}

function joinParts(task: MultipleChoiceTask, parts: { description: string; shots: string[]; question: string }, k: number): string {
  return parts.description + [...parts.shots.slice(0, k), parts.question].join(task.prompt.fewshot_delimiter);
}

/** lm-evaluation-harness's context: description + shots joined by the few-shot delimiter + the question. */
export function buildContext(task: MultipleChoiceTask, doc: Doc, shots: Doc[]): string {
  return joinParts(task, contextParts(task, doc, shots), shots.length);
}

export interface McScorer {
  tokenize(text: string): number[];
  countTokens(context: string, continuation: string): number;
  maxLength: number;
  loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]>;
}

/** Length of a choice in characters (Unicode code points), the normaliser of lm-evaluation-harness's acc_norm. */
function choiceLength(choice: string): number {
  return [...choice].length;
}

function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/**
 * Scores a chunk of documents. Few-shot examples are dropped from the end until the prompt fits the model's
 * context (as the original MMLU script does); a document that does not fit even zero-shot is recorded as skipped.
 */
export async function scoreMultipleChoice(
  task: MultipleChoiceTask,
  docs: Doc[],
  shotsFor: (doc: Doc) => Doc[],
  model: McScorer,
  opts: { logPrompts: boolean },
): Promise<McSample[]> {
  const planned = docs.map((doc) => {
    const choices = choicesOf(task, doc);
    const target = targetOf(task, doc, choices);
    const continuations = choices.map((c) => task.prompt.target_delimiter + c);
    const longest = continuations.reduce((a, b) => (b.length > a.length ? b : a));
    const parts = contextParts(task, doc, shotsFor(doc));
    const fits = (k: number) => model.countTokens(joinParts(task, parts, k), longest) - 1 <= model.maxLength;
    // Drop few-shot examples from the end until the prompt fits. Token counts of the parts (cached: a subject's
    // shots repeat) give a first guess; exact counts of the whole prompt then settle it, with the same result as
    // trying k = n, n - 1, ... in turn.
    const delimiterTokens = model.tokenize(task.prompt.fewshot_delimiter).length;
    let estimate = model.tokenize(parts.description).length + model.countTokens(parts.question, longest) - 1;
    let k = 0;
    while (k < parts.shots.length && estimate + model.tokenize(parts.shots[k]).length + delimiterTokens <= model.maxLength) {
      estimate += model.tokenize(parts.shots[k]).length + delimiterTokens;
      k += 1;
    }
    let fitsK = fits(k);
    if (fitsK) {
      while (k < parts.shots.length && fits(k + 1)) k += 1;
    } else {
      while (k > 0 && !fitsK) fitsK = fits(--k);
    }
    const context = joinParts(task, parts, k);
    return { doc, choices, target, continuations, context, shots: k, fits: fitsK };
  });
  const requests = planned.flatMap((p) => (p.fits ? p.continuations.map((continuation) => ({ context: p.context, continuation })) : []));
  const results = await model.loglikelihood(requests);
  let next = 0;
  return planned.map((p) => {
    const base: McSample = {
      doc_id: p.doc.id,
      ...(p.doc.subset !== undefined ? { subset: p.doc.subset } : {}),
      prompt_hash: sha256(p.context),
      ...(opts.logPrompts ? { prompt: p.context } : {}),
      shots: p.shots,
      choices: p.choices,
      target: p.target,
    };
    if (!p.fits) {
      const tokens = model.countTokens(p.context, p.continuations[0]);
      return { ...base, skipped: `zero-shot prompt of ${tokens} tokens does not fit the model's ${model.maxLength}-token context` };
    }
    const rs = results.slice(next, next + p.choices.length);
    next += p.choices.length;
    const lls = rs.map((r) => r.logprob);
    const prediction = argmax(lls);
    const predictionNorm = argmax(lls.map((ll, i) => ll / choiceLength(p.choices[i])));
    return {
      ...base,
      loglikelihoods: lls,
      is_greedy: rs.map((r) => r.isGreedy),
      prediction,
      prediction_norm: predictionNorm,
      correct: prediction === p.target,
      correct_norm: predictionNorm === p.target,
    };
  });
}
