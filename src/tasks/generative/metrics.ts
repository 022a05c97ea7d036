import { PyRandom } from '../../core/py-random.ts';
import type { MetricTable, TaskResult } from '../../core/result.ts';
import { mean, meanStderr, pooledSampleStderr, weightedMean } from '../../core/stats.ts';
import type { CompiledExtractor } from './extract.ts';
import type { GenerativeSample } from './sample.ts';

export interface AggregateOptions {
  extractors: CompiledExtractor[];
  normalize: (s: string) => string;
  /** Subset -> group ('' for none); undefined when the task has no subsets. */
  subsetGroups?: Record<string, string>;
  /** Position of a document in the dataset (the order a reference script walks it in). */
  position: (docId: string) => number;
  /** The max_new_tokens in force (responses allowed fewer were limited by the model's context). */
  maxNewTokens: number;
}

const letter = (i: number) => String.fromCharCode(65 + i);

/**
 * TIGER-Lab's guess for unanswered responses: Python's random seeded once, then, for each subset in sorted order,
 * `passes` walks over its documents in dataset order drawing randint(0, options - 1) for each response without an
 * answer; the last pass's draws count (evaluate_from_local.py scores each category twice with the same stream).
 * Returns the guessed letter per document and response.
 */
export function randomGuesses(samples: GenerativeSample[], extractor: string, opts: { seed: number; passes: number }, position: (id: string) => number): Map<string, Map<number, string>> {
  const rng = new PyRandom(opts.seed);
  const bySubset = new Map<string, GenerativeSample[]>();
  for (const s of samples) bySubset.set(s.subset ?? '', [...(bySubset.get(s.subset ?? '') ?? []), s]);
  const out = new Map<string, Map<number, string>>();
  for (const subset of [...bySubset.keys()].sort()) {
    const ordered = bySubset.get(subset)!.sort((a, b) => position(a.doc_id) - position(b.doc_id));
    for (let pass = 0; pass < opts.passes; pass++) {
      for (const s of ordered) {
        for (const r of s.responses) {
          if (r.extracted[extractor]?.answer !== null) continue;
          const g = letter(rng.randint(0, (s.choices ?? 1) - 1));
          if (!out.has(s.doc_id)) out.set(s.doc_id, new Map());
          out.get(s.doc_id)!.set(r.index, g);
        }
      }
    }
  }
  return out;
}

/** The most common non-null answer (ties: the one seen first), or null. */
export function majority(answers: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const a of answers) if (a !== null) counts.set(a, (counts.get(a) ?? 0) + 1);
  let best: string | null = null;
  for (const [a, c] of counts) if (best === null || c > counts.get(best)!) best = a;
  return best;
}

function table(rows: { doc: string; scores: Record<string, number> }[], keys: string[]): MetricTable {
  const out: MetricTable = {};
  for (const k of keys) {
    const xs = rows.map((r) => r.scores[k]!);
    const se = meanStderr(xs);
    out[k] = { value: mean(xs), stderr: Number.isFinite(se) ? se : null, n: xs.length };
  }
  return out;
}

function pool(members: MetricTable[], keys: string[]): MetricTable {
  const out: MetricTable = {};
  for (const k of keys) {
    const rows = members.map((t) => t[k]).filter((r) => r !== undefined && r.n > 0);
    const sizes = rows.map((r) => r.n);
    const n = sizes.reduce((a, b) => a + b, 0);
    out[k] = { value: n === 0 ? NaN : weightedMean(rows.map((r) => r.value ?? NaN), sizes), stderr: n === 0 ? NaN : pooledSampleStderr(rows.map((r) => r.stderr ?? 0), sizes), n };
  }
  return out;
}

