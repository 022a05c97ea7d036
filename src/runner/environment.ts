import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType, availableParallelism } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256 } from '../core/hash.ts';
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

let codeHash: string | undefined;

/**
 * sha256 of the harness's own code as it runs: every source file under the folder this module was loaded from
 * (`dist/` when installed or run through `harness`, `src/` under vitest or tsx), by relative path and content.
 * Any change to the code a run executes changes it; declarations and source maps are left out.
 */
export function harnessCodeSha256(): string {
  if (codeHash) return codeHash;
  const root = dirname(import.meta.dirname);
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js|mjs|py)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  return (codeHash = sha256(files.map((f) => `${f.split('\\').join('/')}\u0000${sha256(readFileSync(join(root, f)))}\n`).join('')));
}

export function harnessVersion(): { version: string; git_commit: string | null; code_sha256: string } {
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    commit = null;
  }
  return { version, git_commit: commit, code_sha256: harnessCodeSha256() };
}

/** Instruction-set extensions that change which kernels onnxruntime runs (and so, sometimes, the last digits). */
const KERNEL_FLAGS = new Set([
  'sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'avx512_vnni', 'avx_vnni',
  'avx512_bf16', 'avx512_fp16', 'amx_tile', 'amx_int8', 'amx_bf16',
  'asimd', 'asimddp', 'asimdhp', 'fphp', 'sve', 'sve2', 'i8mm', 'bf16',
]);

/** The CPU's kernel-relevant instruction-set extensions (Linux: /proc/cpuinfo), sorted; null where unknown. */
export function cpuFlags(): string[] | null {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
    if (!line) return null;
    return [...new Set(line.split(':')[1].trim().split(/\s+/).filter((f) => KERNEL_FLAGS.has(f)))].sort();
  } catch {
    return null;
  }
}

/** This machine's name, for the sessions of a run and its lock. */
export function hostName(): string {
  return hostname();
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
    cpu_flags: cpuFlags(),
  };
}

/** Peak resident memory of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
