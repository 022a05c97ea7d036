/**
 * The one place that separates a reasoning model's thinking from its answer. Tags are matched without regard
 * to case; several blocks are all removed.
 *  - `<think>...</think>`: the inside is reasoning;
 *  - a `</think>` with no `<think>` before it (chat templates of Qwen3, QwQ and DeepSeek-R1 open the block in
 *    the prompt): everything before it is reasoning;
 *  - a `<think>` never closed (the output ran out of tokens while thinking): everything after it is reasoning,
 *    and `unclosed` is set.
 */
export interface ReasoningSplit {
  /** The text with every reasoning part removed, otherwise unchanged (not trimmed: code keeps its indentation). */
  answer: string;
  /** The reasoning parts, each trimmed, joined by a blank line; null when the text has no think tags at all. */
  reasoning: string | null;
  /** Characters between the tags (tags not counted), before trimming. */
  reasoningChars: number;
  /** A `<think>` was opened and never closed. */
  unclosed: boolean;
}

const OPEN = /<think>/i;
const CLOSE = /<\/think>/i;

export function splitReasoning(text: string): ReasoningSplit {
  let answer = text;
  const parts: string[] = [];
  let chars = 0;
  let unclosed = false;
  let sawTag = false;
  for (;;) {
    const open = OPEN.exec(answer);
    const close = CLOSE.exec(answer);
    if (close && (!open || close.index < open.index)) {
      // A closing tag with no opening one before it: the opening tag was in the prompt.
      sawTag = true;
      parts.push(answer.slice(0, close.index));
      chars += close.index;
      answer = answer.slice(close.index + close[0].length);
      continue;
    }
    if (!open) break;
    sawTag = true;
    const rest = answer.slice(open.index + open[0].length);
    const end = CLOSE.exec(rest);
    if (!end) {
      parts.push(rest);
      chars += rest.length;
      answer = answer.slice(0, open.index);
      unclosed = true;
      break;
    }
    parts.push(rest.slice(0, end.index));
    chars += end.index;
    answer = answer.slice(0, open.index) + rest.slice(end.index + end[0].length);
  }
  const reasoning = sawTag ? parts.map((p) => p.trim()).filter((p) => p !== '').join('\n\n') : null;
  return { answer, reasoning, reasoningChars: chars, unclosed };
}
