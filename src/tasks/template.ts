import { Template } from '@huggingface/jinja';
import { HarnessError } from '../core/errors.ts';

const cache = new Map<string, Template>();

/** Renders a Jinja template (lm-evaluation-harness syntax) with a document's fields. */
export function render(source: string, vars: Record<string, unknown>, where: string): string {
  let t = cache.get(source);
  if (!t) {
    try {
      // lm-evaluation-harness renders with keep_trailing_newline=True; @huggingface/jinja always drops one
      // trailing newline, so one is added for it to drop.
      t = new Template(source + '\n');
    } catch (err) {
      throw new HarnessError(`template does not parse: ${(err as Error).message}`, { where, fix: 'fix the Jinja syntax of this template' });
    }
    cache.set(source, t);
  }
  try {
    return t.render(vars);
  } catch (err) {
    throw new HarnessError(`template failed on a document: ${(err as Error).message}`, {
      where,
      fix: `the template may use a field the document lacks; fields present: ${Object.keys(vars).join(', ')}`,
    });
  }
}
