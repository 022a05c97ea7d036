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
