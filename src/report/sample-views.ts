import type { Sample } from '../core/task-kind.ts';
import type { CodeSample } from '../tasks/code/sample.ts';
import type { GenerativeSample } from '../tasks/generative/sample.ts';
import type { McSample } from '../tasks/multiple-choice/sample.ts';
import type { RefusalSample } from '../tasks/refusal/sample.ts';

/** How one run answered one document, as the report's sample browser shows it. */
export interface SampleView {
  /** Short outcome: `correct`, `2/5 passed`, `refused`. Documents flip between runs when it differs. */
  outcome: string;
  /** true / false for the correct-incorrect filter; null when the kind has no such notion (refusal). */
  ok: boolean | null;
  /** Values for the label filter (refusal labels, program outcomes). */
  labels: string[];
  /** The model's answer: the chosen option, the program, the response. */
  output: string;
  reasoning: string | null;
  /** More: log-likelihoods, errors, flags. */
  detail: string;
}

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function mcView(s: McSample): SampleView {
  if (s.skipped) return { outcome: 'skipped', ok: null, labels: ['skipped'], output: '', reasoning: null, detail: s.skipped };
  const choice = (i: number | undefined) => {
    if (i === undefined) return '–';
    const letter = letters[i] ?? String(i);
    // MMLU's choices are the letters themselves.
    return s.choices[i].trim() === letter ? letter : `${letter}. ${s.choices[i].trim()}`;
  };
  const ll = (s.loglikelihoods ?? []).map((l, i) => `${letters[i] ?? i}  ${l.toFixed(4)}${s.is_greedy?.[i] ? '  (greedy)' : ''}${i === s.target ? '  ← target' : ''}`);
  return {
    outcome: s.correct ? 'correct' : 'incorrect',
    ok: s.correct ?? null,
    labels: [s.correct ? 'correct' : 'incorrect', ...(s.correct_norm !== s.correct ? [`acc_norm ${s.correct_norm ? 'correct' : 'incorrect'}`] : [])],
    output: `answer: ${choice(s.prediction)}\ntarget: ${choice(s.target)}${s.prediction_norm !== s.prediction ? `\nby length-normalised log-likelihood: ${choice(s.prediction_norm)}` : ''}`,
    reasoning: null,
    detail: `log-likelihoods (${s.shots} shot${s.shots === 1 ? '' : 's'}):\n${ll.join('\n')}`,
  };
}

function codeView(s: CodeSample): SampleView {
  if (s.skipped) return { outcome: 'skipped', ok: null, labels: ['skipped'], output: '', reasoning: null, detail: s.skipped };
  const a = s.attempts[0];
  const statuses = [...new Set(s.attempts.map((x) => x.outcome.status))];
  return {
    outcome: `${s.c}/${s.n} passed`,
    ok: s.c > 0,
    labels: statuses,
    output: a ? a.code : '',
    reasoning: null,
    detail: s.attempts
      .map((x) => `attempt ${x.index}: ${x.outcome.status}${x.outcome.reason ? ` (${x.outcome.reason})` : ''}${x.outcome.error ? `: ${x.outcome.error}` : ''}, ${x.generated_tokens} tokens, ${x.extraction}`)
      .join('\n'),
  };
}

function refusalView(s: RefusalSample): SampleView {
  if (s.skipped) return { outcome: 'skipped', ok: null, labels: ['skipped'], output: '', reasoning: null, detail: s.skipped };
  const r = s.responses[0];
  const labels = s.responses.map((x) => x.label);
  return {
    outcome: labels.join(', '),
    ok: null,
    labels: [...new Set(labels)],
    output: r ? r.response : '',
    reasoning: r?.reasoning ?? null,
    detail: s.responses
      .map((x) => {
        const flags = Object.entries(x.flags).filter(([, on]) => on).map(([f]) => f);
        return `sample ${x.index}: ${x.label}${x.judge ? ` (judge ${x.judge.id}; rules: ${x.rule_label})` : ''}${flags.length ? `; flags: ${flags.join(', ')}` : ''}${x.rules.length ? `; rules: ${x.rules.join(', ')}` : ''}`;
      })
      .join('\n'),
  };
}

function generativeView(s: GenerativeSample): SampleView {
  if (s.skipped) return { outcome: 'skipped', ok: null, labels: ['skipped'], output: '', reasoning: null, detail: s.skipped };
  const r = s.responses[0];
  // The first extractor decides the outcome shown (a fallback guess is scored in the metrics, not here).
  const first = r ? Object.keys(r.extracted)[0] : undefined;
  const hits = s.responses.filter((x) => first !== undefined && x.extracted[first]?.correct).length;
  const answered = r && first ? r.extracted[first] : undefined;
  return {
    outcome: s.responses.length > 1 ? `${hits}/${s.responses.length} correct` : hits > 0 ? 'correct' : answered?.answer === null ? 'no answer' : 'incorrect',
    ok: hits > 0,
    labels: [hits > 0 ? 'correct' : 'incorrect', ...(answered?.answer === null ? ['no answer'] : []), ...(r?.truncated ? ['truncated'] : []), ...(r?.unclosed_reasoning ? ['unclosed reasoning'] : [])],
    output: r ? (r.answer ?? r.raw) : '',
    reasoning: r?.reasoning ?? null,
    detail: [
      `target: ${s.target}`,
      ...s.responses.flatMap((x) => Object.entries(x.extracted).map(([name, e]) => `response ${x.index}, ${name}: ${e.answer === null ? 'no answer' : JSON.stringify(e.answer)}${e.pattern ? ` (pattern ${e.pattern})` : ''} ${e.correct ? 'correct' : 'incorrect'}`)),
      ...s.responses.map((x) => `response ${x.index}: ${x.generated_tokens} tokens (${x.reasoning_tokens} reasoning), ${x.finish_reason}${x.truncated ? ', truncated' : ''}`),
    ].join('\n'),
  };
}

/** Any other kind: its sample's own fields (prompt and document left out), so a new kind shows up at once. */
function genericView(s: Sample): SampleView {
  const { doc: _d, prompt: _p, prompt_hash: _h, doc_id: _i, ...rest } = s;
  return { outcome: s.skipped ? 'skipped' : 'scored', ok: null, labels: [], output: JSON.stringify(rest, null, 2), reasoning: null, detail: '' };
}

export function sampleView(kind: string, s: Sample): SampleView {
  switch (kind) {
    case 'multiple_choice':
      return mcView(s as unknown as McSample);
    case 'code':
      return codeView(s as unknown as CodeSample);
    case 'refusal':
      return refusalView(s as unknown as RefusalSample);
    case 'generative':
      return generativeView(s as unknown as GenerativeSample);
    default:
      return genericView(s);
  }
}

/** The group a document belongs to, for the browser's header: MMLU subject, refusal topic / language / kind. */
export function sampleGroup(kind: string, s: Sample): string {
  if (kind === 'refusal') {
    const p = (s as unknown as RefusalSample).probe;
    return `${p.topic} · ${p.language} · ${p.kind}`;
  }
  return typeof s.subset === 'string' ? s.subset : '';
}
