import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { benchDatabase, cpuMillisecondsOf, load, median, ownerToken, postgresUrl, row, send, startProcess, type RunningServer } from './lib.js';

const serverScript = path.resolve('server/src/main.ts');
const bareScript = path.resolve('bench/fixtures/bare-server.ts');

function ticketBody(index: number): string {
  return JSON.stringify({
    subject: `Order ${index} arrived damaged`,
    customer: { email: `customer${index % 2000}@example.com`, name: `Customer ${index % 2000}` },
    message: { text: `Hello, my order number ${index} arrived with a cracked lid. Can you send a replacement?` },
    tags: ['returns'],
  });
}

/** Server CPU milliseconds per request while `work` runs, or null where /proc is unavailable. */
async function serverCpuPerRequest<T>(server: RunningServer, requests: number, work: () => Promise<T>): Promise<{ result: T; cpu: number | null }> {
  const before = cpuMillisecondsOf(server.process.pid);
  const result = await work();
  const after = cpuMillisecondsOf(server.process.pid);
  return { result, cpu: before === null || after === null ? null : (after - before) / requests };
}

const cpuText = (values: Array<number | null>) => (values.every((value) => value !== null) ? `server CPU ${median(values as number[]).toFixed(2)} ms/request` : '');

async function createTickets(server: RunningServer, token: string, total: number) {
  const acknowledged: number[] = [];
  const result = await load(32, total, async (index) => {
    const response = await send(server.url + '/api/v1/tickets', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: ticketBody(index) });
    if (response.status === 201) acknowledged.push(index);
    return response.status === 201;
  });
  return { ...result, acknowledged: acknowledged.length };
}

async function countTickets(server: RunningServer, token: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const response = await send(`${server.url}/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const page = JSON.parse(response.body) as { items: unknown[]; nextCursor: string | null };
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

function rawSqliteInserts(file: string, total: number): number {
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.exec('CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, subject TEXT, body TEXT)');
  const insert = database.prepare('INSERT INTO raw (subject, body) VALUES (?, ?)');
  const started = performance.now();
  for (let index = 0; index < total; index++) insert.run(`Order ${index}`, ticketBody(index));
  const perSecond = total / ((performance.now() - started) / 1000);
  database.close();
  return perSecond;
}

async function rawPostgresInserts(environment: Record<string, string>, total: number): Promise<number> {
  const client = new pg.Client({ connectionString: environment.RAVING_DATABASE_URL });
  await client.connect();
  await client.query('CREATE TABLE raw (id bigserial PRIMARY KEY, subject text, body text)');
  const started = performance.now();
  for (let index = 0; index < total; index++) await client.query('INSERT INTO raw (subject, body) VALUES ($1, $2)', [`Order ${index}`, ticketBody(index)]);
  const perSecond = total / ((performance.now() - started) / 1000);
  await client.end();
  return perSecond;
}

/** Ticket creation over HTTP, 32 concurrent clients, beside a bare Fastify handler and raw inserts. */
export async function benchTicketCreation(options: { total: number; rounds: number; dialects: Array<'sqlite' | 'postgres'> }): Promise<void> {
  console.log(`\nTicket creation over HTTP (32 concurrent clients, ${options.total} tickets per round, median of ${options.rounds} rounds)`);
  const bareRates: number[] = [];
  const bareCpu: Array<number | null> = [];
  for (let round = 0; round < options.rounds; round++) {
    const bare = await startProcess(bareScript, {});
    const { result, cpu } = await serverCpuPerRequest(bare, options.total, () => load(32, options.total, async (index) => (await send(bare.url + '/api/v1/tickets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ticketBody(index) })).status === 201));
    bareRates.push(result.perSecond);
    bareCpu.push(cpu);
    await bare.stop();
  }
  row('reference: bare Fastify handler', `${median(bareRates).toFixed(0)} req/s`, cpuText(bareCpu));
  for (const dialect of options.dialects) {
    const rates: number[] = [];
    const cpus: Array<number | null> = [];
    const p95s: number[] = [];
    const rawRates: number[] = [];
    let lost = 0;
    for (let round = 0; round < options.rounds; round++) {
      const database = await benchDatabase(dialect);
      const server = await startProcess(serverScript, database.environment);
      const token = await ownerToken(server);
      const { result, cpu } = await serverCpuPerRequest(server, options.total, () => createTickets(server, token, options.total));
      cpus.push(cpu);
      rates.push(result.perSecond);
      p95s.push(result.p95);
      lost += result.acknowledged - (await countTickets(server, token));
      await server.stop();
      rawRates.push(dialect === 'sqlite' ? rawSqliteInserts(path.join(database.environment.RAVING_DATA_DIR!, 'raw.db'), Math.min(options.total, 3000)) : await rawPostgresInserts(database.environment, Math.min(options.total, 3000)));
      await database.dispose();
    }
    row(`Raving POST /api/v1/tickets on ${dialect}`, `${median(rates).toFixed(0)} tickets/s`, [cpuText(cpus), `p95 ${median(p95s).toFixed(1)} ms`, `acknowledged but missing: ${lost}`].filter(Boolean).join('; '));
    row(`reference: raw single-row insert loop on ${dialect} (durable commits)`, `${median(rawRates).toFixed(0)} rows/s`);
  }
}

export { postgresUrl };
