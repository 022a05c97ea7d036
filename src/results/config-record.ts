import { HarnessConfigSchema, type HarnessConfig } from '../config/schema.ts';
import { zodToHarnessError } from '../core/zod-errors.ts';

/**
 * The config as run.json stores it: the same fields in snake_case (run.json has one key style). Keys of
 * `min_metrics` are data (`mmlu/acc`), not field names, and are kept as they are.
 */
const DATA_KEYED = new Set(['minMetrics', 'min_metrics']);

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function convert(value: unknown, key: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [key(k), DATA_KEYED.has(k) ? v : convert(v, key)]));
}

export function configToRecord(config: HarnessConfig): Record<string, unknown> {
  return convert(config, snake) as Record<string, unknown>;
}

/** The config fields back from run.json (validate with HarnessConfigSchema). */
export function configFromRecord(record: Record<string, unknown>): Record<string, unknown> {
  return convert(record, camel) as Record<string, unknown>;
}

/** The config a run was made with (what `--resume` reruns), validated. `where` names the run.json for errors. */
export function configOfRun(record: { config: Record<string, unknown> }, where: string): HarnessConfig {
  const parsed = HarnessConfigSchema.safeParse(configFromRecord(record.config));
  if (!parsed.success) throw zodToHarnessError(parsed.error, `${where}: config`, 'the run was written by an incompatible harness version; start a new run');
  return parsed.data;
}
