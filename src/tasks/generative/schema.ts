import { z } from 'zod';
import { TaskBase, generationSchema } from '../task-base.ts';

/**
 * A generative task file (`kind: generative`): the model writes an answer (often after a chain of thought), the
 * answer is extracted by an ordered list of patterns, normalised and compared with the reference. Prompts follow
 * lm-evaluation-harness's layout: description, few-shot examples (text, target delimiter, target, few-shot
 * delimiter), then the question.
 */

/** One answer pattern, in Python `re` syntax (see pyregex.ts), as the reference script writes it. */
export const PatternSchema = z
  .object({
    /** Recorded in samples as the pattern that matched; default `p1`, `p2`, ... */
    name: z.string().min(1).optional(),
    regex: z.string().min(1),
    /** Python flags: `i` ignore case, `m` multiline, `s` dot matches newline. */
    flags: z.string().regex(/^[ims]*$/).default(''),
    /**
     * Which match: `first` (`re.search`, lm-evaluation-harness group_select 0) or `last` (group_select -1); the value
     * is the pattern's capture (the first non-empty group when it has several, as lm-evaluation-harness's regex
     * filter takes it), or the whole match when it has none; then stripped of surrounding whitespace.
     */
    select: z.enum(['first', 'last']).default('first'),
  })
  .strict();

/** What happens when no pattern matches. */
export const FallbackSchema = z.union([
  /** No answer: the response is wrong (lm-evaluation-harness's "[invalid]"). */
  z.literal('none'),
  /**
   * TIGER-Lab's MMLU-Pro rule: a letter drawn at random among the document's options (Python's random seeded once
   * with `seed`, draws taken in the script's order; see metrics.ts). The extracted answer stays null in the sample.
   */
  z
    .object({
      random_choice: z
        .object({
          /** The document field holding the options (its length is the number of letters). */
          choices: z.string().min(1),
          seed: z.number().int().min(0).default(12345),
          /**
           * Passes of draws: each subset (in sorted order) draws once per unanswered response, in dataset order, this
           * many times over, and the last pass counts (TIGER-Lab's script scores each category twice).
           */
          passes: z.number().int().min(1).default(1),
        })
        .strict(),
    })
    .strict(),
]);

/** One way of reading the answer out of a response (lm-evaluation-harness's filter_list entry). */
export const ExtractorSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only'),
    /** The metric key in run.json; default `exact_match,<name>` (lm-evaluation-harness's naming). */
    metric: z.string().min(1).optional(),
    /** Tried in order; the first pattern that matches gives the answer. */
    patterns: z.array(PatternSchema).min(1),
    fallback: FallbackSchema.default('none'),
  })
  .strict();

/** Normalisation applied to the extracted answer and to the target before they are compared. */
export const NormalizeSchema = z
  .object({
    /** Python regexes removed everywhere, in order (lm-evaluation-harness's `regexes_to_ignore`). */
    regexesToIgnore: z.array(z.string()).default([]),
    ignoreCase: z.boolean().default(false),
    /** Remove ASCII punctuation (Python's string.punctuation). */
    ignorePunctuation: z.boolean().default(false),
    /** Collapse runs of whitespace to one space and trim. */
    whitespace: z.boolean().default(false),
    /** Numbers compared by value: "1,000.50" and "1000.5" are equal; "$18" and "18." are 18. */
    numbers: z.boolean().default(false),
  })
  .strict();

const FewshotSchema = z
  .object({
    /** Split the examples come from (the dataset path's `{split}`), unless `samples` are written here. */
    split: z.string().optional(),
    /** A path for the few-shot split when it differs from dataset.path (relative to --data-dir). */
    path: z.string().min(1).optional(),
    /** Fixed examples written in the task file (lm-evaluation-harness's fewshot_config.samples). */
    samples: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
    count: z.number().int().min(0),
    /**
     * `first_n`: the first examples in file order (of the document's subset when the task has subsets);
     * `random`: lm-evaluation-harness's default sampler: Python's random.Random(seed).sample(examples, count),
     * drawn once per document in dataset order.
     */
    sampler: z.enum(['first_n', 'random']).default('first_n'),
    seed: z.number().int().min(0).default(1234),
    /** A shot's question (default: prompt.doc_to_text). */
    doc_to_text: z.string().optional(),
    /** A shot's answer, after the target delimiter. */
    doc_to_target: z.string(),
    target_delimiter: z.string().default(' '),
    /** After every example. */
    delimiter: z.string().default('\n\n'),
  })
  .strict()
  .refine((f) => (f.split !== undefined) !== (f.samples !== undefined), { message: 'give either fewshot.split or fewshot.samples' });

export const GenerativeTaskSchema = TaskBase.extend({
  kind: z.literal('generative'),
  prompt: z
    .object({
      /** Rendered once before the examples (sees the document's fields and `subset`). */
      description: z.string().default(''),
      /** The question, as the model sees it. */
      doc_to_text: z.string(),
      /** Chat mode: text that starts the assistant's turn (lm-evaluation-harness's gen_prefix). */
      chat_prefix: z.string().default(''),
    })
    .strict(),
  /**
   * What `--prompt-mode auto` means for this task: `completion` (the reference scores raw prompts, as TIGER-Lab's
   * MMLU-Pro and lm-evaluation-harness's gsm8k do), `chat`, or `auto` (the chat template when the model has one).
   */
  promptMode: z.enum(['auto', 'completion', 'chat']).default('auto'),
  fewshot: FewshotSchema.optional(),
  /**
   * Examples are dropped from the end until the prompt has at most this many tokens (TIGER-Lab: fewer than its
   * 4096-token context minus 2048 new tokens), and always until prompt + max_new_tokens fit the model's context.
   */
  maxPromptTokens: z.number().int().positive().optional(),
  /** The reference answer (Jinja). */
  target: z.string(),
  stop: z.array(z.string()).default([]),
  answers: z.array(ExtractorSchema).min(1),
  normalize: NormalizeSchema.default({ regexesToIgnore: [], ignoreCase: false, ignorePunctuation: false, whitespace: false, numbers: false }),
  generation: generationSchema({ maxNewTokens: 256, n: 1, temperature: 0, topP: 1, topK: 0 }),
}).strict();

export type GenerativeTask = z.output<typeof GenerativeTaskSchema>;
export type AnswerPattern = z.output<typeof PatternSchema>;
export type Extractor = z.output<typeof ExtractorSchema>;
export type Normalize = z.output<typeof NormalizeSchema>;
