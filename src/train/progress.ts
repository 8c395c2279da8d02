/**
 * Progress display: a cli-progress bar with the loss terms and steps/s when the stream is a TTY,
 * plain periodic lines otherwise (logs, CI), nothing when silent. Everything goes to stderr by
 * default so that stdout stays free for `--json`.
 */
import cliProgress from 'cli-progress';

/** What the trainer reports after each step. */
export interface ProgressInfo {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly elbo: number;
  readonly kl: number;
  readonly lr: number;
  readonly beta: number;
}

/** Receives the trainer's progress. */
export interface ProgressReporter {
  start(totalSteps: number, startStep: number): void;
  update(info: ProgressInfo): void;
  /** A message line (validation results, checkpoints), printed without breaking the bar. */
  log(line: string): void;
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** 'auto' (default): a bar on a TTY, lines otherwise. */
  readonly mode?: 'auto' | 'bar' | 'lines' | 'silent';
  readonly stream?: NodeJS.WriteStream;
  /** Seconds between plain lines (default 10). */
  readonly every?: number;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3));

/** A progress reporter for the given mode (see {@link ProgressOptions}). */
export function createProgress(opts: ProgressOptions = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const mode = opts.mode === undefined || opts.mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : opts.mode;
  if (mode === 'silent') return { start() {}, update() {}, log() {}, stop() {} };
  let t0 = 0;
  let s0 = 0;
  let total = 0;
  const rate = (step: number): number => (step - s0) / Math.max(1e-9, (performance.now() - t0) / 1000);
  if (mode === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          '{bar} {value}/{total} | epoch {epoch} | loss {loss} elbo {elbo} kl {kl} | β {beta} lr {lr} | {rate} steps/s | eta {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let active = false;
    let value = 0;
    let payload: Record<string, string> = { epoch: '0', loss: '-', elbo: '-', kl: '-', beta: '-', lr: '-', rate: '-' };
    return {
      start(totalSteps, startStep) {
        t0 = performance.now();
        s0 = value = startStep;
        total = totalSteps;
        active = true;
        bar.start(total, startStep, payload);
      },
      update(i) {
        value = i.step;
        payload = {
          epoch: i.epoch.toFixed(2),
          loss: fmt(i.loss),
          elbo: fmt(i.elbo),
          kl: fmt(i.kl),
          beta: i.beta.toPrecision(3),
          lr: i.lr.toExponential(2),
          rate: rate(i.step).toFixed(1),
        };
        bar.update(value, payload);
      },
      log(line) {
        // Print above the bar: close it, write the line, and draw it again below.
        if (!active) return void stream.write(line + '\n');
        bar.stop();
        stream.write(line + '\n');
        bar.start(total, value, payload);
      },
      stop() {
        if (active) bar.stop();
        active = false;
      },
    };
  }
  const every = (opts.every ?? 10) * 1000;
  let last = 0;
  return {
    start(totalSteps, startStep) {
      t0 = last = performance.now();
      s0 = startStep;
      total = totalSteps;
    },
    update(i) {
      const now = performance.now();
      if (now - last < every && i.step !== total) return;
      last = now;
      stream.write(
        `step ${i.step}/${total} epoch ${i.epoch.toFixed(2)} loss ${fmt(i.loss)} elbo ${fmt(i.elbo)} kl ${fmt(i.kl)} ` +
          `beta ${i.beta.toPrecision(3)} lr ${i.lr.toExponential(2)} ${rate(i.step).toFixed(1)} steps/s\n`,
      );
    },
    log(line) {
      stream.write(line + '\n');
    },
    stop() {},
  };
}
