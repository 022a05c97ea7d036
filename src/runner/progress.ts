import cliProgress from 'cli-progress';

export interface ProgressStartOptions {
  /** Tokens generated so far (finished and still in flight), for generated tokens/s and a token-based ETA. */
  tokens?: () => number;
}

export interface Progress {
  start(task: string, total: number, done: number, opts?: ProgressStartOptions): void;
  update(done: number, requests: number): void;
  stop(): void;
  /** Prints a line without breaking the bar. */
  log(message: string): void;
}

/**
 * Throughput and ETA of one task. Documents of a generative task cost what they generate, so once tokens flow the
 * ETA is the tokens still to come (documents left x tokens per finished document) over the generated tokens per
 * second, both measured since the task started; otherwise documents left over documents per second.
 */
export class ProgressMeter {
  private readonly t0 = performance.now();
  private readonly tokens0: number;
  private done: number;
  private requests = 0;
  /** Tokens when `done` documents had finished. */
  private tokensAtDone: number;

  constructor(
    readonly total: number,
    private readonly startDone: number,
    private readonly tokens: () => number = () => 0,
  ) {
    this.done = startDone;
    this.tokens0 = this.tokens();
    this.tokensAtDone = this.tokens0;
  }

  update(done: number, requests: number): void {
    this.done = done;
    this.requests = requests;
    this.tokensAtDone = this.tokens();
  }

  snapshot(now = performance.now()): { done: number; seconds: number; requestsPerSecond: number; tokensPerSecond: number | null; etaSeconds: number | null } {
    const seconds = Math.max((now - this.t0) / 1000, 1e-9);
    const generated = this.tokens() - this.tokens0;
    const finishedDocs = this.done - this.startDone;
    const left = this.total - this.done;
    let eta: number | null = null;
    if (generated > 0) {
      const rate = generated / seconds;
      const perDoc = finishedDocs > 0 ? (this.tokensAtDone - this.tokens0) / finishedDocs : null;
      if (perDoc !== null) eta = (left * perDoc) / rate;
    } else if (finishedDocs > 0) {
      eta = left / (finishedDocs / seconds);
    }
    return { done: this.done, seconds, requestsPerSecond: this.requests / seconds, tokensPerSecond: generated > 0 ? generated / seconds : null, etaSeconds: left === 0 ? 0 : eta };
  }
}

function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '-';
  const r = Math.round(s);
  return r >= 3600 ? `${Math.floor(r / 3600)}h${String(Math.floor((r % 3600) / 60)).padStart(2, '0')}m` : r >= 60 ? `${Math.floor(r / 60)}m${String(r % 60).padStart(2, '0')}s` : `${r}s`;
}

/**
 * A progress bar (count, throughput, generated tokens/s, ETA) on a terminal; on a non-terminal (CI logs) a plain
 * line every `intervalMs`, whether or not a chunk of documents finished (a generative chunk can take minutes), and at
 * the end of each task.
 */
export function createProgress(mode: 'auto' | 'bar' | 'lines' | 'off', stream: NodeJS.WriteStream = process.stderr, intervalMs = 10_000): Progress {
  const useBar = mode === 'bar' || (mode === 'auto' && stream.isTTY === true);
  if (mode === 'off') return { start() {}, update() {}, stop() {}, log: (m) => stream.write(m + '\n') };
  let meter: ProgressMeter | undefined;
  let timer: NodeJS.Timeout | undefined;
  let task = '';
  const every = (fn: () => void) => {
    timer = setInterval(fn, intervalMs);
    timer.unref();
  };
  const halt = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  if (useBar) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{task} |{bar}| {value}/{total} docs | {rate} req/s{tokrate} | ETA {eta_text}',
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let active = false;
    const payload = () => {
      const s = meter!.snapshot();
      return { task, rate: s.requestsPerSecond.toFixed(1), tokrate: s.tokensPerSecond === null ? '' : ` | ${s.tokensPerSecond.toFixed(1)} tok/s`, eta_text: formatEta(s.etaSeconds) };
    };
    return {
      start(name, total, done, opts) {
        task = name;
        meter = new ProgressMeter(total, done, opts?.tokens);
        bar.start(total, done, payload());
        active = true;
        every(() => active && bar.update(meter!.snapshot().done, payload()));
      },
      update(done, requests) {
        meter?.update(done, requests);
        if (active) bar.update(done, payload());
      },
      stop() {
        halt();
        if (active) bar.stop();
        active = false;
      },
      log(message) {
        if (active) {
          halt();
          bar.stop();
          stream.write(message + '\n');
          active = false;
        } else stream.write(message + '\n');
      },
    };
  }
  let total = 0;
  const line = () => {
    const s = meter!.snapshot();
    const tok = s.tokensPerSecond === null ? '' : `, ${s.tokensPerSecond.toFixed(1)} generated tok/s`;
    const eta = s.etaSeconds === null ? '' : `, ETA ${formatEta(s.etaSeconds)}`;
    stream.write(`[${task}] ${s.done}/${total} docs, ${s.requestsPerSecond.toFixed(1)} req/s${tok}, ${s.seconds.toFixed(1)} s elapsed${eta}\n`);
  };
  return {
    start(name, t, done, opts) {
      task = name;
      total = t;
      meter = new ProgressMeter(t, done, opts?.tokens);
      stream.write(`[${task}] ${done}/${total} docs to start\n`);
      every(line);
    },
    update(done, requests) {
      meter?.update(done, requests);
    },
    stop() {
      halt();
      if (task) line();
      task = '';
    },
    log: (m) => stream.write(m + '\n'),
  };
}
