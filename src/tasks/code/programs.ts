/**
 * HumanEval and MBPP: loading the data files, the prompts, and the programs that get executed.
 *
 * Program formats follow the reference harnesses:
 *  - HumanEval (openai/human-eval, execution.py): prompt + completion + "\n" + test + "\n" + f"check({entry_point})".
 *  - MBPP full (google-research/mbpp): code + "\n" + test_setup_code + "\n" + the asserts, one per line.
 *  - MBPP sanitized: test_imports + code + asserts.
 * The executor adds its own success marker after the program (see sandbox/isolation.ts RUNNER); nothing
 * here needs to.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { HarnessError, ExitCode } from '../../util/errors.ts';
import { definesFunction, extractCode, extractCompletion, HUMANEVAL_STOP_SEQUENCES, type ExtractionMethod } from './extract.ts';

export interface HumanEvalProblem {
  kind: 'humaneval';
  /** `HumanEval/0` */
  taskId: string;
  prompt: string;
  canonicalSolution: string;
  test: string;
  entryPoint: string;
}

export interface MbppProblem {
  kind: 'mbpp';
  /** `full` (mbpp.jsonl, 974 rows) or `sanitized` (sanitized-mbpp.json, 427 rows). */
  variant: 'full' | 'sanitized';
  taskId: number;
  /** The task description (`text` in the full file, `prompt` in the sanitized one). */
  text: string;
  /** Reference solution. */
  code: string;
  testSetupCode: string;
  testImports: string[];
  testList: string[];
  challengeTestList: string[];
}

export type CodeProblem = HumanEvalProblem | MbppProblem;

/** The id used in results and reports: `HumanEval/0`, `Mbpp/11` (EvalPlus's spelling). */
export function problemId(p: CodeProblem): string {
  return p.kind === 'humaneval' ? p.taskId : `Mbpp/${p.taskId}`;
}

/** Google's split of the 974 MBPP task ids (inclusive ranges); lm-evaluation-harness scores `test`. */
export const MBPP_SPLITS = Object.freeze({
  prompt: [1, 10],
  test: [11, 510],
  validation: [511, 600],
  train: [601, 974],
} as const);

