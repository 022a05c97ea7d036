import { PyRegex } from './pyregex.ts';
import type { Extractor, Normalize } from './schema.ts';

/**
 * Reading the answer out of a response, and normalising it for comparison. Pure functions, no I/O.
 *
 * An extractor tries its patterns in order; the first that matches gives the answer (TIGER-Lab's MMLU-Pro:
 * "answer is (X)", then the last "Answer: X" of the first line that has one, then the last standalone letter;
 * lm-evaluation-harness's GSM8K: "#### N", or the last number). No match: the extractor's fallback decides.
 */

export interface CompiledPattern {
  name: string;
  regex: PyRegex;
  select: 'first' | 'last';
}

export interface CompiledExtractor {
  name: string;
  metric: string;
  patterns: CompiledPattern[];
  fallback: Extractor['fallback'];
}

export function compileExtractor(e: Extractor, task: string): CompiledExtractor {
  return {
    name: e.name,
    metric: e.metric ?? `exact_match,${e.name}`,
    patterns: e.patterns.map((p, i) => ({ name: p.name ?? `p${i + 1}`, regex: new PyRegex(p.regex, p.flags, `task ${task}: answers.${e.name}.patterns[${i}]`), select: p.select })),
    fallback: e.fallback,
  };
}

export interface Extraction {
  /** The extracted answer (before normalisation), or null when no pattern matched. */
  answer: string | null;
  /** The name of the pattern that matched, or null. */
  pattern: string | null;
}

/**
 * The value one pattern gives: all matches (Python's findall), the first or the last, then the capture (the first
 * non-empty group of a multi-group pattern, as lm-evaluation-harness's regex filter takes it), stripped.
 */
export function applyPattern(p: CompiledPattern, text: string): string | null {
  let m: string | string[];
  if (p.select === 'first') {
    // The first of findall's matches is re.search's match.
    const found = p.regex.search(text);
    if (!found) return null;
    m = p.regex.groups === 0 ? found[0] : p.regex.groups === 1 ? (found[1] ?? '') : found.slice(1).map((g) => g ?? '');
  } else {
    const matches = p.regex.findall(text);
    if (matches.length === 0) return null;
    m = matches[matches.length - 1]!;
  }
  if (Array.isArray(m)) {
    const nonEmpty = m.filter((g) => g !== '');
    if (nonEmpty.length === 0) return null;
    m = nonEmpty[0]!;
  }
  return m.trim();
}

export function extractAnswer(e: CompiledExtractor, text: string): Extraction {
  for (const p of e.patterns) {
    const answer = applyPattern(p, text);
    if (answer !== null) return { answer, pattern: p.name };
  }
  return { answer: null, pattern: null };
}

// Python's string.punctuation.
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

export interface CompiledNormalize {
  (text: string): string;
}

/**
 * Normalisation of an answer and of the target before comparison, in lm-evaluation-harness's exact_match order
 * (regexes removed, case, punctuation), then whitespace and numbers.
 */
export function compileNormalize(n: Normalize, task: string): CompiledNormalize {
  const ignore = n.regexesToIgnore.map((r, i) => new PyRegex(r, '', `task ${task}: normalize.regexesToIgnore[${i}]`));
  return (text) => {
    let s = text;
    for (const r of ignore) s = r.sub(s);
    if (n.ignoreCase) s = s.toLowerCase();
    if (n.ignorePunctuation) s = s.replace(PUNCTUATION, '');
    if (n.whitespace) s = s.replace(/\s+/g, ' ').trim();
    if (n.numbers) s = canonicalNumber(s);
    return s;
  };
}

/** "1,000.50" -> "1000.5", "$18" -> "18", "18." -> "18", "-0.0" -> "0"; anything else unchanged. */
export function canonicalNumber(s: string): string {
  const t = s.trim().replace(/^\$|(?<=\d),(?=\d{3}\b)/g, '').replace(/\.$/, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return s;
  const v = Number(t);
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : s;
}
