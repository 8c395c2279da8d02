/**
 * Sweeps on many machines through BullMQ (a Redis-backed job queue): {@link enqueueSweep} adds one
 * job per run to the queue `vaelab-sweeps` (job id `<sweep>/<run>`, so enqueuing again adds nothing
 * twice), {@link startWorker} takes jobs and runs them into a runs directory that every worker
 * shares. A worker holds a lock on its job that it renews while it trains; when it dies (kill -9,
 * machine lost) the lock expires, another worker's stalled-job check puts the job back in the
 * queue, and whoever takes it resumes the run from its last checkpoint (`job.ts`).
 */
import { availableParallelism, hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { UserError } from '../engine/errors.js';
import { ConfigError } from '../models/config.js';
import type { RunSummary } from '../train/experiment.js';
import { runSweepJob, type RunProgress, type SweepJob } from './job.js';
import type { SweepPlan } from './spec.js';

/** The BullMQ queue every sweep's jobs go to. */
export const QUEUE_NAME = 'vaelab-sweeps';

/** The queue id of a run. */
export const jobId = (sweep: string, run: string): string => `${sweep}/${run}`;

/** Validates a `redis://HOST:PORT[/DB]` URL (the `--queue` flag). */
export function parseQueueUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`--queue: expected a URL such as redis://HOST:PORT, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new ConfigError(`--queue: expected a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  return url;
}

/**
 * Fails at once, naming the URL, when no Redis answers there (rather than retrying for ever, as a
 * queue client does by default).
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  parseQueueUrl(url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let cause = '';
  client.on('error', (e: Error) => void (cause ||= e.message));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new UserError(`cannot reach Redis at ${url} (${cause || (e as Error).message}); nothing was enqueued or run`);
  } finally {
    client.disconnect();
  }
}

const connection = (url: string) => ({ url, maxRetriesPerRequest: null });

/** What {@link enqueueSweep} did. */
export interface EnqueueResult {
  readonly added: number;
  /** Failed jobs put back in the queue. */
  readonly retried: number;
  /** Jobs already waiting, running or done. */
  readonly present: number;
}

/**
 * Adds a job per run of `plan` to the queue at `url` (after checking Redis answers). A run whose job
 * is already queued, running or done is left alone; a failed one is retried.
 */
