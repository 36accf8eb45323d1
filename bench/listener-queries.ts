import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Dialect } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { EventBus } from '../server/src/events/events.js';
import { JobRegistry } from '../server/src/jobs/queue.js';
import { benchDatabase, row } from './lib.js';

/** Counts the statements Kysely sends, by kind and table, so a listener's cost per request shows up by name. */
export class StatementCounter implements KyselyPlugin {
  readonly counts = new Map<string, number>();
  isCounting = false;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (!this.isCounting) return args.node;
    const key = `${args.node.kind.replace('QueryNode', '').toLowerCase()} ${tableOf(args.node)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }
}

function tableOf(node: RootOperationNode): string {
  const named = (table: unknown) => (table as { table?: { identifier?: { name?: string } } } | undefined)?.table?.identifier?.name;
  if (node.kind === 'SelectQueryNode' || node.kind === 'DeleteQueryNode') return (node.from?.froms ?? []).map(named).filter(Boolean).join(',') || '(raw)';
  if (node.kind === 'InsertQueryNode') return named(node.into) ?? '(raw)';
  if (node.kind === 'UpdateQueryNode') return named(node.table) ?? '(raw)';
  return '(raw)';
}

/**
 * Statements per POST /api/v1/tickets in a workspace with no webhooks, rules or routing configured
 * (the bench's workspace), counted in process; the worker does not run, so only the request's own
 * statements (its transaction and its listeners) are counted.
 */
export async function benchQueriesPerTicket(options: { total: number; dialects: Dialect[] }): Promise<void> {
  console.log(`\nStatements per ticket creation (${options.total} tickets, worker stopped)`);
  for (const dialect of options.dialects) {
    const database = await benchDatabase(dialect);
    const handle = openDatabase({ url: database.environment.RAVING_DATABASE_URL, sqliteFile: path.join(database.environment.RAVING_DATA_DIR!, 'raving.db') });
    await migrateToLatest(handle);
    const counter = new StatementCounter();
    // Whole-app counting instance; whenDurable does not know it, which only matters for crash safety, not here.
    Object.assign(handle, { db: handle.db.withPlugin(counter) });
    const config = loadConfig({ ...database.environment, RAVING_SMTP_PORT: '0', RAVING_LOG_LEVEL: 'silent' });
    const { app } = await buildApp({ context: { config, database: handle, bus: new EventBus(), jobs: new JobRegistry(), secret: 'bench-secret-'.padEnd(48, 'x'), pokeWorker: () => undefined } });
    const setup = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { workspaceName: 'Bench', ownerName: 'Bench Owner', email: 'bench@bench.example', password: 'bench-password-123' } });
    const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = setup.json<{ csrfToken: string }>();
    const { token } = (await app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: { cookie, 'x-csrf-token': csrfToken }, payload: { name: 'bench', scopes: ['write'] } })).json<{ token: string }>();
    // Counting starts only now, so setup statements stay out of the figure.
    counter.isCounting = true;
    for (let index = 0; index < options.total; index++) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${token}` }, payload: { subject: `Order ${index}`, customer: { email: `customer${index % 50}@example.com` }, message: { text: 'The lid arrived cracked.' }, tags: ['returns'] } });
      if (response.statusCode !== 201) throw new Error(`POST /api/v1/tickets answered ${response.statusCode}: ${response.body}`);
    }
    row(`statements per POST /api/v1/tickets on ${dialect}`, (counter.total() / options.total).toFixed(1));
    for (const [key, count] of [...counter.counts].sort((a, b) => b[1] - a[1])) row(`  ${key}`, (count / options.total).toFixed(2));
    await app.close();
    await handle.close();
    await database.dispose();
  }
}
