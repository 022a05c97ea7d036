import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** transformers.js dtype names and the ONNX file suffix each one loads (`onnx/model{suffix}.onnx`). */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;

export type Dtype = keyof typeof DTYPE_SUFFIX;
export const DTYPES = Object.keys(DTYPE_SUFFIX) as Dtype[];

/** The ONNX file name a dtype loads, for a model file stem (usually `model`). */
export function onnxFileName(dtype: Dtype, stem = 'model'): string {
  return `${stem}${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** Which dtypes a local `onnx/` folder actually holds, for error messages. */
export function availableDtypes(onnxDir: string, stem = 'model'): Dtype[] {
  if (!existsSync(onnxDir)) return [];
  const files = new Set(readdirSync(onnxDir));
  return DTYPES.filter((d) => files.has(onnxFileName(d, stem)));
}

/** External-data files that belong to an ONNX file (`model.onnx_data`, `model.onnx_data_1`, ...). */
export function externalDataFiles(onnxDir: string, fileName: string): string[] {
  if (!existsSync(onnxDir)) return [];
  return readdirSync(onnxDir)
    .filter((f) => f === `${fileName}_data` || f.startsWith(`${fileName}_data_`))
    .sort()
    .map((f) => join(onnxDir, f));
}
