import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db, Dialect, Tx } from '../db/database.js';
import { preparedQuery } from '../db/prepared.js';
import type { Insertable } from 'kysely';
import type { Database } from '../db/schema.js';
import { addMilliseconds, newId, nowIso } from '../lib/ids.js';

/**
 * Durable jobs in the application's own database: enqueued in the same transaction as the change
 * that needs them, so a job exists if and only if its cause committed. We keep our own small queue
 * rather than pg-boss or graphile-worker because those are PostgreSQL-only and the default install
 * is SQLite; see ARCHITECTURE.md.
 */
export interface JobDefinition<P extends z.ZodType> {
  type: string;
  version: number;
  payload: P;
  maxAttempts?: number;
  /** Delay before retry number `attempt + 1`; defaults to exponential backoff from 2 s. */
  retryDelayMilliseconds?(attempt: number): number;
  /**
   * Must be idempotent. `complete(fn)` runs `fn` in the same transaction that marks the job done,
   * which makes a database-only effect happen exactly once even if the process dies mid-job.
   */
  handle(context: JobContext, payload: z.output<P>): Promise<void>;
  /**
   * Optional: runs the jobs of this type claimed together as one unit, for work that costs less done
   * for several at once (one set-based read rather than one per job, one transaction). Its
   * `complete` keeps the guarantees of `JobContext.complete` for every job of the batch. If it
   * throws, each job of the batch runs alone through `handle`, so retries and failures stay per job.
   */
  handleBatch?(batch: BatchJobContext<z.output<P>>): Promise<void>;
}

export interface BatchJobContext<T> {
  db: Db;
  dialect: Dialect;
  /** The payloads of the jobs claimed, for work to prepare outside the transaction (reads, parsing, files). */
  payloads: T[];
  /**
   * Marks done, in one transaction with `work`, the jobs of the batch this worker still holds, and
   * hands `work` their payloads (a job another worker took over is left to that worker).
   */
  complete(work: (trx: Tx, payloads: T[]) => Promise<void>): Promise<void>;
}

export interface JobContext {
  db: Db;
  dialect: Dialect;
  jobId: string;
  attempt: number;
  /** The attempt after which a failure is final, so a handler can record "gave up" on its own rows. */
  maxAttempts: number;
  complete(work: (trx: Tx) => Promise<void>): Promise<void>;
}

export interface EnqueueOptions {
  workspaceId?: string | null;
  runAt?: string;
  /** Stable id makes enqueueing idempotent: a second enqueue with the same id is ignored. */
  id?: string;
}

export interface JobRecord {
  id: string;
  workspaceId: string | null;
  type: string;
  version: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** How long a claimed job stays invisible to other workers; a worker that dies loses its jobs after this. */
export const defaultLeaseMilliseconds = 60_000;

/** Thrown by a handler when retrying cannot help (e.g. a refused destination): the job fails at once. */
export class PermanentJobError extends Error {}

export function backoffMilliseconds(attempt: number): number {
  // 2s, 4s, 8s … capped at an hour, with jitter so retries of a burst spread out.
  const base = Math.min(3_600_000, 1000 * 2 ** attempt);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition<z.ZodType>>();

  define<P extends z.ZodType>(definition: JobDefinition<P>): JobDefinition<P> {
    this.definitions.set(definition.type, definition as unknown as JobDefinition<z.ZodType>);
    return definition;
  }

  get(type: string): JobDefinition<z.ZodType> | undefined {
    return this.definitions.get(type);
  }
}

export async function enqueueJob<P extends z.ZodType>(
  trx: Tx,
  definition: JobDefinition<P>,
  payload: z.input<P>,
  options: EnqueueOptions = {},
): Promise<string> {
  const now = nowIso();
  const id = options.id ?? newId();
  await insertJob(trx, {
    id,
    workspace_id: options.workspaceId ?? null,
    type: definition.type,
    version: definition.version,
    payload: JSON.stringify(definition.payload.parse(payload)),
    status: 'queued',
    run_at: options.runAt ?? now,
    attempts: 0,
    max_attempts: definition.maxAttempts ?? 8,
    created_at: now,
    updated_at: now,
  });
  return id;
}

/**
 * Withdraws timers a change made pointless (an SLA clock met before its warning, say), so they are
 * not claimed and run for nothing. Only jobs still waiting go; one already claimed runs as usual.
 */
export async function cancelQueuedJobs(trx: Tx, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('jobs').where('workspace_id', '=', workspaceId).where('id', 'in', ids).where('status', '=', 'queued').execute();
}

// Most changes enqueue a job in their transaction, so the insert is prepared once (see db/prepared.ts).
const insertJob = preparedQuery((db, row: Insertable<Database['jobs']>) =>
  db
    .insertInto('jobs')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doNothing()),
);

interface ClaimedJob {
  id: string;
  type: string;
  version: number;
  payload: string;
  attempts: number;
  max_attempts: number;
}

/**
 * Claims due jobs, oldest due first. On PostgreSQL, FOR UPDATE SKIP LOCKED lets several nodes claim
 * side by side without taking the same job; SQLite has one writer, so the UPDATE … RETURNING is
 * atomic by itself. Only queued jobs are read here, so the (status, run_at) index yields them in
 * order and a backlog of thousands costs no sort; jobs of dead workers come back through
 * `requeueExpiredLeases`.
 */
export async function claimDueJobs(db: Db, dialect: Dialect, limit: number, leaseMilliseconds = defaultLeaseMilliseconds, workerId: string | null = null): Promise<ClaimedJob[]> {
  const now = nowIso();
  const leaseUntil = addMilliseconds(now, leaseMilliseconds);
  const lock = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const result = await sql<ClaimedJob>`
    UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ${leaseUntil}, claimed_by = ${workerId}, updated_at = ${now}
    WHERE id IN (
      SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ${now}
      ORDER BY run_at LIMIT ${limit} ${lock}
    )
    RETURNING id, type, version, payload, attempts, max_attempts`.execute(db);
  return result.rows;
}

/** When the earliest queued job is due (null if none is queued): the first entry of the `(status, run_at)` index. */
export async function nextQueuedRunAt(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('run_at'))
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return row?.run_at ?? null;
}

/**
 * Puts back the jobs whose worker died holding them (its lease ran out); they run again, counting an
 * attempt. `running` are the jobs the caller is running itself: a lease it failed to renew in time
 * (the process was starved) is no reason for it to run them a second time alongside.
 */
export async function requeueExpiredLeases(db: Db, running: string[] = []): Promise<number> {
  const now = nowIso();
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', run_at: now, locked_until: null, updated_at: now })
    .where('status', '=', 'running')
    .where('locked_until', '<', now)
    .$if(running.length > 0, (query) => query.where('id', 'not in', running))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Thrown inside `complete()` when another worker took the job over (our lease ran out): our effect is rolled back. */
export class LostLeaseError extends Error {}

export function jobFromRow(row: {
  id: string;
  workspace_id: string | null;
  type: string;
  version: number;
  status: JobRecord['status'];
  run_at: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}): JobRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    version: row.version,
    status: row.status,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