export function mbppSplit(taskId: number): keyof typeof MBPP_SPLITS | undefined {
  for (const [name, [lo, hi]] of Object.entries(MBPP_SPLITS)) if (taskId >= lo && taskId <= hi) return name as keyof typeof MBPP_SPLITS;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Programs

/**
 * The HumanEval program for a completion (the function body that continues the prompt).
 * Default completion: the canonical solution.
 */
export function humanEvalProgram(problem: HumanEvalProblem, completion: string = problem.canonicalSolution): string {
  return `${problem.prompt}${completion}\n${problem.test}\ncheck(${problem.entryPoint})`;
}

/**
 * The HumanEval program for a complete solution (chat models answer with the whole function): the prompt
 * stays in front, its docstring-only function is valid Python and supplies the imports and helper functions
 * the prompt defines, then the model's code redefines the entry point.
 */
export function humanEvalProgramFromFullCode(problem: HumanEvalProblem, code: string): string {
  return `${problem.prompt}\n${code}\n${problem.test}\ncheck(${problem.entryPoint})`;
}

export interface BuiltProgram {
  program: string;
  /** How the code was found in the output (`completion` for completion mode). */
  method: ExtractionMethod | 'completion';
  thinkingChars: number;
}

/**
 * Turn a model output into the HumanEval program to run.
 * `completion`: cut at the Codex stop sequences and appended to the prompt.
 * `chat`: code extracted (see extractCode); when it defines the entry point it is a full solution,
 * otherwise it is taken as the body continuing the prompt.
 */
export function buildHumanEvalProgram(problem: HumanEvalProblem, output: string, mode: 'completion' | 'chat', stops: readonly string[] = HUMANEVAL_STOP_SEQUENCES): BuiltProgram {
  if (mode === 'completion') {
    const { completion, thinkingChars } = extractCompletion(output, stops);
    return { program: humanEvalProgram(problem, completion), method: 'completion', thinkingChars };
  }
  const ex = extractCode(output, { entryPoint: problem.entryPoint });
  const program = definesFunction(ex.code, problem.entryPoint) ? humanEvalProgramFromFullCode(problem, ex.code) : humanEvalProgram(problem, ex.code);
  return { program, method: ex.method, thinkingChars: ex.thinkingChars };
}

/** The asserts an MBPP program runs: test_list, plus challenge_test_list when asked (full file only). */
export function mbppTests(problem: MbppProblem, opts: { includeChallengeTests?: boolean } = {}): string[] {
  return opts.includeChallengeTests ? [...problem.testList, ...problem.challengeTestList] : [...problem.testList];
}

/** The MBPP program for `code` (default: the reference solution). */
export function mbppProgram(problem: MbppProblem, code: string = problem.code, opts: { includeChallengeTests?: boolean } = {}): string {
  const asserts = mbppTests(problem, opts).join('\n');
  if (problem.variant === 'sanitized') return `${problem.testImports.join('\n')}\n${code}\n${asserts}`;
  return `${code}\n${problem.testSetupCode}\n${asserts}`;
}

/** The function the MBPP tests call: the first function defined by the reference code that the asserts use. */
export function mbppEntryPoint(problem: MbppProblem): string | undefined {
  const defined = [...problem.code.matchAll(/^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)].map((m) => m[1]!);
  const tests = problem.testList.join('\n');
  return defined.find((name) => new RegExp(`\\b${name}\\s*\\(`).test(tests)) ?? defined[0];
}

/** Turn a model output into the MBPP program to run (chat: extracted code; completion: cut at `[DONE]`). */
export function buildMbppProgram(problem: MbppProblem, output: string, mode: 'completion' | 'chat', opts: { includeChallengeTests?: boolean; stops?: readonly string[] } = {}): BuiltProgram {
  if (mode === 'completion') {
    const { completion, thinkingChars } = extractCompletion(output, opts.stops ?? ['[DONE]']);
    return { program: mbppProgram(problem, completion, opts), method: 'completion', thinkingChars };
  }
  const ex = extractCode(output, { entryPoint: mbppEntryPoint(problem) });
  return { program: mbppProgram(problem, ex.code, opts), method: ex.method, thinkingChars: ex.thinkingChars };
}

// ---------------------------------------------------------------------------------------------------------
// MBPP prompts
//
// Followed: EleutherAI/lm-evaluation-harness, lm_eval/tasks/mbpp/mbpp.yaml (commit 1a56f61a) for the
// few-shot base-model task `mbpp`:
//   doc_to_text: "You are an expert Python programmer, and here is your task: {{text}} Your code should pass these tests:\n\n{{test_list[0]}}\n{{test_list[1]}}\n{{test_list[2]}}\n[BEGIN]\n"
//   doc_to_target (few-shot examples): "{{code}}\n[DONE]", target_delimiter "", fewshot_delimiter "\n\n" (default),
//   num_fewshot 3 with the first_n sampler over task_ids 2, 3, 4 (utils.list_fewshot_samples), until ["[DONE]"].
// and lm_eval/tasks/mbpp/mbpp_instruct.yaml (commit 52192906) for chat models:
//   doc_to_text: "You are an expert Python programmer, and here is your task:\n{{text}}\nYour code should pass these tests:\n{{test_list[0]}}\n{{test_list[1]}}\n{{test_list[2]}}"
//   gen_prefix "\n```python\n".
// Every MBPP row has exactly three tests in test_list (sanitized rows can have more: all are listed).

/** Task ids of lm-evaluation-harness's three MBPP few-shot examples. */
export const MBPP_FEWSHOT_TASK_IDS: readonly number[] = Object.freeze([2, 3, 4]);

/** lm-evaluation-harness `mbpp` doc_to_text, zero-shot (the model continues after "[BEGIN]\n"). */
export function mbppPrompt(problem: MbppProblem): string {
  return `You are an expert Python programmer, and here is your task: ${problem.text} Your code should pass these tests:\n\n${problem.testList.join('\n')}\n[BEGIN]\n`;
}

/** lm-evaluation-harness `mbpp` with few-shot examples (default: task ids 2, 3, 4 taken from `pool`). */
export function mbppFewShotPrompt(problem: MbppProblem, shots: readonly MbppProblem[]): string {
  const parts = shots.map((s) => `${mbppPrompt(s)}${s.code}\n[DONE]`);
  return [...parts, mbppPrompt(problem)].join('\n\n');
}

/** Pick lm-evaluation-harness's few-shot examples (task ids 2, 3, 4) from loaded MBPP rows. */
export function mbppFewShotExamples(pool: readonly MbppProblem[]): MbppProblem[] {
  return MBPP_FEWSHOT_TASK_IDS.map((id) => {
    const found = pool.find((p) => p.taskId === id);
    if (!found) {
      throw new HarnessError(`MBPP few-shot example task_id ${id} is not in the loaded data`, {
        fix: 'load the full mbpp.jsonl (task ids 1-974) to build few-shot prompts, or use zero-shot prompts',
      });
    }
    return found;
  });
}

/** lm-evaluation-harness `mbpp_instruct` user message; the assistant turn is started with MBPP_INSTRUCT_GEN_PREFIX. */
export function mbppInstructPrompt(problem: MbppProblem): string {
  return `You are an expert Python programmer, and here is your task:\n${problem.text}\nYour code should pass these tests:\n${problem.testList.join('\n')}`;
}
export const MBPP_INSTRUCT_GEN_PREFIX = '\n```python\n';

// ---------------------------------------------------------------------------------------------------------
// Loaders

const humanEvalRow = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string().min(1),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/, 'must be a Python identifier'),
});

