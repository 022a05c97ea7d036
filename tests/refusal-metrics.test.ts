import { describe, expect, it } from 'vitest';
import { proportionalQuotas, stratifiedProbeSubset } from '../src/tasks/refusal/sampling.ts';
import {
  clusteredDiffStderr,
  computeRefusalMetrics,
  consistency,
  newcombeInterval,
  proportion,
  wilsonInterval,
  type LabelledSample,
} from '../src/tasks/refusal/metrics.ts';
import type { RefusalLabel } from '../src/tasks/refusal/probes.ts';

const close = (actual: number, expected: number, digits = 6) => expect(actual).toBeCloseTo(expected, digits);

describe('wilsonInterval', () => {
  it('3/10 -> [0.1078, 0.6032]', () => {
    // p = 0.3, z = 1.95996: centre = (0.3 + z²/20) / (1 + z²/10) = 0.355506,
    // half = z/(1 + z²/10) * sqrt(0.3*0.7/10 + z²/400) = 0.247715
    const [lo, hi] = wilsonInterval(3, 10);
    close(lo, 0.107791267);
    close(hi, 0.603221853);
  });
  it('has exact ends at 0/n and n/n', () => {
    const [lo0, hi0] = wilsonInterval(0, 10);
    expect(lo0).toBe(0);
    close(hi0, 0.277532800);
    const [lo1, hi1] = wilsonInterval(10, 10);
    close(lo1, 0.722467200);
    expect(hi1).toBe(1);
  });
  it('1/10 and 5/10', () => {
    const a = wilsonInterval(1, 10);
    close(a[0], 0.017876213);
    close(a[1], 0.404150027);
    const b = wilsonInterval(5, 10);
    close(b[0], 0.236593091);
    close(b[1], 0.763406909);
  });
  it('is NaN for n = 0 and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0).every(Number.isNaN)).toBe(true);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('newcombeInterval', () => {
  it("reproduces Newcombe (1998) example: 56/70 - 48/80 = 0.2, CI [0.0524, 0.3339]", () => {
    const [lo, hi] = newcombeInterval(56, 70, 48, 80);
    close(lo, 0.052431472);
    close(hi, 0.333872654);
  });
  it('3/10 - 1/10', () => {
    const [lo, hi] = newcombeInterval(3, 10, 1, 10);
    close(lo, -0.159793602);
    close(hi, 0.514146157);
  });
});

function samples(spec: { topic: string; language: 'en' | 'zh'; kind: 'sensitive' | 'control' | 'overrefusal'; labels: RefusalLabel[]; mirrors?: string; prompt?: string }): LabelledSample[] {
  return spec.labels.map((label, i) => ({
    topic: spec.topic,
    language: spec.language,
    kind: spec.kind,
    label,
    prompt_id: spec.prompt ?? `${spec.topic}-${spec.language}-${i}`,
    sample_index: spec.prompt ? i : 0,
    mirrors_topic: spec.mirrors,
  }));
}

const R: RefusalLabel = 'refused';
const D: RefusalLabel = 'deflected';
const C: RefusalLabel = 'complied';

describe('computeRefusalMetrics', () => {
  // en: sensitive 3 refused, 2 deflected, 5 complied; control 1 refused, 9 complied.
  // zh: sensitive 9 refused, 1 complied; control 3 refused, 7 complied. Over-refusal en: 1 refused of 4.
  const data: LabelledSample[] = [
    ...samples({ topic: 'tiananmen_1989', language: 'en', kind: 'sensitive', labels: [R, R, R, D, D, C, C, C, C, C] }),
    ...samples({ topic: 'kent_state_1970', language: 'en', kind: 'control', labels: [R, C, C, C, C, C, C, C, C, C], mirrors: 'tiananmen_1989' }),
    ...samples({ topic: 'tiananmen_1989', language: 'zh', kind: 'sensitive', labels: [R, R, R, R, R, R, R, R, R, C] }),
    ...samples({ topic: 'kent_state_1970', language: 'zh', kind: 'control', labels: [R, R, R, C, C, C, C, C, C, C], mirrors: 'tiananmen_1989' }),
    ...samples({ topic: 'programming', language: 'en', kind: 'overrefusal', labels: [R, C, C, C] }),
  ];
  const m = computeRefusalMetrics(data);

  it('computes rates and Wilson intervals per group', () => {
    expect(m.overall.n).toBe(44);
    expect(m.overall.refused.count).toBe(17);
    close(m.overall.refused.rate, 17 / 44);
    expect(m.byLanguageKind['en/sensitive'].refused).toEqual(proportion(3, 10));
    close(m.byLanguageKind['en/sensitive'].refused.ci[0], 0.107791267);
    close(m.byLanguageKind['en/sensitive'].refused.ci[1], 0.603221853);
    expect(m.byLanguageKind['en/sensitive'].deflected.count).toBe(2);
    expect(m.byLanguageKind['en/sensitive'].complied.count).toBe(5);
    expect(m.byLanguageKind['en/sensitive'].notAnswered.count).toBe(5);
    expect(m.byKind.overrefusal.refused.count).toBe(1);
    expect(m.byKind.overrefusal.n).toBe(4);
    expect(m.byLanguage.zh.refused.count).toBe(12);
    expect(m.byTopic.tiananmen_1989.n).toBe(20);
    expect(m.byTopic.tiananmen_1989.refused.count).toBe(12);
    expect(Object.keys(m.byTopic)).toEqual(['kent_state_1970', 'programming', 'tiananmen_1989']);
  });

  it('computes the censorship gap per language with Newcombe intervals', () => {
    const en = m.gapByLanguage.en;
    close(en.refusal.diff, 0.2);
    close(en.refusal.ci[0], -0.159793602);
    close(en.refusal.ci[1], 0.514146157);
    close(en.notAnswered.diff, 0.4);
    const [lo, hi] = newcombeInterval(5, 10, 1, 10);
    close(en.notAnswered.ci[0], lo);
    close(en.notAnswered.ci[1], hi);
    close(lo, -0.002356109);
    close(hi, 0.675912153);
    const zh = m.gapByLanguage.zh;
    close(zh.refusal.diff, 0.6);
    close(zh.refusal.ci[0], 0.170522724);
    close(zh.refusal.ci[1], 0.809017974);
  });

  it('computes the overall and per-topic gap', () => {
    expect(m.gapOverall?.refusal.sensitive).toEqual(proportion(12, 20));
    expect(m.gapOverall?.refusal.control).toEqual(proportion(4, 20));
    close(m.gapOverall!.refusal.diff, 0.4);
    expect(Object.keys(m.gapByTopic)).toEqual(['tiananmen_1989/en', 'tiananmen_1989/zh']);
    close(m.gapByTopic['tiananmen_1989/zh'].refusal.diff, 0.6);
  });

  it('leaves the gap out when a language lacks controls', () => {
    const only = computeRefusalMetrics(samples({ topic: 't', language: 'en', kind: 'sensitive', labels: [R, C] }));
    expect(only.gapByLanguage).toEqual({});
    expect(only.gapOverall).toBeNull();
  });

  it('handles no samples', () => {
    const empty = computeRefusalMetrics([]);
    expect(empty.overall.n).toBe(0);
    expect(Number.isNaN(empty.overall.refused.rate)).toBe(true);
  });
});

describe('per-prompt consistency with several samples per prompt', () => {
  const data: LabelledSample[] = [
    ...samples({ topic: 't', language: 'en', kind: 'sensitive', labels: [R, R, R], prompt: 'p1' }),
    ...samples({ topic: 't', language: 'en', kind: 'sensitive', labels: [R, C, C], prompt: 'p2' }),
    ...samples({ topic: 't', language: 'en', kind: 'sensitive', labels: [C, C, C], prompt: 'p3' }),
    ...samples({ topic: 't', language: 'en', kind: 'sensitive', labels: [D, D, R], prompt: 'p4' }),
    ...samples({ topic: 't', language: 'zh', kind: 'sensitive', labels: [R, R], prompt: 'p1' }),
  ];
  it('counts prompts always / sometimes / never refused', () => {
    expect(consistency(data.filter((s) => s.language === 'en'), (l) => l === 'refused')).toEqual({
      prompts: 4,
      always: 1,
      sometimes: 2,
      never: 1,
      minSamples: 3,
      maxSamples: 3,
    });
  });
  it('reports refusal and not-answered consistency per language/kind and overall', () => {
    const m = computeRefusalMetrics(data);
    expect(m.refusalConsistency.all).toEqual({ prompts: 5, always: 2, sometimes: 2, never: 1, minSamples: 2, maxSamples: 3 });
    expect(m.notAnsweredConsistency['en/sensitive']).toEqual({ prompts: 4, always: 2, sometimes: 1, never: 1, minSamples: 3, maxSamples: 3 });
    expect(m.refusalConsistency['zh/sensitive'].always).toBe(1);
  });
});

describe('clustered standard error of the censorship gap', () => {
  const sample = (kind: 'sensitive' | 'control', label: RefusalLabel, prompt: string, cluster?: string): LabelledSample => ({
    topic: 't',
    language: 'en',
    kind,
    label,
    prompt_id: prompt,
    sample_index: 0,
    ...(cluster ? { cluster } : {}),
  });
  const side = (kind: 'sensitive' | 'control', refused: number, n: number, cluster?: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => sample(kind, i < refused ? 'refused' : 'complied', `${kind}-${i}`, cluster?.(i)));
  const isRefused = (l: RefusalLabel) => l === 'refused';

  it('with one sample per cluster it is the textbook SE times sqrt(G/(G-1))', () => {
    const { stderr, clusters } = clusteredDiffStderr(side('sensitive', 3, 10), side('control', 1, 10), isRefused);
    expect(clusters).toBe(20);
    // (20/19) * (0.3*0.7/10 + 0.1*0.9/10) = 0.0315789...
    expect(stderr).toBeCloseTo(Math.sqrt((20 / 19) * 0.03), 12);
  });

  it('does not shrink when every answer is counted twice inside its pair (a prompt and its translation)', () => {
    const once = clusteredDiffStderr(side('sensitive', 3, 10), side('control', 1, 10), isRefused);
    const twiceSens = [...side('sensitive', 3, 10, (i) => `p${i}`), ...side('sensitive', 3, 10, (i) => `p${i}`)];
    const twiceCtrl = [...side('control', 1, 10, (i) => `p${i}`), ...side('control', 1, 10, (i) => `p${i}`)];
    const clustered = clusteredDiffStderr(twiceSens, twiceCtrl, isRefused);
    expect(clustered.clusters).toBe(10);
    // Pairs join a sensitive prompt and its control, so G = 10 instead of 20: the factor is sqrt(10/9) vs sqrt(20/19),
    // and the covariance of a sensitive and a control prompt in one pair enters (here the first ones are refused on both sides).
    const naive = clusteredDiffStderr(twiceSens.map((s, i) => ({ ...s, cluster: `s${i}` })), twiceCtrl.map((s, i) => ({ ...s, cluster: `c${i}` })), isRefused);
    expect(naive.stderr).toBeCloseTo(once.stderr * Math.sqrt((40 / 39) / (20 / 19)) / Math.SQRT2, 12);
    expect(clustered.stderr).toBeGreaterThan(naive.stderr);
  });

  it('is reported with the gap, and NaN with fewer than two clusters', () => {
    const m = computeRefusalMetrics([...side('sensitive', 3, 10), ...side('control', 1, 10)]);
    expect(m.gapOverall!.refusal.stderr).toBeCloseTo(Math.sqrt((20 / 19) * 0.03), 12);
    expect(m.gapOverall!.refusal.clusters).toBe(20);
    expect(clusteredDiffStderr([sample('sensitive', 'refused', 'a', 'x')], [sample('control', 'complied', 'b', 'x')], isRefused).stderr).toBeNaN();
  });
});

describe('stratified --limit for probes', () => {
  type Item = { id: string; kind: string; language: string; pair: string; controlOf: string | null };
  const items: Item[] = [];
  for (let i = 0; i < 10; i++) for (const language of ['en', 'zh']) items.push({ id: `s${i}-${language}`, kind: 'sensitive', language, pair: `s${i}`, controlOf: null });
  for (let i = 0; i < 10; i++) for (const language of ['en', 'zh']) items.push({ id: `c${i}-${language}`, kind: 'control', language, pair: `c${i}`, controlOf: `s${i}` });
  for (let i = 0; i < 4; i++) for (const language of ['en', 'zh']) items.push({ id: `o${i}-${language}`, kind: 'overrefusal', language, pair: `o${i}`, controlOf: null });
  const key = (t: Item) => ({ kind: t.kind, language: t.language, pairId: t.pair, controlOf: t.controlOf });
  const pick = (limit: number, seed = 7) => stratifiedProbeSubset(items, limit, seed, 'refusal', key);

  it('splits the limit over kind x language by largest remainder', () => {
    expect([...proportionalQuotas(new Map([['a', 10], ['b', 10], ['c', 4]]), 12)]).toEqual([
      ['a', 5],
      ['b', 5],
      ['c', 2],
    ]);
    const chosen = pick(12);
    expect(chosen).toHaveLength(12);
    const count = (kind: string, language: string) => chosen.filter((t) => t.kind === kind && t.language === language).length;
    expect([count('sensitive', 'en'), count('sensitive', 'zh'), count('control', 'en'), count('control', 'zh'), count('overrefusal', 'en'), count('overrefusal', 'zh')]).toEqual([2, 2, 3, 3, 1, 1]);
  });

  it('keeps a prompt with its translation and a control with the prompt it mirrors', () => {
    const chosen = pick(12);
    const pairs = (kind: string, language: string) => chosen.filter((t) => t.kind === kind && t.language === language).map((t) => t.pair);
    expect(pairs('sensitive', 'en')).toEqual(pairs('sensitive', 'zh'));
    const mirrored = new Set(chosen.filter((t) => t.kind === 'control').map((t) => t.controlOf));
    for (const p of pairs('sensitive', 'en')) expect(mirrored.has(p)).toBe(true);
  });

  it('is seeded, keeps the input order, and returns everything when the limit covers it', () => {
    expect(pick(12)).toEqual(pick(12));
    expect(pick(12, 8).map((t) => t.id)).not.toEqual(pick(12).map((t) => t.id));
    const ids = pick(12).map((t) => items.indexOf(t));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(stratifiedProbeSubset(items, 100, 1, 'x', key)).toBe(items);
  });
});
