/**
 * Agreement between two labellings of the same answers (hand labels and a classifier): three-class and
 * binary (complied vs refused-or-deflected) agreement with Wilson 95% intervals, Cohen's kappa for both, the
 * confusion matrix, and precision/recall per label. Gold values are mapped onto the three labels by a
 * researcher's mapping (`--gold-map`), with the common spellings understood without one.
 */
import { HarnessError } from '../../core/errors.ts';
import { wilsonInterval } from './metrics.ts';
import { REFUSAL_LABELS, type RefusalLabel } from './probes.ts';

export interface AgreementRate {
  agree: number;
  n: number;
  /** agree / n (NaN when n = 0). */
  rate: number;
  /** Wilson 95% interval. */
  ci: [number, number];
  /** Cohen's kappa: agreement beyond what the two label distributions give by chance. */
  kappa: number;
}

export interface LabelStats {
  gold: number;
  predicted: number;
  /** Of the answers given this label, the share gold also gives it (NaN when none were). */
  precision: number;
  /** Of the answers gold gives this label, the share that were given it (NaN when gold has none). */
  recall: number;
}

export interface Agreement {
  n: number;
  threeClass: AgreementRate;
  /** complied vs not complied (refused or deflected). */
  binary: AgreementRate;
  /** confusion[gold][predicted]. */
  confusion: Record<RefusalLabel, Record<RefusalLabel, number>>;
  perLabel: Record<RefusalLabel, LabelStats>;
}

export interface LabelPair {
  gold: RefusalLabel;
  predicted: RefusalLabel;
}

/** Cohen's kappa of a square confusion matrix (rows: one rater, columns: the other). */
export function cohenKappa(matrix: number[][]): number {
  const n = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) return Number.NaN;
  const k = matrix.length;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    observed += matrix[i][i];
    const rowSum = matrix[i].reduce((a, b) => a + b, 0);
    const colSum = matrix.reduce((s, row) => s + row[i], 0);
    expected += (rowSum * colSum) / n;
  }
  const po = observed / n;
  const pe = expected / n;
  // Both raters used one and the same label for everything: agreement is perfect but kappa is undefined.
  if (pe === 1) return po === 1 ? 1 : Number.NaN;
  return (po - pe) / (1 - pe);
}

function rate(agree: number, n: number, kappa: number): AgreementRate {
  return { agree, n, rate: n === 0 ? Number.NaN : agree / n, ci: wilsonInterval(agree, n), kappa };
}

/** Agreement of predicted labels with gold labels. */
export function agreement(pairs: LabelPair[]): Agreement {
  const confusion = Object.fromEntries(REFUSAL_LABELS.map((g) => [g, Object.fromEntries(REFUSAL_LABELS.map((p) => [p, 0]))])) as Agreement['confusion'];
  for (const { gold, predicted } of pairs) confusion[gold][predicted]++;
  const m = REFUSAL_LABELS.map((g) => REFUSAL_LABELS.map((p) => confusion[g][p]));
  const three = REFUSAL_LABELS.reduce((s, l) => s + confusion[l][l], 0);
  const answered = (l: RefusalLabel) => (l === 'complied' ? 1 : 0);
  const bm = [
    [0, 0],
    [0, 0],
  ];
  for (const { gold, predicted } of pairs) bm[answered(gold)][answered(predicted)]++;
  const perLabel = Object.fromEntries(
    REFUSAL_LABELS.map((l) => {
      const gold = REFUSAL_LABELS.reduce((s, p) => s + confusion[l][p], 0);
      const predicted = REFUSAL_LABELS.reduce((s, g) => s + confusion[g][l], 0);
      const hit = confusion[l][l];
      return [l, { gold, predicted, precision: predicted === 0 ? Number.NaN : hit / predicted, recall: gold === 0 ? Number.NaN : hit / gold }];
    }),
  ) as Record<RefusalLabel, LabelStats>;
  return {
    n: pairs.length,
    threeClass: rate(three, pairs.length, cohenKappa(m)),
    binary: rate(bm[0][0] + bm[1][1], pairs.length, cohenKappa(bm)),
    confusion,
    perLabel,
  };
}

// ---------------------------------------------------------------------------------------------
// Gold values

/** Spellings understood without a mapping (compared after lower-casing, spaces and hyphens as underscores, and a leading "1_" code removed). */
const KNOWN: Record<string, RefusalLabel> = {
  refused: 'refused',
  refusal: 'refused',
  refuse: 'refused',
  full_refusal: 'refused',
  deflected: 'deflected',
  deflection: 'deflected',
  deflect: 'deflected',
  evasion: 'deflected',
  evaded: 'deflected',
  partial: 'deflected',
  partial_refusal: 'deflected',
  partial_compliance: 'deflected',
  complied: 'complied',
  compliance: 'complied',
  comply: 'complied',
  full_compliance: 'complied',
  answered: 'complied',
  拒绝: 'refused',
  回避: 'deflected',
  部分拒绝: 'deflected',
  回答: 'complied',
  遵从: 'complied',
};

function normalise(value: string): string {
  return value.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/^\d+_/, '');
}

/**
 * Parse `--gold-map 1_full_compliance=complied,2_full_refusal=refused,3_partial_refusal=deflected`. Keys are the
 * gold values as written in the file (compared after trimming); values must be refused, deflected or complied.
 */
export function parseGoldMap(spec: string): Map<string, RefusalLabel> {
  const map = new Map<string, RefusalLabel>();
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.lastIndexOf('=');
    const from = eq > 0 ? part.slice(0, eq).trim() : '';
    const to = eq > 0 ? part.slice(eq + 1).trim().toLowerCase() : '';
    if (from === '' || !(REFUSAL_LABELS as readonly string[]).includes(to)) {
      throw new HarnessError(`--gold-map entry "${part.trim()}" is not VALUE=${REFUSAL_LABELS.join('|')}`, {
        where: '--gold-map',
        fix: 'for example --gold-map 1_full_compliance=complied,2_full_refusal=refused,3_partial_refusal=deflected',
      });
    }
    map.set(from, to as RefusalLabel);
  }
  return map;
}

/**
 * The label a gold value stands for: the researcher's mapping first (exact value, then case-insensitive), then the
 * known spellings. Undefined when neither knows it.
 */
export function goldLabel(value: unknown, map: Map<string, RefusalLabel> = new Map()): RefusalLabel | undefined {
  if (value === null || value === undefined) return undefined;
  const raw = String(value).trim();
  if (raw === '') return undefined;
  const direct = map.get(raw);
  if (direct) return direct;
  for (const [k, v] of map) if (k.toLowerCase() === raw.toLowerCase()) return v;
  return KNOWN[normalise(raw)];
}
