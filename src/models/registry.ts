import type { ModelFingerprint } from '../results/schema.ts';
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

type CheckOptions = Pick<BackendLoadOptions, 'id' | 'dtype' | 'device' | 'cacheDir'>;

type BackendLoader = (opts: BackendLoadOptions) => Promise<ModelBackend>;

interface BackendEntry {
  load: () => Promise<BackendLoader>;
  /**
   * Checks what can be checked before loading (device, files, reachability) and returns the fingerprint of the
   * files the model's results depend on (run.json `fingerprints.model`); null when they can only be known after
   * loading (a hub model not downloaded yet).
   */
  check(opts: CheckOptions): Promise<ModelFingerprint | null>;
  /** The same, from a loaded model. */
  fingerprintLoaded(model: ModelBackend): Promise<ModelFingerprint>;
}

/**
 * Model backends by name. Each loader is imported only when used, so `harness --help` never loads
 * onnxruntime. `onnx` runs transformers.js exports locally.
 */
const BACKENDS: Record<string, BackendEntry> = {
  onnx: {
    load: async () => {
      const { OnnxBackend } = await import('./onnx/backend.ts');
      return (o) => OnnxBackend.load({ ...o, model: o.id, dtype: o.dtype as never });
    },
    check: async (o) => (await import('./onnx/fingerprint.ts')).checkBeforeLoad(o.id, o.dtype as never, o.device, o.cacheDir),
    fingerprintLoaded: async (m) => (await import('./onnx/fingerprint.ts')).fingerprintFolder(m.record.path, m.record.dtype as never),
  },
};

export const BACKEND_NAMES = Object.keys(BACKENDS);

function backend(name: string): BackendEntry {
  const entry = BACKENDS[name];
  if (!entry) throw new Error(`unknown model backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
  return entry;
}

/** Loads a model with the named backend. */
export async function loadBackend(name: string, opts: BackendLoadOptions): Promise<ModelBackend> {
  return (await backend(name).load())(opts);
}

/**
 * Checks a model before it loads (device, files, reachability: their errors come before anything expensive) and
 * returns its fingerprint (null: only known once loaded; see fingerprintLoadedModel).
 */
export function checkModel(name: string, opts: CheckOptions): Promise<ModelFingerprint | null> {
  return backend(name).check(opts);
}

/** A loaded model's fingerprint. */
export function fingerprintLoadedModel(name: string, model: ModelBackend): Promise<ModelFingerprint> {
  return backend(name).fingerprintLoaded(model);
}
