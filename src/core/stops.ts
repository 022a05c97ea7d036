/** The one stop-sequence cutter: generation, completion-mode code and generative answers all cut here. */

/** Index of the earliest occurrence of any (non-empty) stop sequence in `text`, or null. */
export function firstStopIndex(text: string, stops: readonly string[]): number | null {
  let cut: number | null = null;
  for (const s of stops) {
    if (!s) continue;
    const at = text.indexOf(s);
    if (at >= 0 && (cut === null || at < cut)) cut = at;
  }
  return cut;
}

/** `text` up to the earliest stop sequence (the whole text when none occurs). */
export function cutAtStop(text: string, stops: readonly string[]): string {
  const at = firstStopIndex(text, stops);
  return at === null ? text : text.slice(0, at);
}
