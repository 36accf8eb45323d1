import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Db, Dialect } from '../db/database.js';
import { addMilliseconds, nowIso } from '../lib/ids.js';
import { backoffMilliseconds, claimDueJobs, defaultLeaseMilliseconds, LostLeaseError, nextQueuedRunAt, PermanentJobError, requeueExpiredLeases, type JobDefinition, type JobRegistry } from './queue.js';

export interface WorkerOptions {
  db: Db;
  dialect: Dialect;
  registry: JobRegistry;
  log: FastifyBaseLogger;
  pollMilliseconds: number;
  /** Units of work under way at once: a job run alone, or a batch (default 16). */
  concurrency?: number;
  /**
   * Most jobs of a type with `handleBatch` run in one batch (default 32). The worker keeps two
   * batches' worth of jobs in hand, so one batch's claim and commit overlap the other's work.
   */
  batchSize?: number;
  /** How long a claimed job is ours; tests shorten it to see a killed worker's jobs come back. */
  leaseMilliseconds?: number;
}

let workersInProcess = 0;
type ClaimedJob = Awaited<ReturnType<typeof claimDueJobs>>[number];
/** The shortest sleep between looks, so a due job another node is claiming does not make us spin. */
const minimumSleepMilliseconds = 10;
const doneMark = () => ({ status: 'done' as const, locked_until: null, last_error: null, updated_at: nowIso() });

