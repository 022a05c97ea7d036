/**
 * Makes a Qwen2.5-shaped ONNX model with seeded random weights (see scripts/qwen-model/build.ts).
 *
 *   npx tsx scripts/make-qwen-model.ts --preset tiny|0.5b --out DIR [--dtypes fp32,q8,q4] [--seed N]
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { buildQwenModel, DEFAULT_SEED, QWEN_DTYPES, type QwenDtype } from './qwen-model/build.ts';
import { isPreset, PRESET_NAMES } from './qwen-model/presets.ts';

const USAGE = `usage: npx tsx scripts/make-qwen-model.ts --preset ${PRESET_NAMES.join('|')} --out DIR [--dtypes ${QWEN_DTYPES.join(',')}] [--seed N]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        preset: { type: 'string' },
        out: { type: 'string' },
        dtypes: { type: 'string', default: QWEN_DTYPES.join(',') },
        seed: { type: 'string', default: String(DEFAULT_SEED) },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.preset || !isPreset(values.preset)) fail(`--preset must be one of ${PRESET_NAMES.join(', ')}`);
  if (!values.out) fail('--out is required');
  const dtypes = values.dtypes.split(',').map((d) => d.trim()).filter(Boolean);
  const bad = dtypes.filter((d) => !(QWEN_DTYPES as readonly string[]).includes(d));
  if (bad.length || !dtypes.length) fail(`--dtypes: unknown ${bad.join(', ') || '(none given)'}; choose from ${QWEN_DTYPES.join(', ')}`);
  if (!/^\d+$/.test(values.seed) || Number(values.seed) > 0xffffffff) fail('--seed must be an integer in [0, 4294967295]');

  const result = await buildQwenModel({
    preset: values.preset,
    outDir: resolve(values.out),
    dtypes: dtypes as QwenDtype[],
    seed: Number(values.seed),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  for (const f of result.files) process.stdout.write(`${f.sha256}  ${f.bytes.toString().padStart(13)}  ${f.path}\n`);
  const t = result.times.total;
  process.stdout.write(`built ${result.dir} (preset ${result.preset}, seed ${result.seed}, generator ${result.generator}) in ${t.wallSeconds.toFixed(1)} s wall, ${t.cpuSeconds.toFixed(1)} s CPU\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
