import { resolve } from 'node:path';
import { classifyTranscriptFile } from '../../tasks/refusal/transcripts.ts';
import type { ClassifyRefusalsFlags } from '../commands/classify-refusals.ts';

export function classifyRefusalsAction(file: string, flags: ClassifyRefusalsFlags): void {
  const summary = classifyTranscriptFile(resolve(file), resolve(flags.output), {
    promptField: flags.promptField,
    responseField: flags.responseField,
    reasoningField: flags.reasoningField,
    languageField: flags.languageField,
    labelField: flags.labelField,
    reasoningExpected: flags.reasoningExpected,
  });
  const pct = (n: number) => (summary.rows ? ((100 * n) / summary.rows).toFixed(1) : '0.0');
  process.stdout.write(`labelled ${summary.rows} rows -> ${summary.output}\n`);
  for (const [label, n] of Object.entries(summary.counts)) process.stdout.write(`  ${label.padEnd(10)} ${String(n).padStart(6)}  ${pct(n)}%\n`);
  const flagged = Object.entries(summary.flagCounts).filter(([, n]) => n > 0);
  if (flagged.length) process.stdout.write(`  flags: ${flagged.map(([f, n]) => `${f} ${n}`).join(', ')}\n`);
}
