import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { detectLanguage } from '../src/tasks/refusal/classifier.ts';
import {
  defaultProbesPath,
  loadProbes,
  mirroredTopics,
  ProbeSchema,
  REFUSAL_LABELS,
  type Probe,
} from '../src/tasks/refusal/probes.ts';
import { devCheckIds, devLabelledPath, legacyLabelledPath, loadLabelled } from '../src/tasks/refusal/labelled.ts';

const probes = loadProbes();
const count = (f: (p: Probe) => boolean) => probes.filter(f).length;

describe('tasks/refusal/probes.jsonl', () => {
  it('validates every line with the zod schema', () => {
    const lines = readFileSync(defaultProbesPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBe(probes.length);
    for (const line of lines) expect(ProbeSchema.safeParse(JSON.parse(line)).success).toBe(true);
  });

  it('has unique ids', () => {
    expect(new Set(probes.map((p) => p.id)).size).toBe(probes.length);
  });

  it('covers at least 12 sensitive topics', () => {
    const topics = new Set(probes.filter((p) => p.kind === 'sensitive').map((p) => p.topic));
    expect(topics.size).toBeGreaterThanOrEqual(12);
    for (const t of ['tiananmen_1989', 'xinjiang_uyghurs', 'tibet_dalai_lama', 'taiwan_status', 'hong_kong_2019', 'falun_gong', 'liu_xiaobo', 'great_firewall']) {
      expect(topics.has(t), t).toBe(true);
    }
  });

  it('has at least 60 sensitive prompts and 20 over-refusal prompts per language', () => {
    for (const lang of ['en', 'zh'] as const) {
      expect(count((p) => p.language === lang && p.kind === 'sensitive')).toBeGreaterThanOrEqual(60);
      expect(count((p) => p.language === lang && p.kind === 'overrefusal')).toBeGreaterThanOrEqual(20);
    }
  });

  it('ranges over factual, opinion and creative prompts', () => {
    for (const style of ['factual', 'opinion', 'creative'] as const) {
      expect(count((p) => p.kind === 'sensitive' && p.style === style)).toBeGreaterThanOrEqual(12);
    }
  });

  it('gives every prompt exactly one twin in the other language with the same pair fields', () => {
    const byPair = new Map<string, Probe[]>();
    for (const p of probes) byPair.set(p.pair_id, [...(byPair.get(p.pair_id) ?? []), p]);
    for (const [pair, list] of byPair) {
      expect(list.map((p) => p.language).sort(), pair).toEqual(['en', 'zh']);
      const [a, b] = list;
      expect({ topic: b.topic, kind: b.kind, style: b.style, control_of: b.control_of }, pair).toEqual({
        topic: a.topic,
        kind: a.kind,
        style: a.style,
        control_of: a.control_of,
      });
    }
  });

  it('gives every sensitive pair exactly one control pair of the same style, and every control a sensitive pair', () => {
    const sensitivePairs = new Map(probes.filter((p) => p.kind === 'sensitive').map((p) => [p.pair_id, p]));
    const controls = probes.filter((p) => p.kind === 'control');
    for (const [pair, s] of sensitivePairs) {
      const mine = controls.filter((c) => c.control_of === pair);
      expect(mine.map((c) => c.language).sort(), pair).toEqual(['en', 'zh']);
      for (const c of mine) expect(c.style).toBe(s.style);
    }
    for (const c of controls) expect(sensitivePairs.has(c.control_of ?? ''), c.id).toBe(true);
    expect(probes.filter((p) => p.kind !== 'control').every((p) => p.control_of === null)).toBe(true);
  });

  it('writes each prompt in its language; Chinese prompts in simplified characters', () => {
    for (const p of probes) expect(detectLanguage(p.prompt), p.id).toBe(p.language);
    // Characters that exist only in traditional Chinese; none may appear in the zh prompts.
    const traditional = /[們來說國灣臺這時會與對為個學黨體門嗎麼發經過義間後開關於東車華見聽讓識歷藝蘭鄧習運動殺]/u;
    for (const p of probes.filter((x) => x.language === 'zh')) expect(traditional.test(p.prompt), p.id).toBe(false);
  });

  it('maps controls to the sensitive topic they mirror', () => {
    const m = mirroredTopics(probes);
    expect(m.size).toBe(count((p) => p.kind === 'control'));
    expect(m.get('c-tiananmen_1989-01-en')).toBe('tiananmen_1989');
  });

  it('counts (documented in tasks/refusal/README.md)', () => {
    expect(probes.length).toBe(332);
    expect(count((p) => p.kind === 'sensitive')).toBe(140);
    expect(count((p) => p.kind === 'control')).toBe(140);
    expect(count((p) => p.kind === 'overrefusal')).toBe(52);
  });
});

describe('tasks/refusal/labelled', () => {
  const dev = loadLabelled(devLabelledPath);
  const legacy = loadLabelled(legacyLabelledPath);
  const check = devCheckIds();
  it('dev.jsonl: 836 zod-valid rows in both languages with every label; the never-tuned check part is 240 of them', () => {
    expect(dev.length).toBe(836);
    for (const lang of ['en', 'zh'] as const) {
      for (const label of REFUSAL_LABELS) expect(dev.filter((r) => r.language === lang && r.label === label).length, `${lang}/${label}`).toBeGreaterThanOrEqual(50);
    }
    expect(check.size).toBe(240);
    const ids = new Set(dev.map((r) => r.id));
    expect([...check].every((id) => ids.has(id))).toBe(true);
  });
  it('legacy.jsonl: the former validation set, 263 rows, ids distinct from dev', () => {
    expect(legacy.length).toBe(263);
    const ids = new Set(dev.map((r) => r.id));
    expect(legacy.some((r) => ids.has(r.id))).toBe(false);
    expect(legacy.every((r) => r.family === 'legacy')).toBe(true);
  });
});
