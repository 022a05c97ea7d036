import type { Doc } from '../../core/doc.ts';
import type { PromptMode } from '../generation.ts';
import { render } from '../template.ts';
import { definesFunction, extractCode, extractCompletion, type ExtractionMethod } from './extract.ts';
import type { CodeTask } from './schema.ts';

/** Everything the task's templates see for one document. */
function vars(doc: Doc, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...doc.fields, subset: doc.subset ?? '', ...extra };
}

/** The completion-mode prompt, with the task's fixed few-shot examples in front. */
export function completionPrompt(task: CodeTask, doc: Doc, shots: Doc[]): string {
  const main = render(task.prompt.completion, vars(doc), `task ${task.name}: prompt.completion`);
  if (!task.fewshot || shots.length === 0) return main;
  const rendered = shots.map((s) => render(task.fewshot!.template, vars(s), `task ${task.name}: fewshot.template`));
  return [...rendered, main].join(task.fewshot.delimiter);
}

/** The chat-mode user message. */
export function chatMessage(task: CodeTask, doc: Doc): string {
  return render(task.prompt.chat, vars(doc), `task ${task.name}: prompt.chat`);
}

/** The program that checks a piece of code against the document's tests. */
export function buildProgram(task: CodeTask, doc: Doc, code: string, fullSolution: boolean): string {
  return render(task.program, vars(doc, { completion: code, full_solution: fullSolution }), `task ${task.name}: program`);
}

/** The program with the dataset's reference solution (for `harness check-task`). */
export function referenceProgram(task: CodeTask, doc: Doc): string {
  return render(task.reference, vars(doc), `task ${task.name}: reference`);
}

/** What a model output becomes: the code taken from it and the program that checks it. */
export interface BuiltProgram {
  code: string;
  extraction: ExtractionMethod | 'completion';
  thinkingChars: number;
  /** The code defines the entry point itself (chat replies usually do); else it continues the prompt. */
  fullSolution: boolean;
  program: string;
}

/**
 * Completion mode: the output cut at the task's stop sequences (reasoning removed) continues the prompt.
 * Chat mode: the code is extracted from the reply (which continued the task's chat prefix).
 */
export function programFromOutput(task: CodeTask, doc: Doc, output: string, mode: PromptMode): BuiltProgram {
  if (mode === 'completion') {
    const c = extractCompletion(output, task.stop);
    return { code: c.completion, extraction: 'completion', thinkingChars: c.thinkingChars, fullSolution: false, program: buildProgram(task, doc, c.completion, false) };
  }
  const entryPoint = task.entryPoint ? render(task.entryPoint, vars(doc), `task ${task.name}: entryPoint`).trim() || undefined : undefined;
  const e = extractCode(task.prompt.chat_prefix + output, { entryPoint });
  const fullSolution = entryPoint ? definesFunction(e.code, entryPoint) : true;
  return { code: e.code, extraction: e.method, thinkingChars: e.thinkingChars, fullSolution, program: buildProgram(task, doc, e.code, fullSolution) };
}
