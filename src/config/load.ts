import { existsSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../core/errors.ts';
import { zodToHarnessError } from '../core/zod-errors.ts';
import { looksLocal } from '../models/onnx/resolve.ts';
import { HarnessConfigSchema, type HarnessConfig, type HarnessConfigInput } from './schema.ts';

/** Config files looked for in the working folder, in this order, when --config is not given. */
export const DEFAULT_CONFIG_FILES = ['harness.config.ts', 'harness.config.mts', 'harness.config.js', 'harness.config.mjs'];

/** A partial config from command-line flags; nested model fields are merged over the file's. */
export type ConfigOverrides = Omit<Partial<HarnessConfigInput>, 'model'> & { model?: Partial<HarnessConfigInput['model']> };

/**
 * Loads `harness.config.ts` (or `--config FILE`): its default export, made with defineConfig. JavaScript
 * configs are imported as they are; TypeScript ones through tsx, loaded only then.
 */
export async function loadConfigFile(path: string | undefined, cwd = process.cwd()): Promise<{ file: string | null; config: Partial<HarnessConfigInput> }> {
  const file = path ? resolve(cwd, path) : DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (!file || !existsSync(file)) {
    if (path) throw new HarnessError(`config file not found: ${file}`, { where: '--config', fix: 'pass an existing file, or leave --config out to use ./harness.config.ts' });
    return { file: null, config: {} };
  }
  let mod: { default?: unknown };
  try {
    if (['.ts', '.mts', '.cts'].includes(extname(file))) {
      // tsImport loads the file as ESM TypeScript wherever it lives (no package.json "type" needed).
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
    } else {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    }
  } catch (err) {
    throw new HarnessError(`config file could not be loaded: ${(err as Error).message}`, { where: file, fix: 'fix the error in the config file (and check that local-llm-harness is installed where it imports it from)' });
  }
  // A file loaded as CommonJS (no "type": "module" nearby) wraps the default export once more.
  const inner = (mod.default as { default?: unknown } | undefined)?.default;
  if (inner !== undefined && Object.keys(mod.default as object).every((k) => k === 'default' || k === '__esModule')) mod = { default: inner };
  if (mod.default === undefined || typeof mod.default !== 'object' || mod.default === null) {
    throw new HarnessError('config file has no default export object', { where: file, fix: "write: export default defineConfig({ model: { id: ... }, tasks: [...] }) with defineConfig from 'local-llm-harness/config'" });
  }
  return { file, config: mod.default as Partial<HarnessConfigInput> };
}

/**
 * Every filesystem path of a config made absolute against `base`, so that run.json records paths one way and
 * `--resume` works from any folder. Hub ids stay ids.
 */
function absolutePaths(config: Record<string, unknown>, base: string): Record<string, unknown> {
  const abs = (p: unknown) => (typeof p === 'string' && p !== '' && !isAbsolute(p) ? resolve(base, p) : p);
  const model = (m: unknown) => (m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'string' && looksLocal((m as { id: string }).id, base) ? { ...m, id: abs((m as { id: string }).id) } : m);
  const out: Record<string, unknown> = { ...config, model: model(config.model) };
  for (const k of ['dataDir', 'output', 'cache'] as const) if (out[k] !== undefined) out[k] = abs(out[k]);
  if (Array.isArray(out.taskDirs)) out.taskDirs = out.taskDirs.map(abs);
  if (out.probes && typeof out.probes === 'object') {
    const probes = out.probes as { file?: unknown; controlFile?: unknown };
    out.probes = { ...probes, file: abs(probes.file), ...(probes.controlFile !== undefined ? { controlFile: abs(probes.controlFile) } : {}) };
  }
  if (out.judge !== undefined) out.judge = model(out.judge);
  return out;
}

/**
 * Flags over file over defaults, validated; paths are made absolute against the working folder (as they were
 * always resolved). A wrong type names the field and the source.
 */
export function resolveConfig(fileConfig: Partial<HarnessConfigInput>, overrides: ConfigOverrides, where: string, cwd = process.cwd()): HarnessConfig {
  const merged: Record<string, unknown> = { ...fileConfig };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined && k !== 'model') merged[k] = v;
  const model = { ...(fileConfig.model ?? {}), ...Object.fromEntries(Object.entries(overrides.model ?? {}).filter(([, v]) => v !== undefined)) };
  merged.model = model;
  if (!model.id) {
    throw new HarnessError('no model given', { where, fix: 'pass --model <folder or hub id>, or set model.id in harness.config.ts' });
  }
  const r = HarnessConfigSchema.safeParse(merged);
  if (!r.success) throw zodToHarnessError(r.error, `config (${where})`, 'fix the field named above; see README "Configuration"');
  return absolutePaths(r.data as unknown as Record<string, unknown>, cwd) as unknown as HarnessConfig;
}
