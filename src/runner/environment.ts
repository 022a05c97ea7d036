import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType, availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Environment } from '../results/schema.ts';
import { packageRoot } from '../core/paths.ts';

const require = createRequire(import.meta.url);

/** A dependency's version from its package.json, found above its entry point (some `exports` maps hide it). */
function packageVersion(name: string): string {
  try {
    let dir = dirname(require.resolve(name));
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
        if (pkg.name === name) return pkg.version;
      }
      dir = dirname(dir);
    }
  } catch {
    /* not installed */
  }
  return 'unknown';
}

export function harnessVersion(): { version: string; git_commit: string | null } {
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    commit = null;
  }
  return { version, git_commit: commit };
}

export function environment(): Environment {
  return {
    os: `${osType()} ${release()} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memory_bytes: totalmem(),
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    transformers_js: packageVersion('@huggingface/transformers'),
  };
}

/** Peak resident memory of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
