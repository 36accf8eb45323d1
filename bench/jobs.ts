import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, whenDurable, type Db } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { EventBus } from '../server/src/events/events.js';
import { enqueueJob, JobRegistry, type JobDefinition } from '../server/src/jobs/queue.js';
import { JobWorker } from '../server/src/jobs/worker.js';
import { ApiClient, setUpWorkspace } from '../server/test/client.js';
import { benchDatabase, benchEachDialect, percentile, row } from './lib.js';
import { QueryCounter } from './sla.js';

/**
 * The durable job queue, in-process against the real database code (claim, run, complete), with the
 * worker as the server runs it (its defaults: 16 units of work under way, batches of up to 32, 64
 * jobs in hand; default poll interval), timed until no due job is left:
 * - jobs completed per second with a no-op handler, and with the real SLA evaluation of a ticket
 *   (events replayed, business time, targets stored, timers set), each the median of `rounds`;
 * - the delay from a timer's due time to its handler starting, with `pendingTimers` timers waiting
 *   in the queue (most due hours later, `measuredTimers` due within the next 10 s);
 * - the reference beside them: single-row durable commits per second on the same database, the
 *   ceiling for anything that commits once per job.
 */
export interface JobsBenchResult {
  dialect: 'sqlite' | 'postgres';
  noop: JobsCost;
  sla: JobsCost;
  commitsPerSecond: number;
  pendingTimers: number;
  firingDelayMs: { p50: number; p99: number; max: number };
}

interface JobsCost {
  perSecond: number;
  statementsPerJob: number;
  cpuMillisecondsPerJob: number;
}

/** The round with the median rate. */
function medianRun(runs: JobsCost[]): JobsCost {
  return [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
}

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, fatal: () => undefined, trace: () => undefined, child: () => silent } as unknown as FastifyBaseLogger;

