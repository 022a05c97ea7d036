import { execFileSync } from 'node:child_process';

/**
 * TIGER-Lab's prompt, written from ../shared/datasets/mmlu_pro/PROMPT_AND_EXTRACTION.md as an oracle in Python:
 * header (initial_prompt.txt with {$} replaced, plus "\n"), the first k validation rows of the category (their
 * "N/A" options dropped) with the chain of thought, then the question. Reads JSON [test rows, validation rows, k].
 */
export const TIGER_PROMPT_PY = `
import hashlib, json, sys
HEADER = 'The following are multiple choice questions (with answers) about {$}. Think step by step and then finish your answer with "the answer is (X)" where X is the correct letter choice.\\n\\n\\n'
LETTERS = "ABCDEFGHIJKLMNOP"
def drop_na(row):
    return dict(row, options=[o for o in row["options"] if o != "N/A"])
def example(row, with_answer):
    text = "Question:\\n" + row["question"] + "\\n" + "Options:\\n"
    for i, opt in enumerate(row["options"]):
        text += "{}. {}\\n".format(LETTERS[i], opt)
    if with_answer:
        return text + row["cot_content"].replace("A: Let's think step by step.", "Answer: Let's think step by step.") + "\\n\\n"
    return text + "Answer: Let's think step by step."
tests, val, k, digest = json.load(sys.stdin)
val = [drop_na(v) for v in val]
out = []
for t in tests:
    t = drop_na(t)
    prompt = HEADER.replace("{$}", t["category"]) + "\\n"
    for v in [v for v in val if v["category"] == t["category"]][:k]:
        prompt += example(v, True)
    prompt += example(t, False)
    out.append(hashlib.sha256(prompt.encode()).hexdigest() if digest else prompt)
print(json.dumps(out))`;

export const python = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

/** The oracle's prompts (or their sha256 with `digest`). */
export function tigerPrompts(tests: unknown[], validation: unknown[], k: number, digest = false): string[] {
  return JSON.parse(execFileSync('python3', ['-c', TIGER_PROMPT_PY], { input: JSON.stringify([tests, validation, k, digest]), maxBuffer: 1 << 30 }).toString());
}
