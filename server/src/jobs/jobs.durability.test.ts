import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../test/harness.js';
import { enqueueJob, type JobDefinition } from './queue.js';

const fixture = path.resolve('server/test/fixtures/job-worker.ts');
// Only the type, version and payload matter to enqueue; the handler lives in the fixture process.
const effectJob: JobDefinition<z.ZodObject<{ n: z.ZodNumber }>> = { type: 'fixture.effect', version: 1, payload: z.object({ n: z.number() }), maxAttempts: 3, handle: async () => undefined };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMilliseconds = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeEachDialect('jobs survive a killed worker', (dialect) => {
  let database: TestDatabase;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database.dispose();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, ...database.environment, FIXTURE_LEASE_MS: '1000', FIXTURE_JOB_MS: '30' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return child;
  }
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  const effects = async () => Number((await sql<{ count: number }>`SELECT count(*) AS count FROM fixture_job_effects`.execute(database.handle.db)).rows[0]!.count);
  const jobsIn = async (status: 'queued' | 'running' | 'done' | 'failed') => Number((await database.handle.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('count')).where('type', '=', 'fixture.effect').where('status', '=', status).executeTakeFirstOrThrow()).count);

  it('SIGKILL while 200 jobs are due, then a restart: every job completes, none twice in effect', async () => {
    const { db } = database.handle;
    const ids: string[] = [];
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < 200; n++) ids.push(await enqueueJob(trx, effectJob, { n }));
    });

    // Kill while the worker holds jobs (claimed, not finished), so their lease has to run out. A
    // kill can land just after a batch finished and before the next claim; then we kill again later.
    let doneAtKill = 0;
    let runningAtKill: Array<{ id: string }> = [];
    for (let threshold = 50; runningAtKill.length === 0 && threshold < 150; threshold += 25) {
      const worker = startWorker();
      await waitFor('the worker to finish some jobs and hold others', async () => ((await effects()) >= threshold && (await jobsIn('running')) > 0 ? true : undefined));
      worker.kill('SIGKILL');
      await exited(worker);
      // PostgreSQL may still run a COMMIT the dead process had already sent: wait until nothing moves.
      await waitFor('the database to settle', async () => {
        const before = `${await jobsIn('done')}/${await effects()}`;
        await new Promise((resolve) => setTimeout(resolve, 150));
        return before === `${await jobsIn('done')}/${await effects()}` ? true : undefined;
      });
      doneAtKill = await jobsIn('done');
      runningAtKill = await db.selectFrom('jobs').select('id').where('type', '=', 'fixture.effect').where('status', '=', 'running').execute();
    }
    expect(doneAtKill).toBeGreaterThanOrEqual(50);
    expect(doneAtKill).toBeLessThan(200);
    expect(runningAtKill.length).toBeGreaterThan(0);
    expect(await effects()).toBe(doneAtKill);

    const second = startWorker();
    await waitFor('every job to finish', async () => ((await jobsIn('queued')) + (await jobsIn('running')) === 0 ? true : undefined), 60_000);
    second.kill('SIGTERM');
    await exited(second);

    expect(await jobsIn('failed')).toBe(0);
    expect(await jobsIn('done')).toBe(200);
    const rows = (await sql<{ job_id: string }>`SELECT job_id FROM fixture_job_effects`.execute(db)).rows;
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((row) => row.job_id))).toEqual(new Set(ids));
    // The jobs the dead worker held came back once their lease ran out, and ran again exactly once in effect.
    const reclaimed = await db.selectFrom('jobs').select(['id', 'attempts']).where('id', 'in', runningAtKill.map((job) => job.id)).execute();
    expect(reclaimed.every((job) => job.attempts >= 2)).toBe(true);
  }, 120_000);
});
