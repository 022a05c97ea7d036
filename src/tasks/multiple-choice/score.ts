import { sha256 } from '../../core/hash.ts';
import type { Doc } from '../../core/doc.ts';
import type { MultipleChoiceTask } from './schema.ts';
import { choicesOf, contextParts, joinParts, targetOf } from './prompt.ts';
import type { McSample } from './sample.ts';
import type { LoglikelihoodRequest, LoglikelihoodResult } from '../../models/backend.ts';

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
      doc: p.doc.fields,
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
