/**
 * How log-likelihood requests become forward passes, as pure functions of token ids (tested without a model):
 * which requests share a pass, how passes are ordered and batched, and what prefix a batch shares.
 */

/** A request as tokens: the model input `(context + continuation)[-(L+1):][:-1]` and the scored continuation. */
export interface EncodedRequest {
  /** Request key for grouping: requests with the same context may share a pass. */
  context: string;
  input: number[];
  /** Continuation tokens, scored at the last `cont.length` positions of `input`. */
  cont: number[];
}

/** One forward pass's sequence and the requests it answers. */
export interface Host {
  input: number[];
  /** Indices of the requests answered from this sequence's logits. */
  members: number[];
}

/**
 * One sequence serves every request whose input is identical to, or a prefix of, its input (same context): in a
 * causal model the logits at a position depend only on the tokens before it, so an MMLU question's four answers
 * cost one pass. With `exactOnly` (dynamically quantized weights, whose results depend on the whole input) only
 * identical inputs share.
 */
export function groupIntoHosts(requests: readonly EncodedRequest[], exactOnly: boolean): Host[] {
  const byContext = new Map<string, number[]>();
  requests.forEach((r, i) => {
    const g = byContext.get(r.context);
    if (g) g.push(i);
    else byContext.set(r.context, [i]);
  });
  const hosts: Host[] = [];
  for (const members of byContext.values()) {
    const own: Host[] = [];
    for (const i of [...members].sort((a, b) => requests[b].input.length - requests[a].input.length || a - b)) {
      const input = requests[i].input;
      const host = own.find((h) => (exactOnly ? input.length === h.input.length : input.length <= h.input.length) && input.every((t, j) => h.input[j] === t));
      if (host) host.members.push(i);
      else own.push({ input, members: [i] });
    }
    hosts.push(...own);
  }
  return hosts;
}

/**
 * Passes in the order they run: grouped by their first `keyTokens` tokens (so that a batch shares its few-shot
 * prefix), then longest first as lm-evaluation-harness orders, then by first request for a stable order.
 */
export function orderHosts(hosts: readonly Host[], keyTokens: number): Host[] {
  const head = (h: Host) => h.input.slice(0, keyTokens).join(',');
  return [...hosts].sort((a, b) => (head(a) < head(b) ? -1 : head(a) > head(b) ? 1 : 0) || b.input.length - a.input.length || a.members[0] - b.members[0]);
}

/** Consecutive batches of at most `batchSize` sequences and `maxBatchTokens` padded tokens (1 per batch when `perSequence`). */
export function planBatches(hosts: readonly Host[], opts: { batchSize: number; maxBatchTokens: number; perSequence: boolean }): Host[][] {
  const batches: Host[][] = [];
  let start = 0;
  while (start < hosts.length) {
    const longest = Math.max(...hosts.slice(start, start + opts.batchSize).map((h) => h.input.length));
    const rows = opts.perSequence ? 1 : Math.max(1, Math.min(opts.batchSize, Math.floor(opts.maxBatchTokens / longest)));
    const batch = hosts.slice(start, start + rows);
    batches.push(batch);
    start += batch.length;
  }
  return batches;
}

/**
 * The prefix every sequence of a batch shares, stopping short of any position whose logits are scored; 0 when
 * shorter than `minShared` (not worth a second pass) or for a single sequence.
 */
export function sharedPrefixLength(batch: readonly Host[], requests: readonly EncodedRequest[], minShared: number): number {
  if (batch.length < 2) return 0;
  let prefix = Math.min(...batch.flatMap((h) => h.members.map((i) => requests[i].input.length - requests[i].cont.length)));
  const first = batch[0].input;
  for (const h of batch) {
    let j = 0;
    while (j < prefix && h.input[j] === first[j]) j++;
    prefix = j;
  }
  return prefix < minShared ? 0 : prefix;
}
