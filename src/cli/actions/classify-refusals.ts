import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HarnessError } from '../../core/errors.ts';
import { parseGoldMap } from '../../tasks/refusal/agreement.ts';
import { checkLabels, formatCheckReport, reportJson, type JudgeOption } from '../../tasks/refusal/check-labels.ts';
import type { ClassifyRefusalsFlags } from '../commands/classify-refusals.ts';

/** Loads the judge model (only when asked for: it brings in onnxruntime). */
async function loadJudge(flags: ClassifyRefusalsFlags): Promise<{ judge: JudgeOption; dispose: () => Promise<void> }> {
  const [{ loadModel }, { ModelConfigSchema }, { judgeGenerator }] = await Promise.all([
    import('../../runner/run.ts'),
    import('../../config/schema.ts'),
    import('../../tasks/refusal/kind.ts'),
  ]);
  const backend = await loadModel(ModelConfigSchema.parse({ id: flags.judgeModel, ...(flags.judgeDtype ? { dtype: flags.judgeDtype } : {}), ...(flags.judgeDevice ? { device: flags.judgeDevice } : {}) }));
  return { judge: { id: flags.judgeModel!, generate: judgeGenerator(backend) }, dispose: () => backend.dispose() };
}

export async function classifyRefusalsAction(file: string, flags: ClassifyRefusalsFlags): Promise<void> {
  if (!flags.output && !flags.goldField) {
    throw new HarnessError('nothing to do: give --output to write the labelled rows, or --gold-field to check the labels against yours', {
      where: 'classify-refusals',
      fix: 'for example: harness classify-refusals chats.jsonl -o chats.labelled.jsonl',
    });
  }
  for (const [flag, value] of [
    ['--gold-map', flags.goldMap],
    ['--by', flags.by],
    ['--report', flags.report],
  ] as const) {
    if (value !== undefined && !flags.goldField) throw new HarnessError(`${flag} needs --gold-field`, { where: flag, fix: 'add --gold-field <column with your hand labels>' });
  }
  const loaded = flags.judgeModel ? await loadJudge(flags) : undefined;
  try {
    const input = resolve(file);
    const result = await checkLabels(input, {
      promptField: flags.promptField,
      responseField: flags.responseField,
      reasoningField: flags.reasoningField,
      languageField: flags.languageField,
      labelField: flags.labelField,
      reasoningExpected: flags.reasoningExpected,
      goldField: flags.goldField,
      goldMap: flags.goldMap ? parseGoldMap(flags.goldMap) : undefined,
      byField: flags.by,
      output: flags.output ? resolve(flags.output) : undefined,
      disagreements: flags.disagreements ? resolve(flags.disagreements) : undefined,
      judge: loaded?.judge,
      onRow: loaded ? (done, total) => done % 25 === 0 && process.stderr.write(`judged ${done}/${total}\n`) : undefined,
    });
    const rows = result.rows.length;
    const pct = (n: number) => (rows ? ((100 * n) / rows).toFixed(1) : '0.0');
    process.stdout.write(flags.output ? `labelled ${rows} rows -> ${resolve(flags.output)}\n` : `labelled ${rows} rows\n`);
    for (const [label, n] of Object.entries(result.counts)) process.stdout.write(`  ${label.padEnd(10)} ${String(n).padStart(6)}  ${pct(n)}%\n`);
    const flagged: Record<string, number> = {};
    for (const r of result.rows) for (const [f, on] of Object.entries(r.rules.flags)) if (on) flagged[f] = (flagged[f] ?? 0) + 1;
    if (Object.keys(flagged).length) process.stdout.write(`  flags: ${Object.entries(flagged).map(([f, n]) => `${f} ${n}`).join(', ')}\n`);
    if (result.report) {
      process.stdout.write('\n' + formatCheckReport(result.report) + '\n');
      if (flags.disagreements) process.stdout.write(`\n${result.report.disagreements} disagreeing rows -> ${resolve(flags.disagreements)}\n`);
      if (flags.report) {
        mkdirSync(dirname(resolve(flags.report)), { recursive: true });
        writeFileSync(resolve(flags.report), JSON.stringify(reportJson(result.report), null, 2) + '\n', 'utf8');
      }
    }
  } finally {
    await loaded?.dispose();
  }
}
