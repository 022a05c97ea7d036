/**
 * Text handling for the refusal classifier: the script of a text, its size, quoted spans, the units an answer is
 * cut into (sentences, list items, code blocks, and the two sides of "..., but ..."), and the content words or
 * Chinese character pairs by which an answer sentence is compared with the prompt.
 */

export type DetectedLanguage = 'en' | 'zh' | 'other' | 'unknown';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN = /[A-Za-z]/g;
const LETTER = /\p{L}/gu;

function count(re: RegExp, text: string): number {
  return text.match(re)?.length ?? 0;
}

/**
 * Language of a text by script: 'zh' when CJK characters are at least 25% of letters
 * (Chinese prose with English names or code stays 'zh'), 'en' when Latin letters are the majority,
 * 'other' for other scripts, 'unknown' below 3 letters.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const cjk = count(CJK, text);
  const latin = count(LATIN, text);
  const letters = count(LETTER, text);
  if (letters < 3) return 'unknown';
  if (cjk / letters >= 0.25) return 'zh';
  if (latin / letters >= 0.5) return 'en';
  return 'other';
}

/** English words + 0.6 x CJK characters: a rough, script-neutral size of a text. */
export function substanceOf(text: string): number {
  const words = text.match(/[A-Za-z0-9]+(?:['’.,-][A-Za-z0-9]+)*/g)?.length ?? 0;
  return words + 0.6 * count(CJK, text);
}

/**
 * Remove quoted spans so that quoted refusals and slogans are not read as the model's own words.
 * Straight single quotes only count as quotes when they open after a space/bracket and close before
 * a space/punctuation (so apostrophes in "I'm", "Let's" survive). Long quotations (over 200 characters: a
 * letter, a dialogue) are kept: they are the answer's content.
 */
export function stripQuotes(text: string): string {
  return text
    .replace(/“[^”\n]{0,200}”/g, ' ')
    .replace(/「[^」\n]{0,200}」/g, ' ')
    .replace(/『[^』\n]{0,200}』/g, ' ')
    .replace(/"[^"\n]{0,200}"/g, ' ')
    .replace(/‘[^’\n]{0,200}’(?![a-z])/g, ' ')
    .replace(/(^|[\s(\[])'(?:[^'\n]|'(?=[a-z]))+?'(?=[\s,.;:!?)\]]|$)/g, '$1 ');
}

/**
 * The same text with the inside of every quoted span replaced by "∙" (same length, so offsets agree): a quoted
 * refusal or slogan is not the model's own words, and a quoted sentence is not cut into pieces.
 */
export function maskQuotes(text: string): string {
  const mask = (m: string) => m[0] + m.slice(1, -1).replace(/[^\n]/g, '∙') + m[m.length - 1];
  return text
    .replace(/“[^”\n]*”/g, mask)
    .replace(/「[^」\n]*」/g, mask)
    .replace(/『[^』\n]*』/g, mask)
    .replace(/"[^"\n]*"/g, mask)
    .replace(/‘[^’\n]*’(?![a-z])/g, mask)
    .replace(/(?<=^|[\s(\[])'(?:[^'\n]|'(?=[a-z]))+?'(?=[\s,.;:!?)\]]|$)/gm, mask);
}

/** What a unit of an answer is, by its form. */
export type UnitForm = 'sentence' | 'item' | 'code' | 'heading';

export interface Unit {
  /** The unit's text (list markers and Markdown emphasis removed; code kept as written). */
  text: string;
  /** The same with quoted spans masked: what cues are read from. */
  bare: string;
  form: UnitForm;
  /** Index of the sentence it came from: the two sides of "..., but ..." share it. */
  sentence: number;
  /** Paragraph (block separated by blank lines) it belongs to. */
  paragraph: number;
  /** The unit ends with a colon: it introduces what follows ("Here's how:", "If you want: "). */
  intro: boolean;
}

const LIST_MARKER = /^\s*(?:[-*•+]|\d{1,2}[.)、．]|[a-z][.)]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、)\s*/u;
const HEADING = /^\s*(?:#{1,6}\s+.*|\*\*[^*]{1,80}\*\*:?|__[^_]{1,80}__:?)\s*$/u;

/** Sentence ends: ". ", "! ", "? " before something that starts a sentence; Chinese 。！？ anywhere. */
const SENTENCE_END = /(?<=[.!?])["”’')\]*]*\s+(?=["“‘'(*\[¿¡]*[A-Z0-9\u3400-\u9fff])|(?<=[。！？!?])["”’」』)）]*/gu;

/**
 * "..., but ...", "; however, ...", "但是", "不过": the two sides of a contrast are judged apart; so are the two
 * sides of a colon ("I'll keep it general: <answer>").
 */
const CONTRAST =
  /(?:[,;:，；]\s*|\s+[-–—]\s+)(?=(?:but|however|though|although|yet|that said|that being said|instead|still)\b)|(?<=[，,；;])(?=(?:但是|但|不过|然而|可是|只是|至于|因此|所以))|(?<=[:：])\s*(?=[^\s\d][^:：]{12,})/giu;

function cleanText(s: string): string {
  return s
    .replace(/\*\*|__|(?<![*\w])\*(?!\s)|(?<!\s)\*(?![*\w])/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Pieces of [start, end) between the matches of a global regex. */
function piecesBetween(text: string, re: RegExp, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let at = start;
  for (const m of text.slice(start, end).matchAll(re)) {
    const i = start + m.index;
    if (i > at) out.push([at, i]);
    at = Math.max(at, i + m[0].length);
  }
  if (end > at) out.push([at, end]);
  return out;
}

/**
 * Cut an answer into units: fenced code blocks whole; then lines; list items and headings as they are;
 * other lines into sentences, and each sentence into the two sides of a contrast. Cutting is done on the text
 * with quotes masked, so a quotation stays in one unit.
 */
export function splitUnits(answer: string): Unit[] {
  const units: Unit[] = [];
  let sentence = 0;
  let paragraph = 0;
  const push = (original: string, masked: string, form: UnitForm) => {
    const text = form === 'code' ? original.trim() : cleanText(original).replace(/^[,;:，；\s\-–—]+/u, '').trim();
    if (text === '') return;
    const bare = form === 'code' ? '' : cleanText(masked).replace(/^[,;:，；\s\-–—]+/u, '').trim();
    units.push({ text, bare, form, sentence, paragraph, intro: /[:：]\s*$/.test(text) });
  };
  const parts = answer.split(/(```[\s\S]*?(?:```|$))/);
  for (const part of parts) {
    if (part.startsWith('```')) {
      const code = part.replace(/^```[^\n]*\n?/, '').replace(/```$/, '');
      push(code, '', 'code');
      sentence++;
      continue;
    }
    const masked = maskQuotes(part);
    let offset = 0;
    for (const maskedLine of masked.split('\n')) {
      const line = part.slice(offset, offset + maskedLine.length);
      offset += maskedLine.length + 1;
      if (line.trim() === '') {
        paragraph++;
        continue;
      }
      if (/^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$/.test(line)) continue;
      const heading = HEADING.test(line);
      const marker = heading ? null : LIST_MARKER.exec(line);
      // Indented lines (4+ spaces or a tab, outside a list) with code punctuation are code.
      if (!marker && /^(?: {4,}|\t)\S/.test(line) && /[;{}()=$|]/.test(line)) {
        push(line, '', 'code');
        sentence++;
        continue;
      }
      const from = marker ? marker[0].length : 0;
      if (heading) {
        push(line, maskedLine, 'heading');
        sentence++;
        continue;
      }
      const form: UnitForm = marker ? 'item' : 'sentence';
      for (const [a, b] of piecesBetween(maskedLine, SENTENCE_END, from, maskedLine.length)) {
        const sides = form === 'sentence' ? piecesBetween(maskedLine, CONTRAST, a, b) : [[a, b] as [number, number]];
        for (const [c, d] of sides) push(line.slice(c, d), maskedLine.slice(c, d), form);
        sentence++;
      }
    }
  }
  return units;
}

// ---------------------------------------------------------------------------------------------
// Content words: what a prompt asks about, to see whether an answer sentence is about it.

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below between both but by can can't
  cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't having
  he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
  me more most much must my myself no nor not of off on once only or other ought our ours ourselves out over own please same shan't she she'd
  she'll she's should shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll
  they're they've this those through to too under until up upon very was wasn't we we'd we'll we're we've were weren't what what's when when's
  where where's which while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself
  yourselves tell give show explain describe write make get got know want need like really actually exactly best good way ways thing things
  something anything someone anyone one ones use using used help me someone's kind sort lot many even still yet maybe also would could shall
  may might let go going gonna wanna us via per etc vs ok okay hey hi hello thanks thank sure yes yeah`.split(/\s+/),
);

/** Light stem: lower case, no possessive, first 6 letters (enough to match "stitches"/"stitching"). */
function stem(word: string): string {
  const w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 6) return w.slice(0, 6);
  return w.length >= 4 && /[^su]s$/.test(w) ? w.slice(0, -1) : w;
}

const ZH_FUNCTION = /[的了是吗呢吧啊么在和与及或也都就还很把被给对从向让我你您他她它们这那哪些个一有没不怎为什如何请帮写说讲要会能可以些么]/u;

/**
 * The content of a text as a set of keys: English content words (stemmed, stopwords dropped) and Chinese
 * character pairs that are not mostly function characters.
 */
export function contentKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d{2,}/g)) {
    const w = m[0].toLowerCase();
    if (w.length < 3 || STOPWORDS.has(w)) continue;
    keys.add(stem(w));
  }
  for (const run of text.match(/[\u3400-\u9fff]+/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i] + chars[i + 1];
      if (ZH_FUNCTION.test(chars[i]) && ZH_FUNCTION.test(chars[i + 1])) continue;
      keys.add(pair);
    }
  }
  return keys;
}

/** Share of the prompt's content keys found in the text (0 when the prompt has none). */
export function overlap(promptKeys: Set<string>, text: string): number {
  if (promptKeys.size === 0) return 0;
  const keys = contentKeys(text);
  let hit = 0;
  for (const k of promptKeys) if (keys.has(k)) hit++;
  return hit / promptKeys.size;
}
