/**
 * A Qwen2.5-shaped model folder (random weights, real Qwen tokenizer and chat template; see
 * scripts/qwen-model/build.ts) for tests that need a 151,936-token vocabulary or Qwen's ChatML.
 *
 *   const dir = await qwenFixture();          // tiny: 2 layers, hidden 64; fp32, q8 and q4; about 2 s to build
 *   await AutoModelForCausalLM.from_pretrained(basename(dir), ...)   // with env.localModelPath = dirname(dir)
 *
 * Built once into node_modules/.cache/local-llm-harness/qwen-<preset>[-s<seed>]-<generator hash>/ and reused while
 * the generator is unchanged. The build goes to a temporary sibling folder that is renamed into place with its
 * `.complete` marker written last, so a killed build is never taken for a finished one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildQwenModel, DEFAULT_SEED, generatorHash, type BuildResult } from '../../scripts/qwen-model/build.ts';
import type { PresetName } from '../../scripts/qwen-model/presets.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
export const FIXTURE_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'local-llm-harness');
export const COMPLETE_MARKER = '.complete';

const pending = new Map<string, Promise<string>>();

function fixturePrefix(preset: PresetName, seed: number): string {
  return `qwen-${preset}${seed === DEFAULT_SEED ? '' : `-s${seed}`}-`;
}

export function qwenFixtureDir(preset: PresetName = 'tiny', seed = DEFAULT_SEED): string {
  return join(FIXTURE_CACHE_DIR, `${fixturePrefix(preset, seed)}${generatorHash()}`);
}

function isComplete(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARKER));
}

/** The build record of a finished fixture folder (files with sizes and sha256, build times). */
export function fixtureManifest(dir: string): BuildResult {
  return JSON.parse(readFileSync(join(dir, COMPLETE_MARKER), 'utf8')) as BuildResult;
}

async function build(preset: PresetName, seed: number): Promise<string> {
  const dir = qwenFixtureDir(preset, seed);
  if (isComplete(dir)) return dir;
  mkdirSync(FIXTURE_CACHE_DIR, { recursive: true });
  // Builds of an older generator are dead weight (the 0.5b one is 3 GB); a folder without the marker is a killed
  // or failed build.
  const prefix = fixturePrefix(preset, seed);
  for (const f of readdirSync(FIXTURE_CACHE_DIR)) {
    if (f.startsWith(prefix) && /^[0-9a-f]{16}$/.test(f.slice(prefix.length))) rmSync(join(FIXTURE_CACHE_DIR, f), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    const result = await buildQwenModel({ preset, outDir: tmp, seed });
    writeFileSync(join(tmp, COMPLETE_MARKER), `${JSON.stringify({ ...result, dir }, null, 2)}\n`);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process finished the same build first: use its folder.
      if (!isComplete(dir)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** The folder of a built Qwen-shaped model (all of fp32, q8 and q4), building it on first use. */
export function qwenFixture(preset: PresetName = 'tiny', opts: { seed?: number } = {}): Promise<string> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const key = `${preset}:${seed}`;
  let p = pending.get(key);
  if (!p) {
    p = build(preset, seed);
    pending.set(key, p);
    p.catch(() => pending.delete(key));
  }
  return p;
}
