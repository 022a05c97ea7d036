import { sha256 } from '../core/hash.ts';
import { toJson } from '../results/files.ts';
import type { Environment, Fingerprints, ModelFingerprint, RunRecordRead, TaskFingerprint } from '../results/schema.ts';
import type { PreparedTask } from '../tasks/kinds.ts';
import type { TaskSelection } from '../tasks/registry.ts';

/**
 * The inputs that determine a run's results, and what changed between two readings of them. run.json keeps
 * them in three places, each stored once: `fingerprints` (model and judge files, task definitions, templates,
 * data files, the sandbox), `harness` (version and code) and `environment` (onnxruntime, transformers.js, the
 * CPU's instruction set).
 */
export interface RunInputs {
  fingerprints: Fingerprints;
  harness: RunRecordRead['harness'];
  environment: Environment;
}

/** A task's fingerprint: its definition and templates hashed here, its data files' sha256 from the loader. */
export function taskFingerprint(selection: TaskSelection, prepared: PreparedTask): TaskFingerprint {
  return {
    file: selection.file,
    definition_sha256: sha256(toJson(selection.task)),
    template_sha256: sha256(toJson(prepared.templates)),
    dataset_files: prepared.documents.files,
    environment: prepared.environment,
  };
}

const short = (h: string) => h.slice(0, 12);

/** Differences between two file lists of a model. Schema 1 hashed the ONNX files only: then only those are compared. */
export function modelChanges(what: string, before: ModelFingerprint, now: ModelFingerprint): string[] {
  const weightsOnly = before.files.every((f) => f.name.startsWith('onnx/'));
  const b = new Map(before.files.map((f) => [f.name, f]));
  const n = new Map(now.files.filter((f) => !weightsOnly || f.name.startsWith('onnx/')).map((f) => [f.name, f]));
  const out: string[] = [];
  for (const name of [...new Set([...b.keys(), ...n.keys()])].sort()) {
    const x = b.get(name);
    const y = n.get(name);
    if (!y) out.push(`${what} file ${name} is gone (the run was started with it)`);
    else if (!x) out.push(`${what} file ${name} is new (the run was started without it)`);
    else if (x.sha256 !== y.sha256) out.push(`${what} file ${name} changed (sha256 ${short(x.sha256)}… → ${short(y.sha256)}…)`);
  }
  return out;
}

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function taskChanges(name: string, before: TaskFingerprint, now: TaskFingerprint | undefined): string[] {
  if (!now) return [`task ${name} is no longer part of the run`];
  const out: string[] = [];
  if (before.definition_sha256 !== null && now.definition_sha256 !== null && before.definition_sha256 !== now.definition_sha256) {
    out.push(`task ${name}: its definition changed (${now.file})`);
  }
  if (before.template_sha256 !== null && now.template_sha256 !== null && before.template_sha256 !== now.template_sha256) {
    out.push(`task ${name}: its prompt templates changed (${now.file})`);
  }
  if (before.dataset_files.length !== now.dataset_files.length) {
    out.push(`task ${name}: reads ${now.dataset_files.length} data files, the run was started with ${before.dataset_files.length}`);
  } else {
    before.dataset_files.forEach((f, i) => {
      const g = now.dataset_files[i];
      if (f.sha256 !== g.sha256) out.push(`task ${name}: data file ${g.source} changed (sha256 ${short(f.sha256)}… → ${short(g.sha256)}…, ${f.rows} → ${g.rows} rows)`);
    });
  }
  if (before.environment !== null && now.environment !== null) {
    const b = flatten(before.environment);
    const n = flatten(now.environment);
    for (const k of [...new Set([...b.keys(), ...n.keys()])].sort()) {
      if (b.get(k) !== n.get(k)) out.push(`task ${name}: ${k} ${b.get(k) ?? '(none)'} → ${n.get(k) ?? '(none)'}`);
    }
  }
  return out;
}

/**
 * Everything that differs between the inputs a run was started with and the inputs now, in words, one line per
 * difference. Values a run did not record (null: written by schema 1) are not compared. The model is left out
 * when `now.fingerprints.model` is null (a hub model not downloaded yet: compared after loading).
 */
export function inputChanges(before: RunInputs, now: { fingerprints: Omit<Fingerprints, 'model'> & { model: ModelFingerprint | null }; harness: RunInputs['harness']; environment: Environment }): string[] {
  const out: string[] = [];
  if (now.fingerprints.model) out.push(...modelChanges('model', before.fingerprints.model, now.fingerprints.model));
  if (before.fingerprints.judge && now.fingerprints.judge) out.push(...modelChanges('judge model', before.fingerprints.judge, now.fingerprints.judge));
  for (const [name, t] of Object.entries(before.fingerprints.tasks)) out.push(...taskChanges(name, t, now.fingerprints.tasks[name]));
  if (before.harness.version !== now.harness.version) out.push(`harness version ${before.harness.version} → ${now.harness.version}`);
  else if (before.harness.code_sha256 && now.harness.code_sha256 && before.harness.code_sha256 !== now.harness.code_sha256) {
    out.push(`harness code changed (sha256 ${short(before.harness.code_sha256)}… → ${short(now.harness.code_sha256)}…)`);
  }
  const be = before.environment;
  const ne = now.environment;
  if (be.onnxruntime !== ne.onnxruntime) out.push(`onnxruntime ${be.onnxruntime} → ${ne.onnxruntime}`);
  if (be.transformers_js !== ne.transformers_js) out.push(`transformers.js ${be.transformers_js} → ${ne.transformers_js}`);
  if (be.cpu_flags && ne.cpu_flags) {
    const added = ne.cpu_flags.filter((f) => !be.cpu_flags!.includes(f));
    const removed = be.cpu_flags.filter((f) => !ne.cpu_flags!.includes(f));
    if (added.length + removed.length > 0) out.push(`CPU instruction set: ${[...added.map((f) => `+${f}`), ...removed.map((f) => `-${f}`)].join(' ')} (${be.cpu} → ${ne.cpu})`);
  }
  return out;
}
