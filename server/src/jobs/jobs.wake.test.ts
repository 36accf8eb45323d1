import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../test/harness.js';
import { addMilliseconds, nowIso } from '../lib/ids.js';
import { enqueueJob, JobRegistry } from './queue.js';
import { JobWorker } from './worker.js';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as FastifyBaseLogger;

/**
 * An idle worker sleeps until the earliest queued job comes due, not a whole poll interval: a timer
 * due in a moment fires then, although the next poll is ten minutes away (were it to wait for the
 * poll, the test would run out of time).
 */
describeEachDialect('job worker wake-up', (dialect) => {
  let database: TestDatabase;
  const registry = new JobRegistry();
  const ran: string[] = [];
  const timer = registry.define({
    type: 'test.timer',
    version: 1,
    payload: z.object({ key: z.string() }),
    async handle(_job, payload) {
      ran.push(payload.key);
    },
  });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database.dispose());

  it('wakes when the earliest queued job comes due rather than at the next poll', async () => {
    await database.handle.db.transaction().execute(async (trx) => {
      await enqueueJob(trx, timer, { key: 'soon' }, { runAt: addMilliseconds(nowIso(), 300) });
      await enqueueJob(trx, timer, { key: 'later' }, { runAt: addMilliseconds(nowIso(), 3_600_000) });
    });
    const worker = new JobWorker({ db: database.handle.db, dialect, registry, log: quiet, pollMilliseconds: 600_000 });
    worker.start();
    try {
      while (!ran.includes('soon')) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await worker.stop();
    }
    expect(ran).toEqual(['soon']);
  });
});
