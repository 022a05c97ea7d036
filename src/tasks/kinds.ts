import type { TaskSelection } from '../tasks/registry.ts';
import { codeKind } from '../tasks/code-kind.ts';
import { refusalKind } from '../tasks/refusal-kind.ts';
import { multipleChoiceKind } from '../tasks/multiple-choice-kind.ts';
import type { KindContext, TaskKindRunner } from './task-kind.ts';

/** The task kinds the runner knows, by the `kind` field of a task file. */
export function createKind(selection: TaskSelection, ctx: KindContext): TaskKindRunner {
  const task = selection.task;
  switch (task.kind) {
    case 'multiple_choice':
      return multipleChoiceKind(task, ctx);
    case 'code':
      return codeKind(task, ctx);
    case 'refusal':
      return refusalKind(task, ctx, ctx.judge);
  }
}
