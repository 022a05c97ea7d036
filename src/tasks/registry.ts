import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { HarnessError } from '../core/errors.ts';
import { packageRoot } from '../core/paths.ts';
import { zodToHarnessError } from '../core/zod-errors.ts';
import { TaskFileSchema, type TaskFile } from './schema.ts';

/** The project's own task folder (tasks/ beside src/). */
export const BUILTIN_TASKS_DIR = join(packageRoot(), 'tasks');

export interface RegisteredTask {
  task: TaskFile;
  file: string;
}

/** Parses and validates one task file (YAML or JSON), naming the file, line and field on failure. */
export function readTaskFile(file: string): TaskFile {
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new HarnessError(`task file is not valid YAML: ${e.message.split('\n')[0]}`, {
      where: `${file}${e.linePos ? `:${e.linePos[0].line}` : ''}`,
      fix: 'fix the YAML syntax (indentation, quoting of strings with ":" or "{")',
    });
  }
  const r = TaskFileSchema.safeParse(doc.toJS());
  if (!r.success) throw zodToHarnessError(r.error, `task file ${file}`, 'see tasks/README.md for the fields of each task kind');
  // Data that ships with the task (`./...`) is found beside the task file, not under --data-dir.
  if (/^\.\.?\//.test(r.data.dataset.path)) r.data.dataset.path = resolve(dirname(file), r.data.dataset.path);
  return r.data;
}

/** Every task in the built-in folder and the user's folders; a name defined twice is an error. */
export function loadRegistry(extraDirs: string[] = []): Map<string, RegisteredTask> {
  const registry = new Map<string, RegisteredTask>();
  for (const dir of [BUILTIN_TASKS_DIR, ...extraDirs.map((d) => resolve(d))]) {
    if (!existsSync(dir)) throw new HarnessError(`task folder not found: ${dir}`, { where: 'taskDirs / --task-dir', fix: 'create it or fix the path' });
    for (const name of readdirSync(dir).sort()) {
      if (!['.yaml', '.yml', '.json'].includes(extname(name))) continue;
      const file = join(dir, name);
      const task = readTaskFile(file);
      const existing = registry.get(task.name);
      if (existing) {
        throw new HarnessError(`task "${task.name}" is defined twice`, { where: `${existing.file} and ${file}`, fix: 'rename one of them' });
      }
      registry.set(task.name, { task, file });
    }
  }
  return registry;
}

export interface TaskSelection {
  task: TaskFile;
  file: string;
  /** Subsets chosen with `task:subset`; undefined means all. */
  subsets?: string[];
}

/** Resolves `mmlu`, `mmlu:anatomy`, `arc_challenge` into selections, merging subsets of the same task. */
export function selectTasks(specs: string[], registry: Map<string, RegisteredTask>): TaskSelection[] {
  const out = new Map<string, TaskSelection>();
  for (const spec of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [name, given] = spec.split(':', 2);
    const reg = registry.get(name);
    if (!reg) {
      throw new HarnessError(`unknown task "${name}"`, {
        where: `--tasks ${spec}`,
        fix: `known tasks: ${[...registry.keys()].join(', ')} (or add a task file to tasks/)`,
      });
    }
    const sel = out.get(name) ?? { task: reg.task, file: reg.file };
    const known = Object.keys(reg.task.subsets ?? {});
    // `_` stands for a space in a subset name (mmlu_pro:computer_science), as TIGER-Lab's --selected_subjects takes it.
    const subset = given === undefined || known.includes(given) ? given : (known.find((k) => k.replaceAll(' ', '_') === given) ?? given);
    if (subset !== undefined) {
      if (!known.includes(subset)) {
        const close = known.filter((k) => k.includes(subset) || subset.includes(k.split('_')[0])).slice(0, 5);
        throw new HarnessError(`task ${name} has no subset "${subset}"`, {
          where: `--tasks ${spec}`,
          fix: known.length === 0 ? `${name} has no subsets; use --tasks ${name}` : `did you mean ${close.length > 0 ? close.join(', ') : known.slice(0, 5).join(', ') + ', ...'}? (${known.length} subsets in ${reg.file})`,
        });
      }
      if (sel.subsets === undefined && out.has(name)) {
        // the whole task was already selected: a subset adds nothing
      } else {
        sel.subsets = [...(sel.subsets ?? []), subset];
      }
    } else {
      sel.subsets = undefined;
    }
    out.set(name, sel);
  }
  return [...out.values()];
}