const mbppFullRow = z.object({
  task_id: z.number().int().positive(),
  text: z.string().min(1),
  code: z.string().min(1),
  test_setup_code: z.string().default(''),
  test_list: z.array(z.string().min(1)).min(1),
  challenge_test_list: z.array(z.string()).default([]),
});

const mbppSanitizedRow = z.object({
  task_id: z.number().int().positive(),
  prompt: z.string().min(1),
  code: z.string().min(1),
  test_imports: z.array(z.string()).default([]),
  test_list: z.array(z.string().min(1)).min(1),
});

function readData(path: string, what: string, fix: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new HarnessError(`cannot read the ${what} file ${path}: ${(cause as Error).message}`, { where: path, fix, exitCode: ExitCode.badInput, cause });
  }
}

function rowError(file: string, location: string, issue: z.core.$ZodIssue | undefined, fix: string): HarnessError {
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const problem = issue ? issue.message : 'invalid row';
  return new HarnessError(`bad row in ${file}, ${location}${field ? `, field "${field}"` : ''}: ${problem}`, {
    where: `${file} ${location}${field ? ` field ${field}` : ''}`,
    fix,
    exitCode: ExitCode.badInput,
  });
}

function parseJsonLines(text: string, file: string, fix: string): Array<{ line: number; value: unknown }> {
  const out: Array<{ line: number; value: unknown }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (cause) {
      throw new HarnessError(`bad row in ${file}, line ${i + 1}: not valid JSON (${(cause as Error).message})`, { where: `${file}:${i + 1}`, fix, exitCode: ExitCode.badInput, cause });
    }
  }
  return out;
}

const HUMANEVAL_FIX =
  'use openai/human-eval data/HumanEval.jsonl.gz unchanged: one JSON object per line with string fields task_id, prompt, canonical_solution, test and entry_point';

