import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Dialect } from '../db/database.js';
import { addMilliseconds, nowIso } from '../lib/ids.js';
import { backoffMilliseconds, claimDueJobs, defaultLeaseMilliseconds, LostLeaseError, PermanentJobError, type JobRegistry } from './queue.js';

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

let workersInProcess = 0;

/** Polls for due jobs and runs them; `stop()` waits for the jobs in hand to finish. */
export class JobWorker {
  /** Written on the jobs this worker claims: leases are renewed and jobs finished only by their holder. */
  readonly id = `${os.hostname()}:${process.pid}:${++workersInProcess}`;
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

  private get leaseMilliseconds(): number {
    return this.options.leaseMilliseconds ?? defaultLeaseMilliseconds;
  }

  private async runBatch(): Promise<number> {
    const { db, dialect } = this.options;
    const jobs = await claimDueJobs(db, dialect, this.options.concurrency ?? 16, this.leaseMilliseconds, this.id);
    if (jobs.length === 0) return 0;
    // A job that outlives its lease would be claimed again by another worker and run twice at once;
    // while we hold jobs we renew their leases, so only a dead (or frozen) worker loses them.
    const held = new Set(jobs.map((job) => job.id));
    const renewal = setInterval(() => void this.renewLeases([...held]), Math.max(1, Math.floor(this.leaseMilliseconds / 3)));
    try {
      await Promise.all(
        jobs.map(async (job) => {
          await this.runJob(job);
          held.delete(job.id);
        }),
      );
    } finally {
      clearInterval(renewal);
    }
    return jobs.length;
  }

  private async renewLeases(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.options.db
        .updateTable('jobs')
        .set({ locked_until: addMilliseconds(nowIso(), this.leaseMilliseconds) })
        .where('id', 'in', ids)
        .where('status', '=', 'running')
        .where('claimed_by', '=', this.id)
        .execute();
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not renew job leases');
    }
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
              // Marked done first, and only while still ours: if another worker took the job over,
              // the transaction rolls back and our effect never lands (its run's effect does).
              const marked = await trx.updateTable('jobs').set({ status: 'done', locked_until: null, last_error: null, updated_at: nowIso() }).where('id', '=', job.id).where('status', '=', 'running').where('claimed_by', '=', this.id).executeTakeFirst();
              if (Number(marked.numUpdatedRows) !== 1) throw new LostLeaseError(`job ${job.id} was taken over by another worker`);
              await work(trx);
            });
            completed = true;
          },
        },
        payload,
      );
      if (!completed) {
        await db.updateTable('jobs').set({ status: 'done', locked_until: null, last_error: null, updated_at: nowIso() }).where('id', '=', job.id).where('status', '=', 'running').where('claimed_by', '=', this.id).execute();
      }
    } catch (error) {
      if (error instanceof LostLeaseError) {
        log.warn({ jobId: job.id, type: job.type }, error.message);
        return;
      }
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
        // If our lease ran out and another worker took the job over, its outcome stands.
        .where('status', '=', 'running')
        .where('claimed_by', '=', this.id)
        .execute();
    }
  }
}
