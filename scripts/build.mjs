// `npm run build` (also run by `npm install` in a clone, through `prepare`): compiles src/ to dist/ from scratch
// and copies the files under src/ that are read at run time but are not TypeScript (the sandbox's Python launcher, the ONNX schema).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const src = join(root, 'src');
for (const f of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py') || f.endsWith('.proto'))) cpSync(join(src, f), join(root, 'dist', f));