/** Load HumanEval from `.jsonl` or `.jsonl.gz` (gzip is detected by its magic bytes). */
export function loadHumanEval(path: string): HumanEvalProblem[] {
  let buf = readData(path, 'HumanEval', HUMANEVAL_FIX);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (cause) {
      throw new HarnessError(`${path} looks gzip-compressed but cannot be decompressed: ${(cause as Error).message}`, { where: path, fix: HUMANEVAL_FIX, exitCode: ExitCode.badInput, cause });
    }
  }
  const rows = parseJsonLines(buf.toString('utf8'), path, HUMANEVAL_FIX);
  const seen = new Set<string>();
  const problems = rows.map(({ line, value }) => {
    const r = humanEvalRow.safeParse(value);
    if (!r.success) throw rowError(path, `line ${line}`, r.error.issues[0], HUMANEVAL_FIX);
    if (seen.has(r.data.task_id)) throw rowError(path, `line ${line}`, { path: ['task_id'], message: `duplicate task_id "${r.data.task_id}"` } as z.core.$ZodIssue, HUMANEVAL_FIX);
    seen.add(r.data.task_id);
    return { kind: 'humaneval' as const, taskId: r.data.task_id, prompt: r.data.prompt, canonicalSolution: r.data.canonical_solution, test: r.data.test, entryPoint: r.data.entry_point };
  });
  if (problems.length === 0) throw new HarnessError(`${path} holds no HumanEval problems`, { where: path, fix: HUMANEVAL_FIX, exitCode: ExitCode.badInput });
  return problems;
}

const MBPP_FULL_FIX =
  'use google-research mbpp/mbpp.jsonl unchanged: one JSON object per line with task_id (integer), text, code, test_setup_code (strings), test_list and challenge_test_list (lists of strings)';
const MBPP_SANITIZED_FIX =
  'use google-research mbpp/sanitized-mbpp.json unchanged: a JSON array of objects with task_id (integer), prompt, code (strings), test_imports and test_list (lists of strings)';

/** Load MBPP: `*.jsonl` is the full file (974 rows), `*.json` the sanitized one (427 rows). */
export function loadMbpp(path: string): MbppProblem[] {
  const isJsonl = /\.jsonl$/i.test(path);
  const isJson = /\.json$/i.test(path);
  if (!isJsonl && !isJson) {
    throw new HarnessError(`cannot tell which MBPP file ${path} is`, {
      where: path,
      fix: 'pass mbpp.jsonl (full) or sanitized-mbpp.json (sanitized); the extension decides the format',
      exitCode: ExitCode.badInput,
    });
  }
  const fix = isJsonl ? MBPP_FULL_FIX : MBPP_SANITIZED_FIX;
  const text = readData(path, 'MBPP', fix).toString('utf8');
  const seen = new Set<number>();
  const checkDup = (id: number, location: string) => {
    if (seen.has(id)) throw rowError(path, location, { path: ['task_id'], message: `duplicate task_id ${id}` } as z.core.$ZodIssue, fix);
    seen.add(id);
  };
  let problems: MbppProblem[];
  if (isJsonl) {
    problems = parseJsonLines(text, path, fix).map(({ line, value }) => {
      const r = mbppFullRow.safeParse(value);
      if (!r.success) throw rowError(path, `line ${line}`, r.error.issues[0], fix);
      checkDup(r.data.task_id, `line ${line}`);
      const d = r.data;
      return { kind: 'mbpp', variant: 'full', taskId: d.task_id, text: d.text, code: d.code, testSetupCode: d.test_setup_code, testImports: [], testList: d.test_list, challengeTestList: d.challenge_test_list };
    });
  } else {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (cause) {
      throw new HarnessError(`${path} is not valid JSON: ${(cause as Error).message}`, { where: path, fix, exitCode: ExitCode.badInput, cause });
    }
    if (!Array.isArray(items)) throw new HarnessError(`${path} must hold a JSON array of MBPP problems`, { where: path, fix, exitCode: ExitCode.badInput });
    problems = items.map((value, i) => {
      const id = (value as { task_id?: unknown } | null)?.task_id;
      const location = `item ${i + 1}${typeof id === 'number' ? ` (task_id ${id})` : ''}`;
      const r = mbppSanitizedRow.safeParse(value);
      if (!r.success) throw rowError(path, location, r.error.issues[0], fix);
      checkDup(r.data.task_id, location);
      const d = r.data;
      return { kind: 'mbpp', variant: 'sanitized', taskId: d.task_id, text: d.prompt, code: d.code, testSetupCode: '', testImports: d.test_imports, testList: d.test_list, challengeTestList: [] };
    });
  }
  if (problems.length === 0) throw new HarnessError(`${path} holds no MBPP problems`, { where: path, fix, exitCode: ExitCode.badInput });
  return problems;
}
