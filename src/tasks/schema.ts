import { z } from 'zod';
import { CodeTaskSchema } from './code/schema.ts';
import { MultipleChoiceTaskSchema } from './multiple-choice/schema.ts';
import { GenerativeTaskSchema } from './generative/schema.ts';
import { RefusalTaskSchema } from './refusal/schema.ts';

/** A task file (tasks/*.yaml): one of the kinds, told apart by `kind`. */
export const TaskFileSchema = z.discriminatedUnion('kind', [MultipleChoiceTaskSchema, GenerativeTaskSchema, CodeTaskSchema, RefusalTaskSchema]);
export type TaskFile = z.output<typeof TaskFileSchema>;

export type { DatasetSpec } from './task-base.ts';
export type { MultipleChoiceTask } from './multiple-choice/schema.ts';
export type { GenerativeTask } from './generative/schema.ts';
export type { CodeTask } from './code/schema.ts';
export type { RefusalTask } from './refusal/schema.ts';
