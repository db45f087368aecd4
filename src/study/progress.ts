/**
 * Progress display for `study run`: a cli-progress bar (counts, rate, ETA) when stderr is a
 * terminal, plain periodic lines otherwise (logs of batch jobs).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** One more task finished; `failed` when it ended without a design. */
  tick(failed: boolean): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Tasks of this run (pending at start). */
  total: number;
  /** Tasks found complete in the results file. */
  already: number;
  stream?: NodeJS.WriteStream;
  /** Force the bar (true) or plain lines (false); default: whether the stream is a TTY. */
  tty?: boolean;
  /** Seconds between plain lines (default 10). */
  interval?: number;
  label?: string;
}

/** Seconds as "1h02m", "3m05s" or "42s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/** The progress display of a run: a bar on a TTY, periodic lines otherwise. */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const label = opts.label ?? 'study';
  const start = Date.now();
  let done = 0;
  let failed = 0;
  const rate = (): number => {
    const dt = (Date.now() - start) / 1000;
    return dt > 0 ? done / dt : 0;
  };
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} {bar} {percentage}% | {value}/{total} tasks | {rate}/s | ETA {etaText} | no design: {failed}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    // The bar counts the whole study (or shard); rate and ETA count this run's tasks only.
    bar.start(opts.already + opts.total, opts.already, { rate: '0.00', etaText: '?', failed: 0 });
    return {
      tick(f) {
        done++;
        if (f) failed++;
        const r = rate();
        bar.update(opts.already + done, { rate: r.toFixed(2), etaText: r > 0 ? formatDuration((opts.total - done) / r) : '?', failed });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const interval = (opts.interval ?? 10) * 1000;
  let last = start;
  const line = (): void => {
    const r = rate();
    const all = opts.already + opts.total;
    const have = opts.already + done;
    const pct = all > 0 ? ((100 * have) / all).toFixed(1) : '100.0';
    const eta = r > 0 ? formatDuration((opts.total - done) / r) : '?';
    stream.write(
      `${label}: ${have}/${all} tasks (${pct}%), ${r.toFixed(2)}/s, ETA ${eta}, no design: ${failed}, elapsed ${formatDuration((Date.now() - start) / 1000)}\n`,
    );
  };
  return {
    tick(f) {
      done++;
      if (f) failed++;
      const now = Date.now();
      if (now - last >= interval || done === opts.total) {
        last = now;
        line();
      }
    },
    stop() {
      if (done !== opts.total && done > 0) line();
    },
  };
}
