import type { ModelFingerprint, RunRecordRead } from '../results/schema.ts';

/**
 * Config fields that never change a number (where results go, how progress shows, the cache, gates, chunking,
 * which folders were searched): left out of the comparison. The model's path is compared by its files instead.
 */
const IGNORED = new Set(['output', 'progress', 'cache', 'min_metrics', 'chunk_size', 'task_dirs', 'data_dir', 'model.id']);

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value ?? null));
  }
  return out;
}

const short = (h: string) => h.slice(0, 12);

function fileDifferences(what: string, a: ModelFingerprint | null, b: ModelFingerprint | null): string[] {
  if (!a || !b) return a === b ? [] : [`${what}: in one run only`];
  const fa = new Map(a.files.map((f) => [f.name, f.sha256]));
  const fb = new Map(b.files.map((f) => [f.name, f.sha256]));
  const out: string[] = [];
  for (const name of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    const x = fa.get(name);
    const y = fb.get(name);
    if (x === y) continue;
    out.push(`${what} file ${name}: ${x ? `sha256 ${short(x)}…` : '(absent)'} → ${y ? `sha256 ${short(y)}…` : '(absent)'}`);
  }
  return out;
}

/**
 * What differs between two runs besides their samples that changes numbers, one line each as `what: base →
 * candidate`: the config (dtype, device, seed, limit, few-shot, generation, ...), the model's files, each common
 * task's definition, templates and data, the harness version and code, onnxruntime and transformers.js, the
 * CPU's instruction set; and inputs a run accepted changed on resume.
 */
export function runDifferences(a: RunRecordRead, b: RunRecordRead, tasks: string[]): string[] {
  const out: string[] = [];
  const ca = flatten(a.config);
  const cb = flatten(b.config);
  for (const k of [...new Set([...ca.keys(), ...cb.keys()])].sort()) {
    if (IGNORED.has(k) || [...IGNORED].some((i) => k.startsWith(`${i}.`))) continue;
    if (ca.get(k) !== cb.get(k)) out.push(`config ${k}: ${ca.get(k) ?? '(unset)'} → ${cb.get(k) ?? '(unset)'}`);
  }
  if (a.model.name !== b.model.name) out.push(`model: ${a.model.name} → ${b.model.name}`);
  out.push(...fileDifferences('model', a.fingerprints.model, b.fingerprints.model));
  out.push(...fileDifferences('judge model', a.fingerprints.judge, b.fingerprints.judge));
  for (const t of tasks) {
    const x = a.fingerprints.tasks[t];
    const y = b.fingerprints.tasks[t];
    if (!x || !y) continue;
    if (x.definition_sha256 && y.definition_sha256 && x.definition_sha256 !== y.definition_sha256) out.push(`task ${t}: definition differs`);
    if (x.template_sha256 && y.template_sha256 && x.template_sha256 !== y.template_sha256) out.push(`task ${t}: prompt templates differ`);
    const hx = x.dataset_files.map((f) => f.sha256).join(',');
    const hy = y.dataset_files.map((f) => f.sha256).join(',');
    if (hx !== hy) out.push(`task ${t}: data files differ (${x.dataset_files.map((f) => f.source).join(', ')})`);
    const ex = flatten(x.environment ?? {});
    const ey = flatten(y.environment ?? {});
    if (x.environment && y.environment) {
      for (const k of [...new Set([...ex.keys(), ...ey.keys()])].sort()) if (ex.get(k) !== ey.get(k)) out.push(`task ${t}: ${k}: ${ex.get(k) ?? '(none)'} → ${ey.get(k) ?? '(none)'}`);
    }
  }
  if (a.harness.version !== b.harness.version) out.push(`harness version: ${a.harness.version} → ${b.harness.version}`);
  else if (a.harness.code_sha256 && b.harness.code_sha256 && a.harness.code_sha256 !== b.harness.code_sha256) {
    out.push(`harness code: ${a.harness.git_commit?.slice(0, 10) ?? short(a.harness.code_sha256)} → ${b.harness.git_commit?.slice(0, 10) ?? short(b.harness.code_sha256)} (sha256 of the code differs)`);
  }
  for (const k of ['onnxruntime', 'transformers_js'] as const) if (a.environment[k] !== b.environment[k]) out.push(`${k}: ${a.environment[k]} → ${b.environment[k]}`);
  const fa = a.environment.cpu_flags;
  const fb = b.environment.cpu_flags;
  if (fa && fb && fa.join(' ') !== fb.join(' ')) out.push(`CPU instruction set: ${fa.join(' ')} → ${fb.join(' ')} (${a.environment.cpu} → ${b.environment.cpu})`);
  else if (a.environment.cpu !== b.environment.cpu) out.push(`CPU: ${a.environment.cpu} → ${b.environment.cpu}`);
  for (const [who, r] of [['base', a], ['candidate', b]] as const) {
    const accepted = r.sessions.flatMap((s) => s.accepted_changes);
    if (accepted.length > 0) out.push(`${who} run mixes inputs (resumed with --allow-changes): ${accepted.join('; ')}`);
    if (r.status !== 'complete') out.push(`${who} run is ${r.status}, not complete`);
  }
  return out;
}
