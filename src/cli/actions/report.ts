import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadRun } from '../../compare/compare.ts';
import { buildReport } from '../../report/report.ts';
import type { ReportFlags } from '../commands/report.ts';

export function reportAction(dirs: string[], flags: ReportFlags): void {
  const runs = dirs.map((d) => loadRun(resolve(d)));
  const html = buildReport(runs, { title: flags.title, maxDocuments: flags.maxDocuments });
  const file = resolve(flags.output);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  process.stdout.write(`report: ${file} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, ${runs.length} run${runs.length === 1 ? '' : 's'})\n`);
}
