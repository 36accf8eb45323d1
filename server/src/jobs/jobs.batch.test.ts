import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../test/harness.js';
import type { Tx } from '../db/database.js';
import { enqueueJob, JobRegistry } from './queue.js';
import { JobWorker } from './worker.js';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as FastifyBaseLogger;

/**
 * Jobs of a type with `handleBatch` that are claimed together run as one unit: their done marks and
 * their effect commit together, a job taken over by another worker is left out, and a batch that
 * fails falls back to running each job alone, so only the bad job retries or fails.
 */
describeEachDialect('job batches', (dialect) => {
  let database: TestDatabase;
  const registry = new JobRegistry();
  const batchSizes: number[] = [];
  let gate: Promise<void> | undefined;
  const insertEffects = async (trx: Tx, keys: string[], via: string) => {
    for (const key of keys) await sql`INSERT INTO test_batch_effects (key, via) VALUES (${key}, ${via})`.execute(trx);
  };
  const batched = registry.define({
    type: 'test.batched',
    version: 1,
    payload: z.object({ key: z.string(), fail: z.boolean().default(false) }),
    maxAttempts: 1,
    async handle(job, payload) {
      if (payload.fail) throw new Error(`job ${payload.key} cannot be done`);
      await job.complete((trx) => insertEffects(trx, [payload.key], 'alone'));
    },
    async handleBatch(batch) {
      await gate;
      await batch.complete(async (trx, payloads) => {
        batchSizes.push(payloads.length);
        if (payloads.some((payload) => payload.fail)) throw new Error('a job of the batch cannot be done');
        await insertEffects(
          trx,
          payloads.map((payload) => payload.key),
          'batch',
        );
      });
    },
  });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // The key is the primary key: an effect recorded twice would fail the insert.
    await sql`CREATE TABLE test_batch_effects (key text PRIMARY KEY, via text NOT NULL)`.execute(database.handle.db);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    batchSizes.length = 0;
    gate = undefined;
    await sql`DELETE FROM test_batch_effects`.execute(database.handle.db);
    await database.handle.db.deleteFrom('jobs').where('type', '=', 'test.batched').execute();
  });

  const enqueue = (payloads: Array<{ key: string; fail?: boolean }>) =>
    database.handle.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (const payload of payloads) ids.push(await enqueueJob(trx, batched, payload));
      return ids;
    });
  const jobs = () => database.handle.db.selectFrom('jobs').select(['id', 'status', 'attempts', 'last_error', 'claimed_by']).where('type', '=', 'test.batched').execute();
  const effects = async () => (await sql<{ key: string; via: string }>`SELECT key, via FROM test_batch_effects ORDER BY key`.execute(database.handle.db)).rows;
  const keys = (count: number, prefix: string) => Array.from({ length: count }, (_, n) => ({ key: `${prefix}${String(n).padStart(2, '0')}` }));
  const worker = () => new JobWorker({ db: database.handle.db, dialect, registry, log: quiet, pollMilliseconds: 10_000, concurrency: 16 });

  it('runs jobs claimed together in batches of up to the batch size, each effect once', async () => {
    await enqueue(keys(80, 'a'));
    expect(await worker().drain()).toBe(80);
    expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(80);
    expect(Math.max(...batchSizes)).toBe(32);
    expect((await jobs()).filter((job) => job.status !== 'done' || job.attempts !== 1)).toEqual([]);
    const recorded = await effects();
    expect(recorded).toHaveLength(80);
    expect(recorded.every((effect) => effect.via === 'batch')).toBe(true);
  });

  it('runs at most `concurrency` units at once; the other jobs claimed wait in hand, leased to this worker', async () => {
    const started: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const single = registry.define({
      type: 'test.single',
      version: 1,
      payload: z.object({ key: z.string() }),
      async handle(_job, payload) {
        started.push(payload.key);
        await gate;
      },
    });
    await database.handle.db.transaction().execute(async (trx) => {
      for (const { key } of keys(5, 'u')) await enqueueJob(trx, single, { key });
    });
    const narrow = new JobWorker({ db: database.handle.db, dialect, registry, log: quiet, pollMilliseconds: 10_000, concurrency: 2 });
    const running = narrow.drain();
    const claimed = () => database.handle.db.selectFrom('jobs').select(['status', 'claimed_by']).where('type', '=', 'test.single').execute();
    while ((await claimed()).some((job) => job.status !== 'running') || started.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    // Every job is claimed by this worker, but only two have started; the others wait for a unit.
    expect((await claimed()).every((job) => job.claimed_by === narrow.id)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toHaveLength(2);
    open();
    expect(await running).toBe(5);
    expect(started.sort()).toEqual(keys(5, 'u').map(({ key }) => key));
    expect((await claimed()).every((job) => job.status === 'done')).toBe(true);
  });

  it('runs each job of a failed batch alone: the others complete, only the bad one fails', async () => {
    const ids = await enqueue([...keys(5, 'b'), { key: 'bad', fail: true }]);
    expect(await worker().drain()).toBe(6);
    const byId = new Map((await jobs()).map((job) => [job.id, job]));
    expect(byId.get(ids[5]!)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'job bad cannot be done' });
    expect(ids.slice(0, 5).map((id) => byId.get(id)!.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(await effects()).toEqual(keys(5, 'b').map(({ key }) => ({ key, via: 'alone' })));
  });

  it('leaves out of the batch a job that another worker took over', async () => {
    const ids = await enqueue(keys(4, 'c'));
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const running = worker().drain();
    while ((await jobs()).some((job) => job.status !== 'running')) await new Promise((resolve) => setTimeout(resolve, 5));
    // What a takeover leaves behind: the job claimed by someone else (as after a lease ran out).
    await database.handle.db.updateTable('jobs').set({ claimed_by: 'another-node:1:1', attempts: 2 }).where('id', '=', ids[0]!).execute();
    open();
    await running;
    expect(batchSizes).toEqual([3]);
    expect((await effects()).map((effect) => effect.key)).toEqual(['c01', 'c02', 'c03']);
    const taken = (await jobs()).find((job) => job.id === ids[0]);
    expect(taken).toMatchObject({ status: 'running', claimed_by: 'another-node:1:1' });
  });
});
