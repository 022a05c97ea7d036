/**
 * Getting Python code out of a model's output. Pure functions, no I/O.
 *
 * Completion mode (base models, HumanEval as in the Codex paper): the output continues the prompt and is
 * cut at the first stop sequence. Chat/instruct mode: reasoning in <think>…</think> is dropped (its length
 * is reported), then a fenced code block is taken (the one defining the entry point when there are
 * several), else the entry-point function found in plain text, else the whole text.
 */
import { splitReasoning } from '../../core/reasoning.ts';
import { cutAtStop } from '../../core/stops.ts';

/** Stop sequences of the Codex paper / openai human-eval for completion-mode HumanEval. */
export const HUMANEVAL_STOP_SEQUENCES: readonly string[] = Object.freeze(['\nclass', '\ndef', '\n#', '\nif', '\nprint']);

/** Completion mode: drop reasoning, then cut at the stop sequences (default: HumanEval's). */
export function extractCompletion(output: string, stops: readonly string[] = HUMANEVAL_STOP_SEQUENCES): { completion: string; thinkingChars: number } {
  const { answer, reasoningChars } = splitReasoning(output);
  return { completion: cutAtStop(answer, stops), thinkingChars: reasoningChars };
}

export interface FencedBlock {
  /** Info string after the opening fence, lower-cased (`python`, `py`, `` for none). */
  lang: string;
  code: string;
  /** False for a block the output ended inside of. */
  closed: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** All fenced code blocks, in order. A block still open at the end of the text is included (closed: false). */
export function extractFencedBlocks(text: string): FencedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let current: { fence: string; lang: string; lines: string[] } | undefined;
  for (const line of lines) {
    if (!current) {
      const m = FENCE.exec(line);
      if (m) current = { fence: m[1]!, lang: m[2]!.toLowerCase(), lines: [] };
      continue;
    }
    const t = line.trim();
    if (t.length >= current.fence.length && t === current.fence[0]!.repeat(t.length)) {
      blocks.push({ lang: current.lang, code: current.lines.join('\n'), closed: true });
      current = undefined;
    } else {
      current.lines.push(line);
    }
  }
  if (current) blocks.push({ lang: current.lang, code: current.lines.join('\n'), closed: false });
  return blocks;
}

const PYTHON_LANGS = new Set(['', 'python', 'py', 'python3', 'py3', 'python2']);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function defRegExp(name: string): RegExp {
  return new RegExp(`^([ \\t]*)(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(name)}[ \\t]*\\(`, 'm');
}

/** Whether `code` defines a function called `name` (at any indentation). */
export function definesFunction(code: string, name: string): boolean {
  return defRegExp(name).test(code);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Find `def name(` in plain text and return that function (decorators and body, dedented), preceded by the
 * import lines that appear before it. Undefined when the text has no such definition.
 */
export function extractFunctionByName(text: string, name: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const re = defRegExp(name);
  const at = lines.findIndex((l) => re.test(l));
  if (at < 0) return undefined;
  const base = indentOf(lines[at]!);
  let start = at;
  while (start > 0 && lines[start - 1]!.trim().startsWith('@') && indentOf(lines[start - 1]!) === base) start--;
  let end = at + 1;
  // The signature may continue over several lines: go on until its parentheses balance.
  const balance = (s: string) => [...s].reduce((d, ch) => d + (ch === '(' || ch === '[' ? 1 : ch === ')' || ch === ']' ? -1 : 0), 0);
  while (end < lines.length && balance(lines.slice(at, end).join('\n')) > 0) end++;
  for (; end < lines.length; end++) {
    const l = lines[end]!;
    if (l.trim() === '') continue;
    if (indentOf(l) <= base) break;
  }
  while (end > at + 1 && lines[end - 1]!.trim() === '') end--;
  const dedent = (l: string) => (indentOf(l) >= base ? l.slice(base) : l.trimStart());
  const body = lines.slice(start, end).map(dedent);
  const imports = lines
    .slice(0, start)
    .filter((l) => /^\s*(import\s+[\w.]+|from\s+[\w.]+\s+import\s+)/.test(l))
    .map((l) => l.trim());
  return [...new Set(imports), ...body].join('\n');
}

export type ExtractionMethod = 'fenced' | 'function' | 'raw' | 'empty';

export interface ExtractedCode {
  code: string;
  method: ExtractionMethod;
  /** Characters of reasoning dropped (see core/reasoning.ts). */
  thinkingChars: number;
  /** Fenced blocks found in the output (after reasoning was dropped). */
  blocks: number;
}

/**
 * Chat/instruct mode extraction.
 * 1. Drop reasoning.
 * 2. Fenced blocks (Python-labelled or unlabelled ones; other languages only when there is nothing else):
 *    the first block that defines `entryPoint`; with no entry point, or none defining it, the longest block
 *    (a solution is usually longer than a usage example), the first one on a tie.
 * 3. No usable block: the `entryPoint` function taken from the plain text.
 * 4. Otherwise the whole remaining text (it may be bare code).
 */
export function extractCode(output: string, opts: { entryPoint?: string } = {}): ExtractedCode {
  const { answer: text, reasoningChars: thinkingChars } = splitReasoning(output);
  const all = extractFencedBlocks(text).filter((b) => b.code.trim() !== '');
  const python = all.filter((b) => PYTHON_LANGS.has(b.lang));
  const candidates = python.length > 0 ? python : all;
  const entry = opts.entryPoint;
  const done = (code: string, method: ExtractionMethod): ExtractedCode => ({ code: code.replace(/\s+$/, '') + (code.trim() ? '\n' : ''), method, thinkingChars, blocks: all.length });

  if (entry) {
    const defining = candidates.find((b) => definesFunction(b.code, entry)) ?? all.find((b) => definesFunction(b.code, entry));
    if (defining) return done(defining.code, 'fenced');
    // The function may sit outside the fences (e.g. a block that only shows usage).
    const outside = extractFunctionByName(text, entry);
    if (outside !== undefined) return done(outside, 'function');
  }
  if (candidates.length > 0) {
    let best = candidates[0]!;
    for (const b of candidates) if (b.code.trim().length > best.code.trim().length) best = b;
    return done(best.code, 'fenced');
  }
  if (text.trim() === '') return { code: '', method: 'empty', thinkingChars, blocks: 0 };
  return done(text, 'raw');
}
