import { lockHolder } from './lock.ts';
import type { RunRecord } from '../results/schema.ts';

/**
 * A run's state and main facts in words, for `harness show` and the report: whether a process is still at work
 * on it (its lock), or it was killed, stopped or failed and how to finish it.
 */
export function describeRun(runDir: string, record: RunRecord): { state: string; lines: string[] } {
  const holder = record.status === 'running' ? lockHolder(runDir) : null;
  const resume = `finish it with: harness run --resume ${runDir}`;
  const state =
    record.status === 'complete'
      ? `complete (${record.finished_at})`
      : record.status === 'failed'
        ? `failed: ${record.failure?.message ?? 'unknown reason'} (exit code ${record.failure?.exit_code ?? '?'}); ${resume}`
        : record.status === 'interrupted'
          ? `interrupted; ${resume}`
          : holder
            ? `running (process ${holder.pid} on ${holder.host})`
            : `stopped while running (its process is gone); ${resume}`;
  const m = record.model;
  const sessions = record.sessions ?? [];
  const lines = [
    `model ${m.name} (${m.dtype}, ${m.device}), harness ${record.harness.version}`,
    `tasks ${Object.keys(record.fingerprints?.tasks ?? record.tasks).join(', ')}`,
    `started ${record.started_at}, ${sessions.length} session${sessions.length === 1 ? '' : 's'}`,
  ];
  if (record.failure?.where) lines.push(`where: ${record.failure.where}`);
  if (record.failure?.fix) lines.push(`fix: ${record.failure.fix}`);
  const accepted = sessions.flatMap((s) => s.accepted_changes ?? []);
  if (accepted.length > 0) lines.push(`resumed with changed inputs (--allow-changes): ${accepted.join('; ')}`);
  return { state, lines };
}
