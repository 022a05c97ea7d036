/**
 * The project as people install it: `npm pack`, the tarball installed into an empty folder, the `harness` bin
 * run there (built JavaScript, no tsx), and a config file outside the clone that imports `defineConfig` from
 * `local-llm-harness/config`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsDir, hasShared, skipReason, stories260K } from './shared.ts';

const root = resolve(import.meta.dirname, '..');

describe('the packed package, installed elsewhere', () => {
  let dir: string;
  let bin: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-pack-'));
    execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: root, stdio: 'ignore' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // Dependencies come from the npm cache the clone's install filled (offline), scripts skipped (CPU-only).
    execFileSync('npm', ['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: 'ignore' });
    bin = join(dir, 'node_modules', '.bin', 'harness');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships built JavaScript, types, task files and JSON Schemas, and no sources or tests', () => {
    const pkg = join(dir, 'node_modules', 'local-llm-harness');
    const files = readdirSync(pkg, { recursive: true, encoding: 'utf8' });
    expect(files).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/config/index.d.ts', 'dist/sandbox/bootstrap.py', 'tasks/mmlu.yaml', 'schema/run.schema.json']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('tests/'))).toEqual([]);
  });

  it('harness --version and --help answer from the installed bin', () => {
    const v = spawnSync(bin, ['--version'], { cwd: dir, encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = spawnSync(bin, ['run', '--help'], { cwd: dir, encoding: 'utf8' });
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Model:');
  });

  it.skipIf(!hasShared)(`a harness.config.ts outside the clone imports defineConfig from local-llm-harness/config ${hasShared ? '' : skipReason}`, () => {
    writeFileSync(
      join(dir, 'harness.config.ts'),
      [
        "import { defineConfig } from 'local-llm-harness/config';",
        'export default defineConfig({',
        `  model: { id: ${JSON.stringify(stories260K)}, dtype: 'q8' },`,
        "  tasks: ['arc_easy'],",
        `  dataDir: ${JSON.stringify(datasetsDir)},`,
        '  limit: 3,',
        "  progress: 'off',",
        '});',
      ].join('\n'),
    );
    const r = spawnSync(bin, ['run'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/arc_easy\s+acc\s/);
    // A wrong field in that config is named, with the file.
    writeFileSync(join(dir, 'harness.config.ts'), "import { defineConfig } from 'local-llm-harness/config';\nexport default defineConfig({ model: { id: 'x' }, limit: 'ten' } as never);\n");
    const bad = spawnSync(bin, ['run'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/limit/);
    expect(bad.stderr).toContain(join(dir, 'harness.config.ts'));
  });
});