export async function measureJobs(options: { dialect: 'sqlite' | 'postgres'; jobs: number; rounds: number; tickets: number; pendingTimers: number; measuredTimers: number }): Promise<JobsBenchResult> {
  const database = await benchDatabase(options.dialect);
  const config = loadConfig({ RAVING_LOG_LEVEL: 'silent', RAVING_SMTP_PORT: '0', ...database.environment });
  const handle = openDatabase({ url: config.RAVING_DATABASE_URL, sqliteFile: path.join(config.RAVING_DATA_DIR, 'raving.db') });
  await migrateToLatest(handle);
  const registry = new JobRegistry();
  const { app } = await buildApp({ context: { config, database: handle, bus: new EventBus(), jobs: registry, secret: 'bench-secret-'.padEnd(48, 'x'), pokeWorker: () => undefined } });
  // The worker's statements are counted: round trips are what a job costs on PostgreSQL.
  const counter = new QueryCounter();
  const worker = (pollMilliseconds = config.RAVING_WORKER_POLL_MS) => new JobWorker({ db: handle.db.withPlugin(counter) as Db, dialect: handle.dialect, registry, log: silent, pollMilliseconds });
  try {
    const noop = registry.define({ type: 'bench.noop', version: 1, payload: z.object({ n: z.number() }), handle: async () => undefined });
    const enqueueMany = async <P extends z.ZodType>(definition: JobDefinition<P>, items: Array<{ payload: z.input<P>; runAt?: string; id?: string }>) => {
      for (let start = 0; start < items.length; start += 1000) {
        await handle.db.transaction().execute(async (trx) => {
          for (const item of items.slice(start, start + 1000)) await enqueueJob(trx, definition, item.payload, { runAt: item.runAt, id: item.id });
        });
      }
    };
    const unfinished = async () => Number((await handle.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('count')).where('status', 'in', ['queued', 'running']).where('run_at', '<=', new Date().toISOString()).executeTakeFirstOrThrow()).count);
    /**
     * Enqueues, then runs the worker as the server does until nothing due is left: jobs per second,
     * the worker's statements per job, and this process's CPU milliseconds per job (the worker's, plus
     * the bench's polling), which stay comparable when the machine is busy and the rate is not.
     */
    const timeRun = async (enqueue: () => Promise<void>, count: number): Promise<JobsCost> => {
      await enqueue();
      const running = worker();
      counter.reset();
      const cpu = process.cpuUsage();
      const started = performance.now();
      running.start();
      while ((await unfinished()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const seconds = (performance.now() - started) / 1000;
      await running.stop();
      const used = process.cpuUsage(cpu);
      return { perSecond: count / seconds, statementsPerJob: counter.queries / count, cpuMillisecondsPerJob: (used.user + used.system) / 1000 / count };
    };

    // A workspace with an SLA policy and tickets for the SLA evaluations to work on.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const { owner } = await setUpWorkspace(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    const token = (await owner.post('/api/v1/api-tokens', { name: 'Bench', scopes: ['write'] })).body.token as string;
    const client = new ApiClient(owner.baseUrl).withToken(token);
    await owner.post('/api/v1/sla-policies', { name: 'Standard', targets: { firstResponse: 60, nextResponse: 240, resolution: 2880 } });
    const ticketIds: string[] = [];
    for (let start = 0; start < options.tickets; start += 16) {
      const created = await Promise.all(Array.from({ length: Math.min(16, options.tickets - start) }, (_, index) => client.post('/api/v1/tickets', { subject: `Bench ${start + index}`, customer: { email: `bench${start + index}@example.com` }, message: { text: 'Where is my order?' } })));
      ticketIds.push(...created.map((response) => response.body.id as string));
    }
    await worker().drain();
    const workspaceId = (await handle.db.selectFrom('tickets').select('workspace_id').executeTakeFirstOrThrow()).workspace_id;
    const slaEvaluate = registry.get('sla.evaluate')!;

    const noopRuns: JobsCost[] = [];
    const slaRuns: JobsCost[] = [];
    for (let round = 0; round < options.rounds; round++) {
      noopRuns.push(await timeRun(() => enqueueMany(noop, Array.from({ length: options.jobs }, (_, n) => ({ payload: { n } }))), options.jobs));
      slaRuns.push(await timeRun(() => enqueueMany(slaEvaluate, Array.from({ length: options.jobs }, (_, n) => ({ payload: { workspaceId, ticketId: ticketIds[n % ticketIds.length]! }, id: `bench-sla-${round}-${n}` }))), options.jobs));
    }

    // Reference: one durable single-row commit after another, each awaited until on disk (on SQLite
    // a transaction returns before the grouped COMMIT, so whenDurable is what waits for the disk).
    await sql`CREATE TABLE bench_commits (id integer PRIMARY KEY, n integer NOT NULL)`.execute(handle.db);
    await sql`INSERT INTO bench_commits (id, n) VALUES (1, 0)`.execute(handle.db);
    const commitStarted = performance.now();
    const commits = 2000;
    for (let n = 0; n < commits; n++) {
      await handle.db.transaction().execute((trx) => sql`UPDATE bench_commits SET n = n + 1 WHERE id = 1`.execute(trx));
      await whenDurable(handle.db);
    }
    const commitsPerSecond = commits / ((performance.now() - commitStarted) / 1000);

    // Timers: most due in hours, the measured ones spread over the next 10 seconds.
    const delays: number[] = [];
    const timer = registry.define({
      type: 'bench.timer',
      version: 1,
      payload: z.object({ dueAt: z.string() }),
      handle: async (_job, payload) => {
        delays.push(Date.now() - Date.parse(payload.dueAt));
      },
    });
    const now = Date.now();
    const background = options.pendingTimers - options.measuredTimers;
    await enqueueMany(timer, Array.from({ length: background }, (_, n) => { const dueAt = new Date(now + 3_600_000 + n * 1000).toISOString(); return { payload: { dueAt }, runAt: dueAt }; }));
    const measuredStart = Date.now() + 2000;
    await enqueueMany(timer, Array.from({ length: options.measuredTimers }, (_, n) => { const dueAt = new Date(measuredStart + Math.floor((n * 10_000) / options.measuredTimers)).toISOString(); return { payload: { dueAt }, runAt: dueAt }; }));
    const pendingTimers = Number((await handle.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('count')).where('status', '=', 'queued').executeTakeFirstOrThrow()).count);
    const running = worker();
    running.start();
    while (delays.length < options.measuredTimers) await new Promise((resolve) => setTimeout(resolve, 100));
    await running.stop();
    const sorted = [...delays].sort((a, b) => a - b);
    return {
      dialect: options.dialect,
      noop: medianRun(noopRuns),
      sla: medianRun(slaRuns),
      commitsPerSecond,
      pendingTimers,
      firingDelayMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! },
    };
  } finally {
    await app.close();
    await handle.close();
    await database.dispose();
  }
}

/** Prints the job queue figures for each dialect; wired into `npm run bench` as the `jobs` scenario. */
export async function benchJobs(options: { dialects: Array<'sqlite' | 'postgres'>; quick: boolean }): Promise<JobsBenchResult[]> {
  return benchEachDialect(
    '\nDurable jobs: completed per second, and timer firing delay (targets: ≥ 2,000 jobs/s, p99 ≤ 1 s)',
    options.dialects,
    (dialect) => measureJobs({ dialect, jobs: options.quick ? 1000 : 5000, rounds: options.quick ? 1 : 3, tickets: options.quick ? 100 : 500, pendingTimers: 10_000, measuredTimers: options.quick ? 500 : 2000 }),
    (result) => {
      row('no-op jobs per second', result.noop.perSecond.toFixed(0), `reference: ${result.commitsPerSecond.toFixed(0)} single-row durable commits/s`);
      row('SLA evaluation jobs per second', result.sla.perSecond.toFixed(0));
      for (const [label, cost] of [['no-op', result.noop], ['SLA evaluation', result.sla]] as const) {
        row(`${label}: worker statements / CPU ms per job`, `${cost.statementsPerJob.toFixed(2)} / ${cost.cpuMillisecondsPerJob.toFixed(3)}`);
      }
      row(`timer firing delay at ${result.pendingTimers} pending: p50 / p99 (ms)`, `${result.firingDelayMs.p50} / ${result.firingDelayMs.p99}`, `max ${result.firingDelayMs.max} ms`);
    },
  );
}
