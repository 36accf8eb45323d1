import type { FastifyBaseLogger } from 'fastify';
import type { Db, Dialect } from '../db/database.js';
import { addMilliseconds, nowIso } from '../lib/ids.js';
import { backoffMilliseconds, claimDueJobs, defaultLeaseMilliseconds, PermanentJobError, type JobRegistry } from './queue.js';

export interface WorkerOptions {
  db: Db;
  dialect: Dialect;
  registry: JobRegistry;
  log: FastifyBaseLogger;
  pollMilliseconds: number;
  concurrency?: number;
  /** How long a claimed job is ours; tests shorten it to see a killed worker's jobs come back. */
  leaseMilliseconds?: number;
}

/** Polls for due jobs and runs them; `stop()` waits for the jobs in hand to finish. */
export class JobWorker {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.tick();
  }

  /** Nudges the worker to look now (after enqueueing something due immediately). */
  poke(): void {
    if (!this.running || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.loop = this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.loop;
  }

  /** Runs every due job once; used by tests and the CLI. Returns how many ran. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = await this.runBatch();
      if (ran === 0) return total;
      total += ran;
    }
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    let ran = 0;
    try {
      ran = await this.runBatch();
    } catch (error) {
      this.options.log.error({ err: error }, 'job worker batch failed');
    }
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.loop = this.tick();
    }, ran > 0 ? 0 : this.options.pollMilliseconds);
  }

  private async runBatch(): Promise<number> {
    const { db, dialect } = this.options;
    const jobs = await claimDueJobs(db, dialect, this.options.concurrency ?? 16, this.options.leaseMilliseconds ?? defaultLeaseMilliseconds);
    await Promise.all(jobs.map((job) => this.runJob(job)));
    return jobs.length;
  }

  private async runJob(job: Awaited<ReturnType<typeof claimDueJobs>>[number]): Promise<void> {
    const { db, dialect, registry, log } = this.options;
    const definition = registry.get(job.type);
    try {
      if (!definition) throw new Error(`no handler for job type ${job.type}`);
      if (job.version > definition.version) throw new Error(`job version ${job.version} is newer than this server knows (${definition.version})`);
      const payload = definition.payload.parse(JSON.parse(job.payload));
      let completed = false;
      await definition.handle(
        {
          db,
          dialect,
          jobId: job.id,
          attempt: job.attempts,
          maxAttempts: job.max_attempts,
          complete: async (work) => {
            await db.transaction().execute(async (trx) => {
              await work(trx);
              await trx.updateTable('jobs').set({ status: 'done', locked_until: null, last_error: null, updated_at: nowIso() }).where('id', '=', job.id).execute();
            });
            completed = true;
          },
        },
        payload,
      );
      if (!completed) {
        await db.updateTable('jobs').set({ status: 'done', locked_until: null, last_error: null, updated_at: nowIso() }).where('id', '=', job.id).execute();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const exhausted = job.attempts >= job.max_attempts || error instanceof PermanentJobError;
      log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, err: message }, exhausted ? 'job failed for good' : 'job failed, will retry');
      const now = nowIso();
      await db
        .updateTable('jobs')
        .set({
          status: exhausted ? 'failed' : 'queued',
          run_at: exhausted ? now : addMilliseconds(now, definition?.retryDelayMilliseconds?.(job.attempts) ?? backoffMilliseconds(job.attempts)),
          last_error: message.slice(0, 2000),
          locked_until: null,
          updated_at: now,
        })
        .where('id', '=', job.id)
        // If our lease ran out and another worker finished the job meanwhile, its "done" stands.
        .where('status', '=', 'running')
        .execute();
    }
  }
}
