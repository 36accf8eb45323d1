import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Dialect } from '../db/database.js';
import { addMilliseconds, nowIso } from '../lib/ids.js';
import { backoffMilliseconds, claimDueJobs, defaultLeaseMilliseconds, LostLeaseError, PermanentJobError, requeueExpiredLeases, type JobRegistry } from './queue.js';

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
type ClaimedJob = Awaited<ReturnType<typeof claimDueJobs>>[number];

/**
 * Keeps up to `concurrency` jobs in hand: a slot freed by a finished job is refilled at once rather
 * than when the slowest job of a batch ends, so one slow job (a mail relay taking its time) does not
 * hold back timers that come due meanwhile. One claim runs at a time and takes every free slot, and
 * the "done" marks of jobs finishing together are written in one statement: under load both batch
 * themselves, which is what makes the queue fast on a database whose every commit waits for the disk.
 * `stop()` waits for the jobs in hand to finish.
 */
export class JobWorker {
  /** Written on the jobs this worker claims: leases are renewed and jobs finished only by their holder. */
  readonly id = `${os.hostname()}:${process.pid}:${++workersInProcess}`;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  /** Another look was asked for while a claim ran (a job finished after a full claim, or a poke). */
  private lookAgain = false;
  /** The last claim filled every free slot, so more jobs may be due right now. */
  private mayHaveMore = false;
  private readonly inHand = new Map<string, Promise<void>>();
  private renewal: NodeJS.Timeout | undefined;
  private doneBatch: { ids: string[]; written: Promise<void> } | undefined;
  private doneWrites: Promise<void> = Promise.resolve();
  private lastRequeue = 0;

  constructor(private readonly options: WorkerOptions) {}

  private get concurrency(): number {
    return this.options.concurrency ?? 16;
  }

  private get leaseMilliseconds(): number {
    return this.options.leaseMilliseconds ?? defaultLeaseMilliseconds;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.look();
  }

  /**
   * Nudges the worker to look now (after enqueueing something due immediately). A worker whose
   * slots are all taken ignores it: the next job to finish looks anyway, and a burst of pokes from
   * busy request handlers must not turn into a burst of claims.
   */
  poke(): void {
    if (this.running && (this.timer !== undefined || this.claiming !== undefined)) this.look();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.claiming;
    await Promise.all(this.inHand.values());
    await this.doneWrites;
  }

  /** Runs every due job once, batch after batch; used by tests and the CLI. Returns how many ran. */
  async drain(): Promise<number> {
    let total = 0;
    await this.requeueExpired(true);
    for (;;) {
      const jobs = await claimDueJobs(this.options.db, this.options.dialect, this.concurrency, this.leaseMilliseconds, this.id);
      if (jobs.length === 0) {
        await this.doneWrites;
        return total;
      }
      await Promise.all(jobs.map((job) => this.launch(job)));
      total += jobs.length;
    }
  }

  /** Claims jobs for the free slots, unless a claim is already running (then it looks again after). */
  private look(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.lookAgain = true;
      return;
    }
    this.claiming = this.claimForFreeSlots().finally(() => {
      this.claiming = undefined;
      if (this.lookAgain) {
        this.lookAgain = false;
        this.look();
      }
    });
  }

  private async claimForFreeSlots(): Promise<void> {
    const free = this.concurrency - this.inHand.size;
    if (free <= 0) {
      // Every slot is taken: the next job to finish looks again.
      this.mayHaveMore = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let claimed = 0;
    try {
      await this.requeueExpired(false);
      const jobs = await claimDueJobs(this.options.db, this.options.dialect, free, this.leaseMilliseconds, this.id);
      claimed = jobs.length;
      for (const job of jobs) {
        void this.launch(job).then(() => {
          if (this.mayHaveMore) this.look();
        });
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'job worker could not claim jobs');
    }
    this.mayHaveMore = claimed === free;
    if (this.mayHaveMore) this.lookAgain = true;
    else if (this.running && !this.timer) this.timer = setTimeout(() => this.look(), this.options.pollMilliseconds);
  }

  /** Dead workers' jobs are rare: looked for at most every half lease (and 5 s), not on every claim. */
  private async requeueExpired(now: boolean): Promise<void> {
    if (!now && Date.now() - this.lastRequeue < Math.min(5000, this.leaseMilliseconds / 2)) return;
    this.lastRequeue = Date.now();
    const requeued = await requeueExpiredLeases(this.options.db);
    if (requeued > 0) this.options.log.warn({ requeued }, 'jobs of a worker that stopped answering are queued again');
  }

  /** Runs one claimed job, renewing the leases of the jobs in hand while any are. */
  private launch(job: ClaimedJob): Promise<void> {
    const done = this.runJob(job).catch((error: unknown) => this.options.log.error({ err: error, jobId: job.id }, 'could not record the outcome of a job')).finally(() => {
      this.inHand.delete(job.id);
      if (this.inHand.size === 0 && this.renewal) {
        clearInterval(this.renewal);
        this.renewal = undefined;
      }
    });
    this.inHand.set(job.id, done);
    // A job that outlives its lease would be claimed again by another worker and run twice at once;
    // while we hold jobs we renew their leases, so only a dead (or frozen) worker loses them.
    this.renewal ??= setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leaseMilliseconds / 3)));
    return done;
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.inHand.keys()];
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

  /**
   * Marks a job done that finished without `complete()`. Jobs finishing while the previous write is
   * under way share the next one (a crash before it only means they run again: handlers are idempotent).
   */
  private markDone(jobId: string): Promise<void> {
    if (!this.doneBatch) {
      const batch = { ids: [] as string[], written: Promise.resolve() };
      batch.written = this.doneWrites.then(async () => {
        if (this.doneBatch === batch) this.doneBatch = undefined;
        await this.options.db.updateTable('jobs').set({ status: 'done', locked_until: null, last_error: null, updated_at: nowIso() }).where('id', 'in', batch.ids).where('status', '=', 'running').where('claimed_by', '=', this.id).execute();
      });
      this.doneWrites = batch.written.catch(() => undefined);
      this.doneBatch = batch;
    }
    this.doneBatch.ids.push(jobId);
    return this.doneBatch.written;
  }

  private async runJob(job: ClaimedJob): Promise<void> {
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
      // The slot frees now; the done mark is written with those of the jobs finishing alongside.
      if (!completed) void this.markDone(job.id).catch((error: unknown) => log.warn({ jobId: job.id, err: error }, 'could not mark a job done; it will run again'));
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
