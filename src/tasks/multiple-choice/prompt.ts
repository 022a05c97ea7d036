import { HarnessError } from '../../core/errors.ts';
import type { Doc } from '../../core/doc.ts';
import { render } from '../template.ts';
import type { MultipleChoiceTask } from './schema.ts';

/**
 * lm-evaluation-harness's multiple-choice prompt: description, few-shot examples (question, target delimiter,
 * correct choice) and the question, joined by the few-shot delimiter; the choices are the continuations.
 */

/** The answer choices of a document: literal choices from the task, or a list field. */
export function choicesOf(task: MultipleChoiceTask, doc: Doc): string[] {
  const spec = task.prompt.doc_to_choice;
  // A list holds literal choices or per-document templates ("{{ a }}"), rendered with the document's fields.
  if (Array.isArray(spec)) return spec.map((c) => (c.includes('{') ? render(c, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task.name}: prompt.doc_to_choice`) : c));
  if (typeof spec === 'object') {
    const items = doc.fields[spec.letters];
    if (!Array.isArray(items) || items.length < 2 || items.length > 26) {
      throw new HarnessError(`field "${spec.letters}" must be a list of 2 to 26 options`, { where: `${doc.where}, field ${spec.letters}`, fix: 'fix the row, or point prompt.doc_to_choice.letters at the options field' });
    }
    return items.map((_, i) => String.fromCharCode(65 + i));
  }
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
export function contextParts(task: MultipleChoiceTask, doc: Doc, shots: Doc[]): { description: string; shots: string[]; question: string } {
  const description = render(task.prompt.description, { ...doc.fields, subset: doc.subset ?? '' }, `task ${task.name}: prompt.description`);
  return { description, shots: shots.map((s) => shotText(task, s)), question: docText(task, doc) };
}

export function joinParts(task: MultipleChoiceTask, parts: { description: string; shots: string[]; question: string }, k: number): string {
  return parts.description + [...parts.shots.slice(0, k), parts.question].join(task.prompt.fewshot_delimiter);
}

/** lm-evaluation-harness's context: description + shots joined by the few-shot delimiter + the question. */
export function buildContext(task: MultipleChoiceTask, doc: Doc, shots: Doc[]): string {
  return joinParts(task, contextParts(task, doc, shots), shots.length);
}

