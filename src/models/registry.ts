import type { ModelBackend } from './backend.ts';

/** How a backend is asked to load a model: the config's model section (or the judge's). */
export interface BackendLoadOptions {
  id: string;
  dtype: string;
  device: string;
  batchSize: number;
  maxBatchTokens: number;
  addBosToken: boolean;
  prefixCache: boolean;
  maxLength?: number;
  threads?: number;
  /** Where hub downloads are cached. */
  cacheDir: string;
}

type BackendLoader = (opts: BackendLoadOptions) => Promise<ModelBackend>;

/**
 * Model backends by name. Each entry is imported only when used, so `harness --help` never loads
 * onnxruntime. `onnx` runs transformers.js exports locally.
 */
const BACKENDS: Record<string, () => Promise<BackendLoader>> = {
  onnx: async () => {
    const { OnnxBackend } = await import('./onnx/backend.ts');
    return (o) => OnnxBackend.load({ ...o, model: o.id, dtype: o.dtype as never });
  },
};

export const BACKEND_NAMES = Object.keys(BACKENDS);

/** Loads a model with the named backend. */
export async function loadBackend(name: string, opts: BackendLoadOptions): Promise<ModelBackend> {
  const factory = BACKENDS[name];
  if (!factory) throw new Error(`unknown model backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
  return (await factory())(opts);
}
