import { describe, expect, it } from 'vitest';
import { splitReasoning } from '../src/core/reasoning.ts';
import { cutAtStop, firstStopIndex } from '../src/core/stops.ts';

describe('splitReasoning (the one reasoning splitter: code extraction, refusal labels, generative answers)', () => {
  it('removes every closed think block and counts the characters between the tags', () => {
    expect(splitReasoning('<think>abc</think>\nanswer<think>de</think>!')).toEqual({ answer: '\nanswer!', reasoning: 'abc\n\nde', reasoningChars: 5, unclosed: false });
  });

  it('keeps the reasoning apart from the answer', () => {
    const r = splitReasoning('<think>plan</think>\n\nAnswer.');
    expect([r.reasoning, r.answer.trim(), r.unclosed]).toEqual(['plan', 'Answer.', false]);
  });

  it('an empty think block is reasoning "" (not null): thought suppression can be told from no reasoning', () => {
    const r = splitReasoning('<think>\n\n</think>\n\nAnswer.');
    expect([r.reasoning, r.answer.trim()]).toEqual(['', 'Answer.']);
  });

  it('an unclosed think block is all reasoning, flagged unclosed', () => {
    expect(splitReasoning('<think>still reasoning when the tokens ran out')).toEqual({ answer: '', reasoning: 'still reasoning when the tokens ran out', reasoningChars: 39, unclosed: true });
  });

  it('text before a closing tag whose opening tag was in the prompt is reasoning', () => {
    expect(splitReasoning('I need a loop.\n</think>\n\n```python\nx = 1\n```')).toEqual({ answer: '\n\n```python\nx = 1\n```', reasoning: 'I need a loop.', reasoningChars: 15, unclosed: false });
    expect(splitReasoning('plan\n</think>\nAnswer.').reasoning).toBe('plan');
  });

  it('leaves text without tags alone (reasoning null, answer untouched)', () => {
    expect(splitReasoning('def f(): pass')).toEqual({ answer: 'def f(): pass', reasoning: null, reasoningChars: 0, unclosed: false });
    expect(splitReasoning('  Answer. ').answer).toBe('  Answer. ');
  });

  it('tags match whatever their case', () => {
    expect(splitReasoning('<THINK>x</THINK>y').answer).toBe('y');
    expect(splitReasoning('<Think>x</think>y').answer).toBe('y');
  });
});

describe('stop sequences (the one cutter)', () => {
  it('cuts at the earliest stop, ignoring empty ones', () => {
    expect(cutAtStop('a\nb\nQuestion: c', ['Question:', '\n'])).toBe('a');
    expect(cutAtStop('abc', ['', 'x'])).toBe('abc');
    expect(firstStopIndex('abc', ['c', 'b'])).toBe(1);
    expect(firstStopIndex('abc', [])).toBeNull();
  });
});
