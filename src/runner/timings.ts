import type { BackendStats, ModelBackend } from '../models/backend.ts';
import type { Session, Timings } from '../results/schema.ts';
import { peakRssBytes } from './environment.ts';

/** Rates from summed counts and seconds (null where nothing was measured). */
function withRates(t: Omit<Timings, 'prefill_tokens_per_second' | 'decode_tokens_per_second' | 'requests_per_second'>): Timings {
  return {
    ...t,
    prefill_tokens_per_second: t.prefill_seconds > 0 ? t.prefill_tokens / t.prefill_seconds : null,
    decode_tokens_per_second: t.decode_seconds > 0 ? t.generated_tokens / t.decode_seconds : null,
    requests_per_second: t.requests > 0 && t.total_seconds > 0 ? t.requests / t.total_seconds : null,
  };
}

/**
 * The figures of one session: the model's counters since the session started, the session's wall time (from the
 * start of the process's work: planning, loading and scoring), and the requests it sent.
 */
export class SessionClock {
  private readonly t0 = performance.now();
  private statsAtStart: BackendStats | undefined;
  private model: ModelBackend | undefined;
  requests = 0;
  documents = 0;

  /** Counters are taken from here on (after the model loaded). */
  attach(model: ModelBackend): void {
    this.model = model;
    this.statsAtStart = { ...model.stats };
  }

  timings(): Timings {
    const m = this.model;
    const delta = (k: keyof BackendStats) => (m && this.statsAtStart ? m.stats[k] - this.statsAtStart[k] : 0);
    return withRates({
      load_seconds: m?.loadSeconds ?? 0,
      total_seconds: (performance.now() - this.t0) / 1000,
      prefill_seconds: delta('prefillSeconds'),
      decode_seconds: delta('decodeSeconds'),
      requests: this.requests,
      forward_calls: delta('forwardCalls'),
      prefix_cache_hits: delta('prefixCacheHits'),
      prefix_tokens_saved: delta('prefixTokensSaved'),
      prefill_tokens: delta('prefillTokens'),
      generated_tokens: delta('generatedTokens'),
      peak_rss_bytes: peakRssBytes(),
    });
  }
}

/** All sessions together: seconds, counts and tokens summed, rates recomputed, peak RSS the largest. */
export function sumTimings(sessions: Pick<Session, 'timings'>[]): Timings | null {
  if (sessions.length === 0) return null;
  const sum = (k: keyof Timings) => sessions.reduce((s, x) => s + ((x.timings[k] as number | null) ?? 0), 0);
  return withRates({
    load_seconds: sum('load_seconds'),
    total_seconds: sum('total_seconds'),
    prefill_seconds: sum('prefill_seconds'),
    decode_seconds: sum('decode_seconds'),
    requests: sum('requests'),
    forward_calls: sum('forward_calls'),
    prefix_cache_hits: sum('prefix_cache_hits'),
    prefix_tokens_saved: sum('prefix_tokens_saved'),
    prefill_tokens: sum('prefill_tokens'),
    generated_tokens: sum('generated_tokens'),
    peak_rss_bytes: Math.max(...sessions.map((s) => s.timings.peak_rss_bytes)),
  });
}
