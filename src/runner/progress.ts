import cliProgress from 'cli-progress';

export interface Progress {
  start(task: string, total: number, done: number): void;
  update(done: number, requests: number): void;
  stop(): void;
  /** Prints a line without breaking the bar. */
  log(message: string): void;
}

/**
 * A progress bar (count, throughput, ETA) on a terminal; on a non-terminal (CI logs) a plain line every
 * `intervalMs` and at the end of each task.
 */
export function createProgress(mode: 'auto' | 'bar' | 'lines' | 'off', stream: NodeJS.WriteStream = process.stderr, intervalMs = 10_000): Progress {
  const useBar = mode === 'bar' || (mode === 'auto' && stream.isTTY === true);
  if (mode === 'off') return { start() {}, update() {}, stop() {}, log: (m) => stream.write(m + '\n') };
  if (useBar) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{task} |{bar}| {value}/{total} docs | {rate} req/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let t0 = 0;
    let active = false;
    return {
      start(task, total, done) {
        t0 = performance.now();
        bar.start(total, done, { task, rate: '0.0' });
        active = true;
      },
      update(done, requests) {
        const secs = (performance.now() - t0) / 1000;
        bar.update(done, { rate: (requests / Math.max(secs, 1e-9)).toFixed(1) });
      },
      stop() {
        if (active) bar.stop();
        active = false;
      },
      log(message) {
        if (active) {
          bar.stop();
          stream.write(message + '\n');
          active = false;
        } else stream.write(message + '\n');
      },
    };
  }
  let task = '';
  let total = 0;
  let startDone = 0;
  let t0 = 0;
  let lastPrint = 0;
  let last = { done: 0, requests: 0 };
  const line = () => {
    const secs = (performance.now() - t0) / 1000;
    const rate = last.requests / Math.max(secs, 1e-9);
    const docRate = (last.done - startDone) / Math.max(secs, 1e-9);
    const eta = docRate > 0 ? Math.round((total - last.done) / docRate) : NaN;
    stream.write(`[${task}] ${last.done}/${total} docs, ${rate.toFixed(1)} req/s, ${secs.toFixed(1)} s elapsed${Number.isFinite(eta) ? `, ETA ${eta} s` : ''}\n`);
  };
  return {
    start(name, t, done) {
      task = name;
      total = t;
      startDone = done;
      t0 = lastPrint = performance.now();
      last = { done, requests: 0 };
      stream.write(`[${task}] ${done}/${total} docs to start\n`);
    },
    update(done, requests) {
      last = { done, requests };
      if (performance.now() - lastPrint >= intervalMs) {
        lastPrint = performance.now();
        line();
      }
    },
    stop() {
      if (task) line();
      task = '';
    },
    log: (m) => stream.write(m + '\n'),
  };
}
