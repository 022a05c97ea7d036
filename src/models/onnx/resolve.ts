import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { HarnessError, ExitCode } from '../../core/errors.ts';
import { availableDtypes, onnxFileName, type Dtype, DTYPES } from './dtypes.ts';

export interface ResolvedModel {
  id: string;
  source: 'local' | 'hub';
  /** Absolute folder for a local model; for a hub id, the id itself. */
  location: string;
  onnxFile: string;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** True when `spec` names a local path (relative to `cwd`) rather than a hub id. */
export function looksLocal(spec: string, cwd = process.cwd()): boolean {
  return isAbsolute(spec) || spec.startsWith('.') || existsSync(resolve(cwd, spec)) || !HUB_ID.test(spec);
}

/** Validates a local model folder in the transformers.js layout for the chosen dtype. */
export function resolveLocalModel(spec: string, dtype: Dtype): ResolvedModel {
  const dir = resolve(spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new HarnessError(`model folder not found: ${dir}`, {
      where: '--model / config.model.id',
      fix: 'pass a folder in the transformers.js layout (config.json, tokenizer.json, onnx/model*.onnx) or a hub id such as onnx-community/Qwen2.5-0.5B-Instruct',
    });
  }
  for (const required of ['config.json', 'tokenizer.json']) {
    if (!existsSync(resolve(dir, required))) {
      throw new HarnessError(`model folder ${dir} has no ${required}`, {
        where: resolve(dir, required),
        fix: 'export the model with its tokenizer in the transformers.js layout (for example with optimum-cli export onnx, or copy it from an onnx-community repository)',
      });
    }
  }
  if (!DTYPES.includes(dtype)) {
    throw new HarnessError(`unknown dtype "${dtype}"`, { where: '--dtype', fix: `use one of: ${DTYPES.join(', ')}` });
  }
  const onnxDir = resolve(dir, 'onnx');
  const file = resolve(onnxDir, onnxFileName(dtype));
  if (!existsSync(file)) {
    const have = availableDtypes(onnxDir);
    throw new HarnessError(`model folder ${dir} has no ONNX file for dtype ${dtype} (expected onnx/${onnxFileName(dtype)})`, {
      where: file,
      fix: have.length > 0 ? `use --dtype ${have.join(' or --dtype ')} (the dtypes this folder holds)` : `the folder has no onnx/model*.onnx file at all; export the model to ONNX first`,
    });
  }
  return { id: spec, source: 'local', location: dir, onnxFile: file };
}

/**
 * Resolves `--model`: a local folder, or a hub id that transformers.js downloads (into its cache) when online.
 * Offline (HF_HUB_OFFLINE=1, or the hub unreachable within a few seconds) a hub id fails at once with the fix.
 */
export async function resolveModel(spec: string, dtype: Dtype, opts: { hubTimeoutMs?: number } = {}): Promise<ResolvedModel> {
  if (looksLocal(spec)) return resolveLocalModel(spec, dtype);
  const offlineFix = `download it elsewhere (for example: git clone https://huggingface.co/${spec}) and pass the folder: --model ./models/${spec.split('/')[1]}`;
  if (process.env.HF_HUB_OFFLINE === '1' || process.env.HARNESS_OFFLINE === '1') {
    throw new HarnessError(`"${spec}" is a hub id, and the hub is switched off (HF_HUB_OFFLINE/HARNESS_OFFLINE)`, {
      where: '--model',
      fix: offlineFix,
      exitCode: ExitCode.environment,
    });
  }
  const host = process.env.HF_ENDPOINT ?? 'https://huggingface.co';
  const url = `${host}/api/models/${spec}`;
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(opts.hubTimeoutMs ?? 5000) });
    if (res.status === 404 || res.status === 401) {
      throw new HarnessError(`model "${spec}" was not found on the hub (HTTP ${res.status})`, {
        where: '--model',
        fix: 'check the id (for example onnx-community/Qwen2.5-0.5B-Instruct), or pass a local folder',
      });
    }
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError(`"${spec}" looks like a hub id, but the hub (${host}) cannot be reached: ${(err as Error).message}`, {
      where: '--model',
      fix: offlineFix,
      exitCode: ExitCode.environment,
      cause: err,
    });
  }
  return { id: spec, source: 'hub', location: spec, onnxFile: `onnx/${onnxFileName(dtype)}` };
}
