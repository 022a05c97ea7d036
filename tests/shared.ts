import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Root of the read-only shared material (models, datasets); `HARNESS_SHARED_DIR` overrides `../shared`. */
export const sharedDir = resolve(process.env.HARNESS_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared'));
export const datasetsDir = resolve(sharedDir, 'datasets');
export const stories260K = resolve(sharedDir, 'models', 'stories260K');

export const hasShared = existsSync(resolve(datasetsDir, 'mmlu')) && existsSync(resolve(stories260K, 'config.json'));

/** Printed once per file that skips, so a skipped run says why. */
export const skipReason = `shared material not found at ${sharedDir} (set HARNESS_SHARED_DIR): tests that need real models and datasets are skipped`;
if (!hasShared) console.warn(`[skip] ${skipReason}`);
