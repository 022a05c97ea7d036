import { resolve } from 'node:path';
import { ModelConfigSchema, type ModelConfig } from '../config/schema.ts';
import type { ModelBackend } from '../models/backend.ts';
import { fingerprintLoadedModel, loadBackend } from '../models/registry.ts';
import type { ModelFingerprint } from '../results/schema.ts';
import type { RunPlan } from './plan.ts';
import { modelCacheDir } from './plan.ts';
import { CachedBackend, modelCacheKey, RequestCache } from './request-cache.ts';

/** Loads a model as a config's model section describes it (the evaluated model, or the judge). */
export async function loadModel(model: ModelConfig): Promise<ModelBackend> {
  return loadBackend('onnx', { ...model, cacheDir: modelCacheDir() });
}

/** The models of a run, loaded, with their fingerprints (taken after loading where they could not be before). */
export interface RunModels {
  /** The evaluated model, behind the request cache when the config has one. */
  model: ModelBackend;
  judge?: { backend: ModelBackend; id: string };
  fingerprints: { model: ModelFingerprint; judge: ModelFingerprint | null };
  /** Releases what was loaded here (an injected model is left to its owner). */
  dispose(): Promise<void>;
}

/** Loads the evaluated model (unless injected) and the judge (refusal tasks with config.judge). */
export async function loadRunModels(plan: RunPlan, injected?: ModelBackend): Promise<RunModels> {
  const { config } = plan;
  const loaded = injected ?? (await loadModel(config.model));
  let judge: RunModels['judge'];
  try {
    // The judge loads with its own settings (defaults for what its section leaves out), not the evaluated model's.
    if (plan.needsJudge) judge = { backend: await loadModel(ModelConfigSchema.parse(config.judge)), id: config.judge!.id };
    const modelFp = plan.inputs.fingerprints.model ?? (await fingerprintLoadedModel('onnx', loaded));
    const judgeFp = judge ? (plan.inputs.fingerprints.judge ?? (await fingerprintLoadedModel('onnx', judge.backend))) : null;
    const model = config.cache
      ? new CachedBackend(loaded, new RequestCache(resolve(config.cache), modelCacheKey(loaded, modelFp, { addBosToken: config.model.addBosToken, maxLength: loaded.maxLength })))
      : loaded;
    let disposed = false;
    return {
      model,
      judge,
      fingerprints: { model: modelFp, judge: judgeFp },
      async dispose() {
        if (disposed) return;
        disposed = true;
        if (!injected) await loaded.dispose();
        await judge?.backend.dispose();
      },
    };
  } catch (err) {
    if (!injected) await loaded.dispose();
    await judge?.backend.dispose();
    throw err;
  }
}