export async function enqueueSweep(plan: SweepPlan, url: string, opts: { attempts?: number } = {}): Promise<EnqueueResult> {
  await checkRedis(url);
  const queue = new Queue<SweepJob>(QUEUE_NAME, { connection: connection(url) });
  try {
    let retried = 0;
    let present = 0;
    const fresh: SweepJob[] = [];
    for (const run of plan.runs) {
      const job = await queue.getJob(jobId(plan.name, run.name));
      if (!job) fresh.push({ sweep: plan.name, run: run.name, flags: run.flags });
      else if ((await job.getState()) === 'failed') {
        await job.retry('failed');
        retried++;
      } else present++;
    }
    await queue.addBulk(
      fresh.map((data) => ({
        name: data.sweep,
        data,
        opts: {
          jobId: jobId(data.sweep, data.run),
          attempts: opts.attempts ?? 3,
          backoff: { type: 'fixed', delay: 2000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    return { added: fresh.length, retried, present };
  } finally {
    await queue.close();
  }
}

/** A run's state in the queue. */
export interface QueuedRunState {
  readonly run: string;
  /** BullMQ's state ('waiting', 'active', 'completed', 'failed', 'delayed', ...) or 'not queued'. */
  readonly state: string;
  /** The last step the worker reported. */
  readonly progress: RunProgress | null;
  readonly attempts: number;
  readonly failedReason?: string;
  readonly summary?: RunSummary;
}

/** The state of each run of `plan` in the queue at `url`. */
export async function queueStatus(plan: SweepPlan, url: string): Promise<QueuedRunState[]> {
  await checkRedis(url);
  const queue = new Queue<SweepJob>(QUEUE_NAME, { connection: connection(url) });
  try {
    return await Promise.all(
      plan.runs.map(async (run): Promise<QueuedRunState> => {
        const job = await queue.getJob(jobId(plan.name, run.name));
        if (!job) return { run: run.name, state: 'not queued', progress: null, attempts: 0 };
        const p = job.progress as Partial<RunProgress> | number;
        return {
          run: run.name,
          state: await job.getState(),
          progress: typeof p === 'object' && typeof p.step === 'number' ? { step: p.step, total: p.total ?? 0 } : null,
          attempts: job.attemptsMade,
          failedReason: job.failedReason || undefined,
          summary: (job.returnvalue as RunSummary | null) ?? undefined,
        };
      }),
    );
  } finally {
    await queue.close();
  }
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** onnxruntime threads of a run whose flags set none (default: every core). */
  readonly threads?: number;
  /**
   * Seconds a job's lock lasts without renewal (renewed every half of it while training); a
   * worker that dies gives its job back after about 1.5 times this (default 30).
   */
  readonly lockSeconds?: number;
  /** Stop when the queue has nothing waiting, delayed or running (default: run until closed). */
  readonly exitWhenEmpty?: boolean;
  readonly log?: (line: string) => void;
}

/** A running worker: `done` resolves when it has stopped; `close()` stops it after the current job. */
export interface WorkerHandle {
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/**
 * Takes jobs from the queue at `url` one at a time and runs each into `runsDir` (shared by all
 * workers), reporting each run's step to the queue as the job's progress.
 */
export async function startWorker(url: string, runsDir: string, opts: WorkerOptions = {}): Promise<WorkerHandle> {
  await checkRedis(url);
  const log = opts.log ?? (() => {});
  const name = `${hostname()}:${process.pid}`;
  const lock = (opts.lockSeconds ?? 30) * 1000;
  const processor = async (job: Job<SweepJob>): Promise<RunSummary> => {
    let last = 0;
    log(`${job.id}: taken (attempt ${job.attemptsMade + 1})`);
    try {
      const outcome = await runSweepJob(job.data, runsDir, {
        threads: opts.threads ?? availableParallelism(),
        worker: name,
        log: (line) => log(`${job.id}: ${line}`),
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 1000 && p.step !== p.total) return;
          last = now;
          void job.updateProgress(p).catch(() => {});
        },
      });
      log(
        `${job.id}: ${outcome.action === 'skipped' ? 'already done' : outcome.action === 'resumed' ? `resumed at step ${outcome.startStep}, done` : 'done'}`,
      );
      return outcome.summary;
    } catch (e) {
      // A user error (bad config, data) fails the same way on every attempt: do not retry it.
      if (e instanceof UserError) throw new UnrecoverableError(e.message);
      throw e;
    }
  };
  const worker = new Worker<SweepJob, RunSummary>(QUEUE_NAME, processor, {
    connection: connection(url),
    concurrency: 1,
    lockDuration: lock,
    stalledInterval: Math.max(1000, lock / 2),
    maxStalledCount: 3,
  });
  worker.on('failed', (job, e) => log(`${job?.id ?? '?'}: failed: ${e.message}`));
  worker.on('error', (e) => log(`worker error: ${e.message}`));
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    worker.on('closed', () => resolve());
    if (opts.exitWhenEmpty) {
      const queue = new Queue(QUEUE_NAME, { connection: connection(url) });
      worker.on('closed', () => void queue.close());
      timer = setInterval(() => {
        void queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children').then(
          (c) => {
            if (Object.values(c).every((n) => n === 0)) {
              clearInterval(timer);
              void worker.close();
            }
          },
          () => {},
        );
      }, 1000);
    }
  });
  return {
    done,
    close: async () => {
      clearInterval(timer);
      await worker.close();
    },
  };
}
