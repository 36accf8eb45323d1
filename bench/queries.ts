import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { EventBus, inUnitOfWork } from '../server/src/events/events.js';
import { generateDemoData } from '../server/src/modules/demo/index.js';
import { runFirstSetup } from '../server/src/modules/workspaces/index.js';
import { benchDatabase, percentile, row, startProcess } from './lib.js';

const ownerEmail = 'bench@bench.example';
const ownerPassword = 'bench-password-123';

async function timed(requests: number, send: (index: number) => Promise<void>) {
  const latencies: number[] = [];
  for (let index = 0; index < requests; index++) {
    const started = performance.now();
    await send(index);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`;
}

/** Inbox list and full-text search latency over HTTP at a given ticket count, beside the bare SQL. */
export async function benchQueries(options: { tickets: number; dialects: Array<'sqlite' | 'postgres'> }): Promise<void> {
  console.log(`\nInbox list (50 open tickets, newest activity first) and search at ${options.tickets.toLocaleString('en')} tickets (sequential requests)`);
  for (const dialect of options.dialects) {
    const database = await benchDatabase(dialect);
    const handle = openDatabase({ url: database.environment.RAVING_DATABASE_URL, sqliteFile: path.join(database.environment.RAVING_DATA_DIR!, 'raving.db') });
    await migrateToLatest(handle);
    const bus = new EventBus();
    const setup = await inUnitOfWork(handle.db, bus, (uow) => runFirstSetup(uow, bus, handle.dialect, { workspaceName: 'Bench', timeZone: 'UTC', ownerName: 'Bench', email: ownerEmail, password: ownerPassword }));
    const generationStarted = performance.now();
    await generateDemoData(handle, { workspaceId: setup.workspaceId, ownerStaffId: setup.staffId, tickets: options.tickets, seed: 7 });
    const generationSeconds = (performance.now() - generationStarted) / 1000;
    await handle.close();
    row(`generated on ${dialect} (demo generator)`, `${(options.tickets / generationSeconds).toFixed(0)} tickets/s`);

    const server = await startProcess(path.resolve('server/src/main.ts'), { ...database.environment, RAVING_WORKER: '0' });
    const signIn = await fetch(server.url + '/api/v1/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ownerEmail, password: ownerPassword }) });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const get = async (pathAndQuery: string) => {
      const response = await fetch(server.url + pathAndQuery, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status}`);
      await response.arrayBuffer();
    };
    await get('/api/v1/tickets?statusCategory=new,open&limit=50');
    row(`GET /api/v1/tickets?statusCategory=new,open&limit=50 (${dialect})`, await timed(200, () => get('/api/v1/tickets?statusCategory=new,open&limit=50')));
    const words = ['refund', 'checkout times', 'parcel', 'invoice vat', 'cracked lamp', 'customer 42'];
    row(`GET /api/v1/search?q=… (${dialect}, ${words.length} queries in turn)`, await timed(120, (index) => get(`/api/v1/search?q=${encodeURIComponent(words[index % words.length]!)}`)));
    await server.stop();

    const listSql = `SELECT * FROM tickets WHERE workspace_id = $1 AND status_category IN ('new', 'open') ORDER BY updated_at DESC, id DESC LIMIT 51`;
    if (dialect === 'sqlite') {
      const sqlite = new BetterSqlite3(path.join(database.environment.RAVING_DATA_DIR!, 'raving.db'));
      const statement = sqlite.prepare(listSql.replace('$1', '?'));
      row('reference: the same list query in bare SQLite', await timed(200, async () => void statement.all(setup.workspaceId)));
      sqlite.close();
    } else {
      const client = new pg.Client({ connectionString: database.environment.RAVING_DATABASE_URL });
      await client.connect();
      row('reference: the same list query in bare PostgreSQL', await timed(200, async () => void (await client.query(listSql, [setup.workspaceId]))));
      await client.end();
    }
    await database.dispose();
  }
}