/**
 * Keeps up to two batches' worth of jobs in hand (64) and refills as soon as a unit of work
 * finishes rather than when the slowest job of a claim ends, so one slow job (a mail relay taking
 * its time) does not hold back timers that come due meanwhile. At most `concurrency` units run at
 * once, a unit being a job alone or a batch; claimed jobs beyond that wait in hand (their leases
 * renewed) for the next unit to end, so jobs run alone never hold more connections than before.
 * One claim runs at a time and takes every free place, and the "done" marks of jobs finishing
 * together are written in one statement: under load both batch themselves, which is what makes the
 * queue fast on a database whose every commit waits for the disk. Jobs of a type with `handleBatch`
 * claimed together run as batches of up to `batchSize`: one transaction each for their done marks
 * and effect, and two of them under way at once, so one batch's claim and commit overlap the other's
 * work. On PostgreSQL each commit waits for the disk, so jobs per commit are what the rate rests on.
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
  /** Units of work running, and the units waiting in hand for one of them to end. */
  private unitsRunning = 0;
  private readonly unitsWaiting: Array<() => void> = [];

  constructor(private readonly options: WorkerOptions) {}

  private get concurrency(): number {
    return this.options.concurrency ?? 16;
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 32;
  }

  /** How many claimed jobs the worker holds at most, running or waiting for a unit to end. */
  private get jobsInHand(): number {
    return Math.max(this.concurrency, 2 * this.batchSize);
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
      const jobs = await claimDueJobs(this.options.db, this.options.dialect, this.jobsInHand, this.leaseMilliseconds, this.id);
      if (jobs.length === 0) {
        await this.doneWrites;
        return total;
      }
      await Promise.all(this.launchAll(jobs));
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
    const free = this.jobsInHand - this.inHand.size;
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
      for (const finished of this.launchAll(jobs)) {
        void finished.then(() => {
          if (this.mayHaveMore) this.look();
        });
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'job worker could not claim jobs');
    }
    this.mayHaveMore = claimed === free;
    if (this.mayHaveMore) this.lookAgain = true;
    else {
      const sleep = await this.untilNextDue();
      if (this.running && !this.timer) this.timer = setTimeout(() => this.look(), sleep);
    }
  }

  /**
   * How long to sleep before looking again: until the earliest queued job comes due, so a timer
   * fires within a claim's time of its due moment rather than up to a poll interval late, and at
   * most the poll interval, which is how jobs enqueued by other nodes are seen. A job already due
   * that the claim skipped (another node is claiming it) is looked at again shortly.
   */
  private async untilNextDue(): Promise<number> {
    const poll = this.options.pollMilliseconds;
    try {
      const next = await nextQueuedRunAt(this.options.db);
      return next === null ? poll : Math.min(poll, Math.max(minimumSleepMilliseconds, Date.parse(next) - Date.now()));
    } catch (error) {
      this.options.log.warn({ err: error }, 'job worker could not read when the next job is due');
      return poll;
    }
  }

  /** Dead workers' jobs are rare: looked for at most every half lease (and 5 s), not on every claim. */
  private async requeueExpired(now: boolean): Promise<void> {
    if (!now && Date.now() - this.lastRequeue < Math.min(5000, this.leaseMilliseconds / 2)) return;
    this.lastRequeue = Date.now();
    const requeued = await requeueExpiredLeases(this.options.db, [...this.inHand.keys()]);
    if (requeued > 0) this.options.log.warn({ requeued }, 'jobs of a worker that stopped answering are queued again');
  }

  /** Starts claimed jobs: those of a type with `handleBatch` in batches, the others one by one. */
  private launchAll(jobs: ClaimedJob[]): Array<Promise<void>> {
    const started: Array<Promise<void>> = [];
    const batchable = new Map<string, ClaimedJob[]>();
    for (const job of jobs) {
      if (!this.options.registry.get(job.type)?.handleBatch) started.push(this.launch([job], () => this.runJob(job)));
      else batchable.set(job.type, [...(batchable.get(job.type) ?? []), job]);
    }
    for (const [type, ofType] of batchable) {
      const definition = this.options.registry.get(type)!;
      for (let start = 0; start < ofType.length; start += this.batchSize) {
        const batch = ofType.slice(start, start + this.batchSize);
        started.push(this.launch(batch, () => (batch.length === 1 ? this.runJob(batch[0]!) : this.runBatch(definition, batch))));
      }
    }
    return started;
  }

  /** Runs claimed jobs as one unit once a unit is free, renewing the leases of the jobs in hand while any are. */
  private launch(jobs: ClaimedJob[], run: () => Promise<void>): Promise<void> {
    const done = this.asUnit(run).catch((error: unknown) => this.options.log.error({ err: error, jobIds: jobs.map((job) => job.id) }, 'could not record the outcome of a job')).finally(() => {
      for (const job of jobs) this.inHand.delete(job.id);
      if (this.inHand.size === 0 && this.renewal) {
        clearInterval(this.renewal);
        this.renewal = undefined;
      }
    });
    for (const job of jobs) this.inHand.set(job.id, done);
    // A job that outlives its lease would be claimed again by another worker and run twice at once;
    // while we hold jobs we renew their leases, so only a dead (or frozen) worker loses them.
    this.renewal ??= setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leaseMilliseconds / 3)));
    return done;
  }

  /** Runs `run` when fewer than `concurrency` units are running; the next waiting unit starts when it ends. */
  private async asUnit(run: () => Promise<void>): Promise<void> {
    if (this.unitsRunning >= this.concurrency) await new Promise<void>((resolve) => this.unitsWaiting.push(resolve));
    else this.unitsRunning++;
    try {
      await run();
    } finally {
      // The freed place passes straight to the next waiting unit, so the count stays exact.
      const next = this.unitsWaiting.shift();
      if (next) next();
      else this.unitsRunning--;
    }
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
        await this.options.db.updateTable('jobs').set(doneMark()).where('id', 'in', batch.ids).where('status', '=', 'running').where('claimed_by', '=', this.id).execute();
      });
      this.doneWrites = batch.written.catch(() => undefined);
      this.doneBatch = batch;
    }
    this.doneBatch.ids.push(jobId);
    return this.doneBatch.written;
  }

  /**
   * Runs jobs claimed together through their type's `handleBatch`: the done marks of those still ours
   * and the batch's effect commit together. If the batch fails before that commit, each job runs
   * alone, so one bad job neither fails the others nor holds back their retries.
   */
  private async runBatch(definition: JobDefinition<z.ZodType>, jobs: ClaimedJob[]): Promise<void> {
    const { db, dialect, log } = this.options;
    let committed = false;
    try {
      const payloads = new Map(
        jobs.map((job) => {
          if (job.version > definition.version) throw new Error(`job version ${job.version} is newer than this server knows (${definition.version})`);
          return [job.id, definition.payload.parse(JSON.parse(job.payload)) as unknown];
        }),
      );
      await definition.handleBatch!({
        db,
        dialect,
        payloads: [...payloads.values()],
        complete: async (work) => {
          await db.transaction().execute(async (trx) => {
            const ours = await trx.updateTable('jobs').set(doneMark()).where('id', 'in', [...payloads.keys()]).where('status', '=', 'running').where('claimed_by', '=', this.id).returning('id').execute();
            if (ours.length < jobs.length) log.warn({ jobIds: jobs.map((job) => job.id).filter((id) => !ours.some((row) => row.id === id)) }, 'jobs were taken over by another worker');
            await work(
              trx,
              ours.map((row) => payloads.get(row.id)),
            );
          });
          committed = true;
        },
      });
    } catch (error) {
      if (committed) throw error;
      log.warn({ err: error, type: definition.type, jobs: jobs.length }, 'a batch of jobs failed; each runs alone');
      await Promise.all(jobs.map((job) => this.runJob(job)));
      return;
    }
    if (!committed) for (const job of jobs) void this.markDone(job.id).catch((error: unknown) => log.warn({ jobId: job.id, err: error }, 'could not mark a job done; it will run again'));
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
              const marked = await trx.updateTable('jobs').set(doneMark()).where('id', '=', job.id).where('status', '=', 'running').where('claimed_by', '=', this.id).executeTakeFirst();
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
