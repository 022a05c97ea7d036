/**
 * `--limit` for refusal probes: a seeded subset stratified by kind x language, so a small run keeps the suite's
 * mix of sensitive, control and over-refusal prompts in each language, and keeps related prompts together:
 * an English prompt and its translation (same pair_id) are taken or left together, and a control is taken with
 * the sensitive prompt it mirrors, so the censorship gap compares like with like.
 */
import seedrandom from 'seedrandom';

export interface ProbeKey {
  kind: string;
  language: string;
  /** Shared by a prompt and its translation. */
  pairId: string;
  /** For a control: the pair_id of the sensitive prompt it mirrors. */
  controlOf: string | null;
}

/**
 * Quotas by the largest-remainder method: `limit` split over strata in proportion to their sizes (ties go to
 * the stratum that sorts first), never more than a stratum holds.
 */
export function proportionalQuotas(sizes: Map<string, number>, limit: number): Map<string, number> {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const keys = [...sizes.keys()].sort();
  const quotas = new Map<string, number>();
  if (total === 0) return quotas;
  const n = Math.min(limit, total);
  let given = 0;
  const remainders: { key: string; rem: number }[] = [];
  for (const k of keys) {
    const exact = (n * sizes.get(k)!) / total;
    const q = Math.floor(exact);
    quotas.set(k, q);
    given += q;
    remainders.push({ key: k, rem: exact - q });
  }
  remainders.sort((a, b) => b.rem - a.rem || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key } of remainders) {
    if (given >= n) break;
    if (quotas.get(key)! < sizes.get(key)!) {
      quotas.set(key, quotas.get(key)! + 1);
      given++;
    }
  }
  return quotas;
}

/**
 * A seeded subset of `limit` items stratified by kind x language. Within a stratum, items are taken in the
 * order of a seeded shuffle of pair ids (a control in the order of the pair it mirrors), so the same pairs are
 * taken in every language and kind. The result keeps the input order. Same seed, same subset.
 */
export function stratifiedProbeSubset<T>(items: T[], limit: number | undefined, seed: number, salt: string, key: (item: T) => ProbeKey): T[] {
  if (limit === undefined || limit >= items.length) return items;
  const keys = items.map(key);
  const rng = seedrandom(`${seed}:${salt}:stratified`);
  const pairs = [...new Set(keys.map((k) => k.pairId))].sort();
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  const rank = new Map(pairs.map((p, i) => [p, i]));
  const orderOf = (k: ProbeKey) => rank.get(k.controlOf !== null && rank.has(k.controlOf) ? k.controlOf : k.pairId)!;
  const strata = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const s = `${k.kind}/${k.language}`;
    strata.set(s, [...(strata.get(s) ?? []), i]);
  });
  const quotas = proportionalQuotas(new Map([...strata].map(([s, idx]) => [s, idx.length])), limit);
  const chosen: number[] = [];
  for (const [s, idx] of strata) {
    const ordered = [...idx].sort((a, b) => orderOf(keys[a]) - orderOf(keys[b]) || a - b);
    chosen.push(...ordered.slice(0, quotas.get(s) ?? 0));
  }
  return chosen.sort((a, b) => a - b).map((i) => items[i]);
}
