import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { HarnessError } from '../util/errors.ts';
import { zodToHarnessError } from '../util/zod-errors.ts';
import { HarnessConfigSchema, type HarnessConfig, type HarnessConfigInput } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'harness.config.ts';

/** A partial config from command-line flags; nested model fields are merged over the file's. */
export type ConfigOverrides = Omit<Partial<HarnessConfigInput>, 'model'> & { model?: Partial<HarnessConfigInput['model']> };

/** Loads `harness.config.ts` (or `--config FILE`): its default export, made with defineConfig. */
export async function loadConfigFile(path: string | undefined, cwd = process.cwd()): Promise<{ file: string | null; config: Partial<HarnessConfigInput> }> {
  const file = path ? resolve(cwd, path) : resolve(cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path) throw new HarnessError(`config file not found: ${file}`, { where: '--config', fix: 'pass an existing file, or leave --config out to use ./harness.config.ts' });
    return { file: null, config: {} };
  }
  let mod: { default?: unknown };
  try {
    // tsImport loads the file as ESM TypeScript wherever it lives (no package.json "type" needed).
    mod = (await tsImport(file, import.meta.url)) as { default?: unknown };
  } catch (err) {
    throw new HarnessError(`config file could not be loaded: ${(err as Error).message}`, { where: file, fix: 'fix the TypeScript error in the config file' });
  }
  // A file loaded as CommonJS (no "type": "module" nearby) wraps the default export once more.
  const inner = (mod.default as { default?: unknown } | undefined)?.default;
  if (inner !== undefined && Object.keys(mod.default as object).every((k) => k === 'default' || k === '__esModule')) mod = { default: inner };
  if (mod.default === undefined || typeof mod.default !== 'object' || mod.default === null) {
    throw new HarnessError('config file has no default export object', { where: file, fix: 'write: export default defineConfig({ model: { id: ... }, tasks: [...] })' });
  }
  return { file, config: mod.default as Partial<HarnessConfigInput> };
}

/** Flags over file over defaults, validated: a wrong type names the field and the source. */
export function resolveConfig(fileConfig: Partial<HarnessConfigInput>, overrides: ConfigOverrides, where: string): HarnessConfig {
  const merged: Record<string, unknown> = { ...fileConfig };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined && k !== 'model') merged[k] = v;
  const model = { ...(fileConfig.model ?? {}), ...Object.fromEntries(Object.entries(overrides.model ?? {}).filter(([, v]) => v !== undefined)) };
  merged.model = model;
  if (!model.id) {
    throw new HarnessError('no model given', { where, fix: 'pass --model <folder or hub id>, or set model.id in harness.config.ts' });
  }
  const r = HarnessConfigSchema.safeParse(merged);
  if (!r.success) throw zodToHarnessError(r.error, `config (${where})`, 'fix the field named above; see README "Configuration"');
  return r.data;
}
