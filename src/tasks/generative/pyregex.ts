import { HarnessError } from '../../core/errors.ts';

/**
 * Regular expressions written in Python's `re` syntax (as the reference scripts write them: TIGER-Lab's MMLU-Pro
 * extraction, lm-evaluation-harness's filters and `regexes_to_ignore`), run with Python's meaning in JavaScript.
 * JavaScript differs where it matters for answer extraction:
 *   - `\b`, `\w`: Python counts every Unicode letter and digit as a word character (`é`, `中`), JavaScript only ASCII;
 *   - `.`: Python excludes only `\n`, JavaScript also `\r`, U+2028 and U+2029;
 *   - `$`: Python also matches before a final `\n`;
 *   - `\s`: Python includes \x1c-\x1f and \x85 but not U+FEFF; `\d` is any Unicode decimal digit;
 *   - inline flags `(?s)`, named groups `(?P<name>...)`, escapes such as `\-` or `\,` and a literal `{`.
 * The pattern is rewritten once into an equivalent JavaScript one (Unicode mode, never JavaScript's `m` flag).
 */

const WORD = '\\p{L}\\p{N}_';
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

export type PyFlags = { ignoreCase: boolean; multiline: boolean; dotall: boolean };

/** Parses Python flag letters (`i`, `m`, `s`; `a`, `u`, `x` are not supported). */
function flagsOf(letters: string, where: string): PyFlags {
  for (const c of letters) {
    if (!'ims'.includes(c)) throw new HarnessError(`regex flag "${c}" is not supported`, { where, fix: 'use the flags i (ignore case), m (multiline), s (dot matches newline)' });
  }
  return { ignoreCase: letters.includes('i'), multiline: letters.includes('m'), dotall: letters.includes('s') };
}

function quantifierAt(p: string, i: number): boolean {
  return /^\{(\d+|\d+,\d*|,\d+)\}/.test(p.slice(i));
}

/** Rewrites a Python pattern into JavaScript source with Python's meaning; returns the source and the flags used. */
export function translatePythonRegex(pattern: string, flagLetters = '', where = 'regex'): { source: string; flags: PyFlags } {
  let p = pattern;
  let letters = flagLetters;
  // Global inline flags at the start: (?s), (?is), ...
  for (let m = /^\(\?([a-zA-Z]+)\)/.exec(p); m; m = /^\(\?([a-zA-Z]+)\)/.exec(p)) {
    letters += m[1];
    p = p.slice(m[0].length);
  }
  const flags = flagsOf(letters, where);
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new HarnessError('regex ends with a lone backslash', { where, fix: 'escape it as \\\\' });
      i++;
      if (inClass) {
        if (n === 'd') out += '\\p{Nd}';
        else if (n === 'w') out += WORD;
        else if (n === 's') out += PY_SPACE;
        else if ('DWS'.includes(n)) throw new HarnessError(`\\${n} inside [...] is not supported`, { where, fix: 'write the set out, or use (?:[...]|\\' + n + ')' });
        else if (/[A-Za-z0-9]/.test(n)) out += `\\${n}`;
        else if (n === '-' || n === ']' || n === '\\' || n === '^') out += `\\${n}`;
        else out += n === '[' ? '\\[' : n;
        continue;
      }
      switch (n) {
        case 'b':
          out += `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;
          break;
        case 'B':
          out += `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;
          break;
        case 'w':
          out += `[${WORD}]`;
          break;
        case 'W':
          out += `[^${WORD}]`;
          break;
        case 'd':
          out += '\\p{Nd}';
          break;
        case 'D':
          out += '\\P{Nd}';
          break;
        case 's':
          out += `[${PY_SPACE}]`;
          break;
        case 'S':
          out += `[^${PY_SPACE}]`;
          break;
        case 'A':
          out += '^';
          break;
        case 'Z':
          out += '$';
          break;
        default:
          if (/[A-Za-z0-9]/.test(n) || SYNTAX.has(n)) out += `\\${n}`;
          else out += n;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        // A `]` right after `[` or `[^` is a literal in Python.
        if (p[i + 1] === '^') {
          out += '^';
          i++;
        }
        if (p[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        break;
      case '.':
        out += flags.dotall ? '[\\s\\S]' : '[^\\n]';
        break;
      case '$':
        out += flags.multiline ? '(?=\\n|$)' : '(?=\\n?$)';
        break;
      case '^':
        out += flags.multiline ? '(?<=^|\\n)' : '^';
        break;
      case '{':
        if (quantifierAt(p, i)) {
          // A quantifier (Python's {,m} is {0,m}); otherwise a literal brace.
          const close = p.indexOf('}', i);
          out += p.slice(i, close + 1).replace('{,', '{0,');
          i = close;
        } else {
          out += '\\{';
        }
        break;
      case '}':
      case ']':
        out += `\\${c}`;
        break;
      case '(':
        if (p.startsWith('(?P<', i)) {
          out += '(?<';
          i += 3;
        } else if (p.startsWith('(?P=', i)) {
          const close = p.indexOf(')', i);
          out += `\\k<${p.slice(i + 4, close)}>`;
          i = close;
        } else {
          out += c;
        }
        break;
      default:
        out += c;
    }
  }
  if (inClass) throw new HarnessError('regex has an unterminated [...] set', { where, fix: 'close the set with ]' });
  return { source: out, flags };
}

/** A compiled Python-syntax regex with Python's `search`, `findall` and `sub`. */
export class PyRegex {
  private readonly one: RegExp;
  private readonly all: RegExp;
  readonly groups: number;

  constructor(
    readonly pattern: string,
    flagLetters = '',
    where = 'regex',
  ) {
    const { source, flags } = translatePythonRegex(pattern, flagLetters, where);
    const js = `u${flags.ignoreCase ? 'i' : ''}`;
    try {
      this.one = new RegExp(source, js);
      this.all = new RegExp(source, `${js}g`);
    } catch (err) {
      throw new HarnessError(`regex ${JSON.stringify(pattern)} does not compile: ${(err as Error).message}`, { where, fix: 'fix the pattern (Python re syntax)' });
    }
    this.groups = new RegExp(`${source}|`, js).exec('')!.length - 1;
  }

  /** `re.search`: the first match, or null. */
  search(text: string): RegExpExecArray | null {
    return this.one.exec(text);
  }

  /**
   * `re.findall`: every non-overlapping match; the whole match when the pattern has no group, the group when it has
   * one, and a tuple of groups (unmatched ones as '') when it has several.
   */
  findall(text: string): (string | string[])[] {
    return [...text.matchAll(this.all)].map((m) => (this.groups === 0 ? m[0] : this.groups === 1 ? (m[1] ?? '') : m.slice(1).map((g) => g ?? '')));
  }

  /** `re.sub(pattern, replacement, text)` with a literal replacement. */
  sub(text: string, replacement = ''): string {
    return text.replace(this.all, () => replacement);
  }
}
