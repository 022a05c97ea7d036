import { resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { toJson } from '../../results/files.ts';
import { describeRun } from '../../runner/describe-run.ts';
import { metricRows, summaryMarkdown, summaryTable, timingLine } from '../../results/summary.ts';
import { RunFolder } from '../../runner/run-folder.ts';
import type { ShowFlags } from '../commands/show.ts';

export function showAction(dir: string, flags: ShowFlags): void {
  const runDir = resolve(dir);
  const record = RunFolder.read(runDir);
  const write = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  switch (flags.format) {
    case 'json': {
      const { run_id, status, failure } = record;
      write(toJson({ run_dir: runDir, run_id, status, state: describeRun(runDir, record).state, failure, model: record.model, metrics: metricRows(record) }, 2));
      return;
    }
    case 'csv': {
      const rows = metricRows(record);
      write(stringify(rows, { header: true, columns: ['task', 'group', 'metric', 'value', 'stderr', 'ci95_low', 'ci95_high', 'n'] }));
      return;
    }
    case 'markdown': {
      const d = describeRun(runDir, record);
      write([`**${record.run_id}**: ${d.state}`, '', ...d.lines.map((l) => `- ${l}`), '', summaryMarkdown(record)].join('\n'));
      return;
    }
    default: {
      const d = describeRun(runDir, record);
      write([`${runDir}`, `  ${d.state}`, ...d.lines.map((l) => `  ${l}`), '', summaryTable(record), ...(record.timings ? ['', timingLine(record.timings)] : [])].join('\n'));
    }
  }
}
