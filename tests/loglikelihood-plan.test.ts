import { describe, expect, it } from 'vitest';
import { groupIntoHosts, orderHosts, planBatches, sharedPrefixLength, type EncodedRequest } from '../src/models/onnx/loglikelihood-plan.ts';

/** A request whose model input is `ctx + cont` minus its last token, as _encode_pair and the input slice make it. */
const req = (context: string, ctx: number[], cont: number[]): EncodedRequest => ({ context, input: [...ctx, ...cont].slice(0, -1), cont });

describe('log-likelihood planning (pure functions, no model)', () => {
  const shared = Array.from({ length: 40 }, (_, i) => 1000 + i); // a 40-token few-shot prefix
  const q1 = [...shared, 1, 2, 3];
  const q2 = [...shared, 4, 5];
  // Question 1's four answers: " A", " B", " C" are one token; " D" splits into two (like "▁" + "D").
  const requests = [req('q1', q1, [11]), req('q1', q1, [12]), req('q1', q1, [13]), req('q1', q1, [7, 14]), req('q2', q2, [11]), req('q2', q2, [12])];

  it('requests whose input is a prefix of another with the same context share one pass', () => {
    const hosts = groupIntoHosts(requests, false);
    // q1: " D" has the longest input (q1 + 7); " A".." C" inputs equal q1, a prefix of it: one pass.
    expect(hosts.map((h) => h.members.sort())).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(hosts[0].input).toEqual([...q1, 7]);
  });

  it('with exactOnly (dynamically quantized weights) only identical inputs share', () => {
    expect(groupIntoHosts(requests, true).map((h) => h.members.sort())).toEqual([[3], [0, 1, 2], [4, 5]]);
  });

  it('a different context never shares, even with identical tokens', () => {
    expect(groupIntoHosts([req('a', q1, [11]), req('b', q1, [11])], false)).toHaveLength(2);
  });

  it('orders by leading tokens, then longest first, then first request', () => {
    const hosts = [
      { input: [2, 9], members: [0] },
      { input: [1, 5], members: [1] },
      { input: [1, 5, 6], members: [2] },
      { input: [1, 5], members: [3] },
    ];
    expect(orderHosts(hosts, 1).map((h) => h.members[0])).toEqual([2, 1, 3, 0]);
  });

  it('batches respect batch size, the padded-token cap and per-sequence mode', () => {
    const hosts = Array.from({ length: 5 }, (_, i) => ({ input: new Array(100).fill(i), members: [i] }));
    expect(planBatches(hosts, { batchSize: 2, maxBatchTokens: 10_000, perSequence: false }).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(planBatches(hosts, { batchSize: 8, maxBatchTokens: 300, perSequence: false }).map((b) => b.length)).toEqual([3, 2]);
    expect(planBatches(hosts, { batchSize: 8, maxBatchTokens: 10_000, perSequence: true }).map((b) => b.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('the shared prefix stops at the first difference and before any scored position', () => {
    const hosts = groupIntoHosts(requests, false);
    expect(sharedPrefixLength(hosts, requests, 32)).toBe(40);
    // A minimum longer than what is shared: not worth a second pass.
    expect(sharedPrefixLength(hosts, requests, 41)).toBe(0);
    // A continuation scored inside the common tokens bounds the prefix.
    const early = [req('x', shared.slice(0, 35), [shared[35], 1]), req('y', shared, [2])];
    // x's first continuation token is predicted at position 34 (its input is 36 tokens, 2 of them scored).
    expect(sharedPrefixLength(groupIntoHosts(early, false), early, 32)).toBe(34);
    // One sequence alone shares nothing.
    expect(sharedPrefixLength([hosts[0]], requests, 1)).toBe(0);
  });
});
