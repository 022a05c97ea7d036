import { readdirSync, readFileSync } from 'node:fs';

/**
 * The one walker of /proc: which processes a program has (to cap, sweep and blame them), and how long a process
 * has waited for a CPU (to charge a program only for time it could run). Linux only; elsewhere it sees nothing.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Real uid. */
  uid: number;
  /** One letter: R, S, D, Z (zombie), X (dead), ... */
  state: string;
  /** Threads (RLIMIT_NPROC counts them). */
  threads: number;
  /** Executable name (`python3`, `bwrap`). */
  name: string;
}

/** Every process visible in /proc, from /proc/<pid>/status. */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const e of entries) {
    if (e.charCodeAt(0) < 48 || e.charCodeAt(0) > 57) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${e}/status`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    const field = (name: string) => new RegExp(`(?:^|\\n)${name}:\\s+([^\\n]*)`).exec(status)?.[1] ?? '';
    out.push({
      pid: Number(e),
      ppid: Number(field('PPid')) || 0,
      uid: Number(field('Uid').split(/\s+/)[0]),
      state: field('State').charAt(0),
      threads: Number(field('Threads')) || 1,
      name: field('Name'),
    });
  }
  return out;
}

const live = (p: ProcessInfo) => p.state !== 'Z' && p.state !== 'X';

/** Processes of one uid: the live ones, their threads, and zombies (which still count against RLIMIT_NPROC). */
export function processesOfUid(uid: number, all = listProcesses()): { live: ProcessInfo[]; tasks: number; zombies: number } {
  const mine = all.filter((p) => p.uid === uid);
  const alive = mine.filter(live);
  return { live: alive, tasks: alive.reduce((n, p) => n + p.threads, 0), zombies: mine.length - alive.length };
}

/** Live processes in the tree under `root` (root included). */
export function processTree(root: number, all = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all.filter(live)) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcessInfo[] = [];
  const self = all.find((p) => p.pid === root && live(p));
  const queue = self ? [self] : [];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    out.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/**
 * Seconds a process has spent runnable but waiting for a CPU (`run_delay` of /proc/<pid>/schedstat); null where
 * the kernel does not say.
 */
export function runQueueWaitSeconds(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/schedstat`, 'latin1').trim().split(/\s+/);
    const ns = Number(f[1]);
    return Number.isFinite(ns) ? ns / 1e9 : null;
  } catch {
    return null;
  }
}
