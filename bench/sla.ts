import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Db } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { EventBus, inUnitOfWork } from '../server/src/events/events.js';
import { JobRegistry } from '../server/src/jobs/queue.js';
import { JobWorker } from '../server/src/jobs/worker.js';
import { EvaluatePayload, refreshTicketsSla } from '../server/src/modules/sla/sla.service.js';
import type { JobDefinition } from '../server/src/jobs/queue.js';
import { ApiClient, setUpWorkspace } from '../server/test/client.js';
import { benchDatabase, benchEachDialect, median, row } from './lib.js';

/**
 * SLA evaluation as the `sla.evaluate` job runs it (in a transaction: read the tickets, their events
 * and stored clocks, evaluate, write what moved), called back to back on one connection without the
 * queue around it, so the figure is the evaluation's own cost: one ticket per transaction (a lone
 * job), and 32 per transaction (a batch of timers claimed together, as the worker runs them under
 * load). Queries are counted and timed (from compiling to the result) by a Kysely plugin; the rest
 * of the time is our CPU.
 */
export interface SlaBenchResult {
  dialect: 'sqlite' | 'postgres';
  single: SlaEvaluationCost;
  batched: SlaEvaluationCost;
}

interface SlaEvaluationCost {
  evaluationsPerSecond: number;
  queriesPerEvaluation: number;
  queryMillisecondsPerEvaluation: number;
  millisecondsPerEvaluation: number;
  /** This process's CPU (ours, and SQLite's, which runs in it), comparable when the machine is busy. */
  cpuMillisecondsPerEvaluation: number;
}

/** Counts the statements run through a Kysely instance and the time from compiling each to its result. */
export class QueryCounter implements KyselyPlugin {
  queries = 0;
  milliseconds = 0;
  private readonly started = new WeakMap<object, number>();

  reset(): void {
    this.queries = 0;
    this.milliseconds = 0;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries++;
    this.started.set(args.queryId, performance.now());
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.milliseconds += performance.now() - (this.started.get(args.queryId) ?? performance.now());
    return args.result;
  }
}

/** The worker's default batch size. */
const batchSize = 32;

export async function measureSla(options: { dialect: 'sqlite' | 'postgres'; tickets: number; evaluations: number; rounds: number }): Promise<SlaBenchResult> {
  const database = await benchDatabase(options.dialect);
  const config = loadConfig({ RAVING_LOG_LEVEL: 'silent', RAVING_SMTP_PORT: '0', ...database.environment });
  const handle = openDatabase({ url: config.RAVING_DATABASE_URL, sqliteFile: path.join(config.RAVING_DATA_DIR, 'raving.db') });
  await migrateToLatest(handle);
  const registry = new JobRegistry();
  const bus = new EventBus();
  const { app } = await buildApp({ context: { config, database: handle, bus, jobs: registry, secret: 'bench-secret-'.padEnd(48, 'x'), pokeWorker: () => undefined } });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const { owner, workspaceId } = await setUpWorkspace(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    const token = (await owner.post('/api/v1/api-tokens', { name: 'Bench', scopes: ['write'] })).body.token as string;
    const client = new ApiClient(owner.baseUrl).withToken(token);
    await owner.post('/api/v1/sla-policies', { name: 'Standard', targets: { firstResponse: 60, nextResponse: 240, resolution: 2880 } });
    const ticketIds: string[] = [];
    for (let n = 0; n < options.tickets; n++) {
      const created = await client.post('/api/v1/tickets', { subject: `Bench ${n}`, customer: { email: `bench${n}@example.com` }, message: { text: 'Where is my order?' } });
      ticketIds.push(created.body.id as string);
    }
    await new JobWorker({ db: handle.db, dialect: handle.dialect, registry, log: app.log, pollMilliseconds: 50 }).drain();

    const counter = new QueryCounter();
    const db = handle.db.withPlugin(counter) as Db;
    const services = { bus, dialect: handle.dialect, evaluateJob: registry.get('sla.evaluate') as unknown as JobDefinition<typeof EvaluatePayload> };
    const measure = async (perTransaction: number): Promise<SlaEvaluationCost> => {
      const rates: number[] = [];
      let cost = { queries: 0, queryMs: 0, ms: 0, cpuMs: 0 };
      for (let round = 0; round < options.rounds; round++) {
        counter.reset();
        const cpu = process.cpuUsage();
        const begin = performance.now();
        for (let n = 0; n < options.evaluations; n += perTransaction) {
          const tickets = Array.from({ length: perTransaction }, (_, index) => ({ workspaceId, ticketId: ticketIds[(n + index) % ticketIds.length]! }));
          await inUnitOfWork(db, bus, (uow) => refreshTicketsSla(uow, services, tickets, Date.now()));
        }
        const elapsed = performance.now() - begin;
        const used = process.cpuUsage(cpu);
        rates.push(options.evaluations / (elapsed / 1000));
        cost = { queries: counter.queries / options.evaluations, queryMs: counter.milliseconds / options.evaluations, ms: elapsed / options.evaluations, cpuMs: (used.user + used.system) / 1000 / options.evaluations };
      }
      return { evaluationsPerSecond: median(rates), queriesPerEvaluation: cost.queries, queryMillisecondsPerEvaluation: cost.queryMs, millisecondsPerEvaluation: cost.ms, cpuMillisecondsPerEvaluation: cost.cpuMs };
    };
    return { dialect: options.dialect, single: await measure(1), batched: await measure(batchSize) };
  } finally {
    await app.close();
    await handle.close();
    await database.dispose();
  }
}

/** Prints one SLA evaluation's cost per dialect; the `sla` scenario of `npm run bench`. */
export async function benchSla(options: { dialects: Array<'sqlite' | 'postgres'>; quick: boolean }): Promise<SlaBenchResult[]> {
  return benchEachDialect(
    '\nSLA evaluation on its own, one after another (its share of the ≥ 2,000 jobs/s target)',
    options.dialects,
    (dialect) => measureSla({ dialect, tickets: options.quick ? 50 : 200, evaluations: options.quick ? 2000 : 10_000, rounds: options.quick ? 1 : 3 }),
    (result) => {
      for (const [label, cost] of [['one per transaction', result.single], [`${batchSize} per transaction`, result.batched]] as const) {
        row(`evaluations per second, ${label}`, cost.evaluationsPerSecond.toFixed(0), `CPU ${cost.cpuMillisecondsPerEvaluation.toFixed(3)} ms per evaluation`);
        row(`queries per evaluation, ${label}`, cost.queriesPerEvaluation.toFixed(2), `${cost.queryMillisecondsPerEvaluation.toFixed(3)} ms in queries of ${cost.millisecondsPerEvaluation.toFixed(3)} ms`);
      }
    },
  );
}
