import path from 'node:path';
import { benchDatabase, load, median, ownerToken, row, send, startProcess, type RunningServer } from './lib.js';

const serverScript = path.resolve('server/src/main.ts');

function request(server: RunningServer, token: string, method: string, route: string, body?: unknown) {
  return send(server.url + route, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
}

const valuesCsv = (rows: number, prefix: string) => ['email,name,revenue to date,orders,expected future value', ...Array.from({ length: rows }, (_, index) => `${prefix}${index}@example.com,Customer ${index},${(index * 37) % 5000}.50,${index % 40},${index % 700}`)].join('\r\n');

export interface EmpowermentBenchResult {
  dialect: 'sqlite' | 'postgres';
  rows: number;
  /** CSV import of new customers (creates each customer, its value and events; tiers recomputed once). */
  importRowsPerSecond: number;
  /** The same file again: every row unchanged. */
  reimportRowsPerSecond: number;
  /** Reference: the same number of customers created one request each, 32 concurrent clients. */
  apiCustomersPerSecond: number;
  /** Remedies granted within the limit (limit checked under the workspace lock), 32 concurrent clients. */
  grantsPerSecond: number;
  /** Reference: plain replies on the same tickets at the same concurrency. */
  repliesPerSecond: number;
  /** GET /api/v1/reports/empowerment over the granted remedies and resolved tickets. */
  reportMs: number;
}

/**
 * Customer value import, remedy grants and the empowerment report, over HTTP against a server in its
 * own process, each beside a reference measured in the same run (median of `rounds`).
 */
export async function benchEmpowerment(options: { rows: number; grants: number; rounds: number; dialects: Array<'sqlite' | 'postgres'> }): Promise<EmpowermentBenchResult[]> {
  console.log(`\nEmpowerment: CSV import of ${options.rows} customers, ${options.grants} remedy grants (32 concurrent clients), report (median of ${options.rounds} rounds)`);
  const results: EmpowermentBenchResult[] = [];
  for (const dialect of options.dialects) {
    const rounds: EmpowermentBenchResult[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const database = await benchDatabase(dialect);
      const server = await startProcess(serverScript, database.environment);
      try {
        const token = await ownerToken(server);
        // No limits for the owner by default; the bench measures the check and the lock, not approvals.
        const csv = valuesCsv(options.rows, 'import');
        let started = performance.now();
        const imported = await request(server, token, 'POST', '/api/v1/customers/import', { csv });
        if (imported.status !== 200) throw new Error(`import answered ${imported.status}`);
        const importSeconds = (performance.now() - started) / 1000;
        started = performance.now();
        await request(server, token, 'POST', '/api/v1/customers/import', { csv });
        const reimportSeconds = (performance.now() - started) / 1000;
        const api = await load(32, options.rows, async (index) => (await request(server, token, 'POST', '/api/v1/customers', { name: `Api ${index}`, email: `api${index}@example.com` })).status === 201);

        const tickets: string[] = [];
        for (let index = 0; index < 100; index++) {
          const created = await request(server, token, 'POST', '/api/v1/tickets', { subject: `Broken ${index}`, customer: { email: `import${index}@example.com` }, message: { text: 'It broke.' } });
          tickets.push((JSON.parse(created.body) as { id: string }).id);
        }
        const grants = await load(32, options.grants, async (index) => (await request(server, token, 'POST', `/api/v1/tickets/${tickets[index % tickets.length]}/remedies`, { type: 'credit', value: 5, note: `bench ${index}` })).status === 201);
        const replies = await load(32, options.grants, async (index) => (await request(server, token, 'POST', `/api/v1/tickets/${tickets[index % tickets.length]}/messages`, { kind: 'outbound', text: `Reply ${index}` })).status === 201);
        for (const id of tickets.slice(0, 50)) await request(server, token, 'PATCH', `/api/v1/tickets/${id}`, { status: 'solved' });
        const reportTimes: number[] = [];
        for (let attempt = 0; attempt < 5; attempt++) {
          started = performance.now();
          JSON.parse((await request(server, token, 'GET', '/api/v1/reports/empowerment?groupBy=week')).body);
          reportTimes.push(performance.now() - started);
        }
        rounds.push({
          dialect,
          rows: options.rows,
          importRowsPerSecond: options.rows / importSeconds,
          reimportRowsPerSecond: options.rows / reimportSeconds,
          apiCustomersPerSecond: api.perSecond,
          grantsPerSecond: grants.perSecond,
          repliesPerSecond: replies.perSecond,
          reportMs: median(reportTimes),
        });
      } finally {
        await server.stop();
        await database.dispose();
      }
    }
    const middle = (pick: (result: EmpowermentBenchResult) => number) => median(rounds.map(pick));
    const result: EmpowermentBenchResult = {
      dialect,
      rows: options.rows,
      importRowsPerSecond: middle((item) => item.importRowsPerSecond),
      reimportRowsPerSecond: middle((item) => item.reimportRowsPerSecond),
      apiCustomersPerSecond: middle((item) => item.apiCustomersPerSecond),
      grantsPerSecond: middle((item) => item.grantsPerSecond),
      repliesPerSecond: middle((item) => item.repliesPerSecond),
      reportMs: middle((item) => item.reportMs),
    };
    row(`CSV import, new customers, on ${dialect}`, `${result.importRowsPerSecond.toFixed(0)} rows/s`, `re-import (unchanged) ${result.reimportRowsPerSecond.toFixed(0)} rows/s`);
    row(`reference: POST /api/v1/customers one by one on ${dialect}`, `${result.apiCustomersPerSecond.toFixed(0)} customers/s`);
    row(`remedies granted within the limit on ${dialect}`, `${result.grantsPerSecond.toFixed(0)} grants/s`);
    row(`reference: plain replies on the same tickets on ${dialect}`, `${result.repliesPerSecond.toFixed(0)} replies/s`);
    row(`empowerment report (by week) on ${dialect}`, `${result.reportMs.toFixed(0)} ms`, `over ${options.grants} remedies, 50 resolved tickets`);
    results.push(result);
  }
  return results;
}
