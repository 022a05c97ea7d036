import type { z } from 'zod';
import { HarnessError } from './errors.ts';

/** Turns a zod failure into a person's message: the file, the field path and what was expected. */
export function zodToHarnessError(error: z.ZodError, where: string, fix: string): HarnessError {
  const issues = error.issues.map((i) => {
    const path = i.path.length > 0 ? i.path.join('.') : '(root)';
    return `${path}: ${i.message}`;
  });
  return new HarnessError(`invalid ${where}: ${issues.join('; ')}`, { where, fix });
}

/** Parses with a schema or throws a HarnessError naming `where`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string, fix: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw zodToHarnessError(r.error, where, fix);
  return r.data;
}
