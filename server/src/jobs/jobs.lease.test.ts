import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../test/harness.js';
import { enqueueJob, JobRegistry } from './queue.js';
import { JobWorker } from './worker.js';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as FastifyBaseLogger;

/**
 * Leases: a job that runs longer than its lease keeps it (the worker renews it), so a second worker
 * never runs it at the same time; and a worker whose job was taken over anyway (it froze past its
 * lease) cannot commit its effect on top of the new holder's.
 */
describeEachDialect('job leases', (dialect) => {
  let database: TestDatabase;
  const release = new Map<string, () => void>();
  const registry = new JobRegistry();
  const slowJob = registry.define({
    type: 'test.slow',
    version: 1,
    payload: z.object({ key: z.string() }),
    maxAttempts: 1,
    async handle(job, payload) {
      await new Promise<void>((resolve) => release.set(payload.key, resolve));
      await job.complete(async (trx) => {
        await sql`INSERT INTO test_lease_effects (job_id, key) VALUES (${job.jobId}, ${payload.key})`.execute(trx);
      });
    },
  });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await sql`CREATE TABLE test_lease_effects (job_id text NOT NULL, key text NOT NULL)`.execute(database.handle.db);
  });
  afterAll(() => database.dispose());

  const workerWith = (leaseMilliseconds: number) => new JobWorker({ db: database.handle.db, dialect, registry, log: quiet, pollMilliseconds: 10_000, leaseMilliseconds });
  const job = (id: string) => database.handle.db.selectFrom('jobs').select(['status', 'attempts', 'claimed_by']).where('id', '=', id).executeTakeFirstOrThrow();
  const effects = async (key: string) => (await sql<{ job_id: string }>`SELECT job_id FROM test_lease_effects WHERE key = ${key}`.execute(database.handle.db)).rows;
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('renews the lease of a job that outlives it, so another worker does not take it', async () => {
    const id = await database.handle.db.transaction().execute((trx) => enqueueJob(trx, slowJob, { key: 'long' }));
    const holder = workerWith(150);
    const other = workerWith(150);
    const running = holder.drain();
    await until(() => release.has('long'));
    // Three leases long: without renewal the other worker would claim it again meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await other.drain()).toBe(0);
    expect(await job(id)).toMatchObject({ status: 'running', attempts: 1, claimed_by: holder.id });
    release.get('long')!();
    await running;
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await effects('long')).toEqual([{ job_id: id }]);
  });

  it('does not put back a job its own worker is still running, even when the lease ran out unrenewed', async () => {
    const { db } = database.handle;
    const mine = await db.transaction().execute((trx) => enqueueJob(trx, slowJob, { key: 'mine' }));
    let deadId = '';
    // A long lease: no renewal comes during the test, as in a process starved past its lease.
    const holder = new JobWorker({ db, dialect, registry, log: quiet, pollMilliseconds: 10, leaseMilliseconds: 60_000 });
    holder.start();
    try {
      await until(() => release.has('mine'));
      const expired = { status: 'running' as const, attempts: 1, locked_until: '2000-01-01T00:00:00.000Z' };
      await db.updateTable('jobs').set(expired).where('id', '=', mine).execute();
      // `dead` stands for a job of a worker that died: claimed by another node, its lease run out.
      // Written so in the enqueuing transaction, or the polling holder could claim it while queued.
      deadId = await db.transaction().execute(async (trx) => {
        const dead = await enqueueJob(trx, slowJob, { key: 'dead' });
        await trx.updateTable('jobs').set({ ...expired, claimed_by: 'dead-node:1:1' }).where('id', '=', dead).execute();
        return dead;
      });
      // The dead worker's job coming back and running here shows a pass of putting back expired jobs ran since.
      await until(() => release.has('dead'));
      expect(await job(mine)).toMatchObject({ status: 'running', attempts: 1, claimed_by: holder.id });
      release.get('mine')!();
      release.get('dead')!();
    } finally {
      await holder.stop();
    }
    expect(await job(mine)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await job(deadId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await effects('mine')).toEqual([{ job_id: mine }]);
    expect(await effects('dead')).toEqual([{ job_id: deadId }]);
  });

  it('rolls back the effect of a worker whose job another worker took over', async () => {
    const id = await database.handle.db.transaction().execute((trx) => enqueueJob(trx, slowJob, { key: 'taken' }));
    const frozen = workerWith(60_000);
    const running = frozen.drain();
    await until(() => release.has('taken'));
    // What a takeover leaves behind: the job claimed by someone else (as after a lease ran out).
    await database.handle.db.updateTable('jobs').set({ claimed_by: 'another-node:1:1', attempts: 2 }).where('id', '=', id).execute();
    release.get('taken')!();
    await running;
    expect(await effects('taken')).toEqual([]);
    expect(await job(id)).toMatchObject({ status: 'running', claimed_by: 'another-node:1:1' });
  });
});
