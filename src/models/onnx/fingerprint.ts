import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { sha256File } from '../../core/hash.ts';
import type { ModelFingerprint } from '../../results/schema.ts';
import { externalDataFiles, onnxFileName, type Dtype } from './dtypes.ts';
import { assertDeviceAvailable } from './devices.ts';
import { looksLocal, resolveLocalModel, resolveModel } from './resolve.ts';

/**
 * Files besides the weights that transformers.js reads and that change what the model computes or how text is
 * tokenized and templated. Those the folder holds are fingerprinted.
 */
const MODEL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'chat_template.json'];

/** sha256 of a model folder's files for a dtype: the ONNX file and its external data, config and tokenizer files. */
export async function fingerprintFolder(folder: string, dtype: Dtype): Promise<ModelFingerprint> {
  const onnx = join(folder, 'onnx', onnxFileName(dtype));
  const paths = [...MODEL_FILES.map((f) => join(folder, f)), onnx, ...externalDataFiles(dirname(onnx), basename(onnx))].filter((f) => existsSync(f));
  const files = await Promise.all(paths.map(async (f) => ({ name: relative(folder, f), bytes: statSync(f).size, sha256: await sha256File(f) })));
  return { files };
}

/**
 * Checks, before anything expensive, that a model can be loaded as asked (the device exists; a local folder has
 * the files and the dtype; a hub id is reachable unless already downloaded), and returns its fingerprint: a
 * local folder's files, or a hub model's in the download cache. null: a hub model not downloaded yet
 * (fingerprinted from its cache folder once it has loaded).
 */
export async function checkBeforeLoad(id: string, dtype: Dtype, device: string, cacheDir: string): Promise<ModelFingerprint | null> {
  assertDeviceAvailable(device);
  if (looksLocal(id)) return fingerprintFolder(resolveLocalModel(id, dtype).location, dtype);
  const cached = join(cacheDir, id);
  if (existsSync(join(cached, 'onnx', onnxFileName(dtype)))) return fingerprintFolder(cached, dtype);
  await resolveModel(id, dtype);
  return null;
}
