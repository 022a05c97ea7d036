import { basename } from 'node:path';
import type { Doc } from '../core/doc.ts';
import type { Sample } from '../core/task-kind.ts';
import type { TaskKindName } from '../core/result.ts';
import { configToRecord } from './config-record.ts';

/**
 * Reading runs written by earlier versions of the harness (`--resume` of an interrupted run). Version 1 mixed
 * camelCase into run.json (config, model, code outcomes, refusal flags), stored the seed and the load time
 * twice, used `subsets` for two things, and kept no `doc` in samples.
 */

type Json = Record<string, unknown>;

const snakeFlags = (f: Json): Json => Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

/** A run.json of any known version as the current version's object (validated by the caller). */
export function upgradeRunRecord(json: Json): Json {
  if (json.schema_version !== 1) return json;
  const { seed: _seed, model, tasks, results, config, ...rest } = json as Json & { model: Json; tasks: Record<string, Json>; results: Record<string, Json>; config: Json };
  const { id, loadSeconds: _load, modelType, contextLength, hasChatTemplate, ...modelRest } = model;
  return {
    ...rest,
    schema_version: 2,
    config: configToRecord(config as never),
    model: {
      backend: 'onnx',
      name: model.source === 'hub' ? String(id) : basename(String(model.path)),
      ...modelRest,
      model_type: modelType,
      context_length: contextLength,
      has_chat_template: hasChatTemplate,
    },
    tasks: Object.fromEntries(Object.entries(tasks).map(([k, { subsets, ...t }]) => [k, { ...t, selected_subsets: subsets ?? null }])),
    results: Object.fromEntries(Object.entries(results).map(([k, { groups, subsets, ...r }]) => [k, { ...r, by_group: groups ?? {}, by_subset: subsets ?? {} }])),
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
