import { basename } from 'node:path';
import type { Doc } from '../core/doc.ts';
import type { Sample } from '../core/task-kind.ts';
import type { TaskKindName } from '../core/result.ts';
import { configToRecord } from './config-record.ts';

/**
 * Reading runs written by earlier versions of the harness (`--resume` of an interrupted run). Version 1 mixed
 * camelCase into run.json (config, model, code outcomes, refusal flags), stored the seed and the load time
 * twice, used `subsets` for two things, and kept no `doc` in samples. It kept the hashes of the model's ONNX
 * files and of the data files in the model and task records (now `fingerprints`), hashes of definitions and
 * templates computed differently (not carried over: null, not compared), and the timings of its last session
 * only (carried over as one session).
 */

type Json = Record<string, unknown>;

const snakeFlags = (f: Json): Json => Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

/** A run.json of any known version as the current version's object (validated by the caller). */
export function upgradeRunRecord(json: Json): Json {
  if (json.schema_version !== 1) return json;
  const { seed: _seed, resumed: _resumed, model, tasks, results, config, harness, environment, timings, ...rest } = json as Json & {
    model: Json;
    tasks: Record<string, Json>;
    results: Record<string, Json>;
    config: Json;
    harness: Json;
    environment: Json;
    timings: Json | null;
  };
  const { id, loadSeconds: _load, modelType, contextLength, hasChatTemplate, files, ...modelRest } = model;
  const v2Timings = timings
    ? {
        ...timings,
        prefill_seconds: timings.prefill_tokens_per_second ? Number(timings.prefill_tokens) / Number(timings.prefill_tokens_per_second) : 0,
        decode_seconds: timings.decode_tokens_per_second ? Number(timings.generated_tokens) / Number(timings.decode_tokens_per_second) : 0,
      }
    : null;
  const complete = json.status === 'complete';
  return {
    ...rest,
    schema_version: 2,
    failure: null,
    harness: { ...harness, code_sha256: null },
    config: configToRecord(config as never),
    fingerprints: {
      model: { files },
      judge: null,
      tasks: Object.fromEntries(
        Object.entries(tasks).map(([k, t]) => [k, { file: t.file, definition_sha256: null, template_sha256: null, dataset_files: t.dataset_files, environment: null }]),
      ),
    },
    model: {
      backend: 'onnx',
      name: model.source === 'hub' ? String(id) : basename(String(model.path)),
      ...modelRest,
      model_type: modelType,
      context_length: contextLength,
      has_chat_template: hasChatTemplate,
    },
    tasks: Object.fromEntries(
      Object.entries(tasks).map(([k, { subsets, file: _f, template_hash: _t, definition_hash: _d, dataset_files: _df, ...t }]) => [k, { ...t, selected_subsets: subsets ?? null }]),
    ),
    environment: { ...environment, cpu_flags: null },
    results: Object.fromEntries(Object.entries(results).map(([k, { groups, subsets, ...r }]) => [k, { ...r, by_group: groups ?? {}, by_subset: subsets ?? {} }])),
    sessions: v2Timings
      ? [
          {
            started_at: json.started_at,
            finished_at: complete ? json.finished_at : null,
            ended: complete ? 'complete' : 'interrupted',
            host: null,
            pid: null,
            documents: 0,
            accepted_changes: [],
            timings: v2Timings,
            request_cache: null,
          },
        ]
      : [],
    timings: v2Timings,
    request_cache: json.request_cache ?? null,
  };
}

/**
 * A sample line of any known version in the current format; the same object when nothing changes. `doc` is
 * the document the sample is of (version 1 samples did not keep its fields).
 */
export function upgradeSample(kind: TaskKindName, sample: Sample, doc: Doc): Sample {
  if (sample.doc !== undefined) return sample;
  const s: Sample = { ...sample, doc: doc.fields };
  if (kind === 'code' && Array.isArray(s.attempts)) {
    s.attempts = (s.attempts as Json[]).map(({ outcome, ...a }) => {
      const { durationSeconds, ...o } = outcome as Json;
      return { ...a, outcome: { ...o, duration_seconds: durationSeconds } };
    });
  }
  if (kind === 'refusal' && Array.isArray(s.responses)) {
    s.responses = (s.responses as Json[]).map((r) => ({ ...r, flags: snakeFlags(r.flags as Json) }));
  }
  return s;
}
