import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const PACKAGE_NAME = 'local-llm-harness';

let root: string | undefined;

/**
 * The folder holding this package's package.json: the clone when run from source (src/ through tsx or vitest),
 * the installed package when run from dist/. Built-in tasks (`tasks/`) and the version are found from here.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = import.meta.dirname;
  while (dir !== dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error(`package.json of ${PACKAGE_NAME} not found above ${import.meta.dirname}`);
}

/** Where hub models and datasets are cached: $HARNESS_CACHE_DIR, else ~/.cache/local-llm-harness. */
export function harnessCacheDir(): string {
  return resolve(process.env.HARNESS_CACHE_DIR ?? join(process.env.HOME ?? '.', '.cache', 'local-llm-harness'));
}

/** This package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