const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Metrics of a generative task: for each extractor, exact match (its `metric` key; a document scores the mean over
 * its n responses, a fallback guess counting when it hits), and with n > 1 the majority vote (`maj@n`); per subset,
 * per group (size-weighted, pooled standard errors) and overall (the mean over documents: TIGER-Lab's micro average).
 * Details: which pattern answered how often, the guesses made, and the reasoning summary (mean reasoning and answer
 * tokens, share truncated, share with an unclosed think block).
 */
export function aggregateGenerative(samplesIn: GenerativeSample[], opts: AggregateOptions): TaskResult {
  const samples = [...samplesIn].sort((a, b) => opts.position(a.doc_id) - opts.position(b.doc_id));
  const scored = samples.filter((s) => s.skipped === undefined);
  const n = scored.length > 0 ? Math.min(...scored.map((s) => s.responses.length)) : 1;
  const keys: string[] = [];
  const rows = scored.map((s) => ({ doc: s.doc_id, subset: s.subset ?? '', scores: {} as Record<string, number> }));
  const details: Record<string, unknown> = {};
  const extraction: Record<string, unknown> = {};
  for (const e of opts.extractors) {
    const random = typeof e.fallback === 'object' ? e.fallback.random_choice : undefined;
    const guesses = random ? randomGuesses(scored, e.name, random, opts.position) : new Map<string, Map<number, string>>();
    const maj = `maj@${n}${e.metric.includes(',') ? e.metric.slice(e.metric.indexOf(',')) : ''}`;
    keys.push(e.metric);
    if (n > 1) keys.push(maj);
    const patterns: Record<string, number> = {};
    let guessed = 0;
    let guessedRight = 0;
    scored.forEach((s, i) => {
      const hits = s.responses.map((r) => {
        const x = r.extracted[e.name]!;
        patterns[x.pattern ?? 'none'] = (patterns[x.pattern ?? 'none'] ?? 0) + 1;
        if (x.answer !== null) return x.correct;
        const g = guesses.get(s.doc_id)?.get(r.index);
        if (g === undefined) return false;
        guessed += 1;
        const right = opts.normalize(g) === s.target_normalized;
        if (right) guessedRight += 1;
        return right;
      });
      rows[i]!.scores[e.metric] = hits.filter(Boolean).length / hits.length;
      if (n > 1) rows[i]!.scores[maj] = majority(s.responses.map((r) => r.extracted[e.name]!.normalized)) === s.target_normalized ? 1 : 0;
    });
    extraction[e.name] = {
      metric: e.metric,
      patterns,
      ...(random
        ? { guesses: { made: guessed, correct: guessedRight, seed: random.seed, by_doc: Object.fromEntries([...guesses].map(([d, m]) => [d, Object.fromEntries(m)])) } }
        : {}),
    };
  }
  details.extraction = extraction;
  const responses = scored.flatMap((s) => s.responses);
  details.generation = {
    responses: responses.length,
    mean_generated_tokens: avg(responses.map((r) => r.generated_tokens)),
    mean_reasoning_tokens: avg(responses.filter((r) => r.reasoning !== null).map((r) => r.reasoning_tokens)),
    mean_answer_tokens: avg(responses.map((r) => r.answer_tokens)),
    with_reasoning: responses.filter((r) => r.reasoning !== null).length,
    unclosed_reasoning: responses.filter((r) => r.unclosed_reasoning).length,
    budget_forced: responses.filter((r) => r.budget_forced).length,
    truncated: responses.filter((r) => r.truncated).length,
    share_truncated: avg(responses.map((r) => (r.truncated ? 1 : 0))),
    /** Responses whose token limit was cut below max_new_tokens by the model's context. */
    context_limited: responses.filter((r) => r.max_new_tokens < opts.maxNewTokens).length,
  };
  const base = { kind: 'generative' as const, n: scored.length, skipped: samples.length - scored.length, details };
  if (!opts.subsetGroups) return { ...base, metrics: table(rows, keys) };
  const bySubset: Record<string, MetricTable> = {};
  for (const subset of [...new Set(rows.map((r) => r.subset))].sort()) bySubset[subset] = table(rows.filter((r) => r.subset === subset), keys);
  const groupMembers = new Map<string, MetricTable[]>();
  for (const [name, t] of Object.entries(bySubset)) {
    const g = opts.subsetGroups[name] ?? '';
    if (g) groupMembers.set(g, [...(groupMembers.get(g) ?? []), t]);
  }
  const byGroup: Record<string, MetricTable> = {};
  for (const [g, members] of [...groupMembers].sort(([a], [b]) => (a < b ? -1 : 1))) byGroup[g] = pool(members, keys);
  const overall = groupMembers.size > 0 ? pool(Object.values(byGroup), keys) : table(rows, keys);
  return { ...base, metrics: overall, by_group: byGroup, by_subset: bySubset };
}
