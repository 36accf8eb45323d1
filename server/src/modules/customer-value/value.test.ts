import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { csvCell, parseCsv } from './csv.js';

describe('csv', () => {
  it('reads BOM, quotes, embedded newlines and CRLF, and reports a broken record by line', () => {
    const parsed = parseCsv('\uFEFFemail,name\r\na@x.io,"Smith, ""Jo"""\r\nb@x.io,"two\nlines"\nc@x.io,"bad"tail\n\n');
    expect(parsed.records.map((record) => record.cells)).toEqual([['email', 'name'], ['a@x.io', 'Smith, "Jo"'], ['b@x.io', 'two\nlines']]);
    expect(parsed.errors).toEqual([{ line: 5, message: expect.stringContaining('closing quote') }]);
    expect(parseCsv('a\n"never closed').errors[0]!.line).toBe(2);
  });

  it('neutralises formulas when writing', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-5)).toBe('-5');
  });
});

describeEachDialect('customer value', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  /** The test client always sends JSON; a spreadsheet export arrives as text/csv. */
  async function postCsv(body: string): Promise<{ status: number; body: any }> {
    const token = await owner.post('/api/v1/api-tokens', { name: 'import', scopes: ['write'] });
    const response = await fetch(`${server.url}/api/v1/customers/import`, { method: 'POST', headers: { authorization: `Bearer ${token.body.token}`, 'content-type': 'text/csv; charset=utf-8' }, body });
    return { status: response.status, body: await response.json() };
  }

  it('imports values from hostile CSV, reports bad rows by line, and is idempotent on email', async () => {
    const csv = [
      '\uFEFFEmail,Name,Revenue to date,Orders,Expected future value',
      'ana@example.com,Ana,"1,200.50",3,800',
      'BEN@example.com,"=cmd|\' /C calc\'!A0",100,1,0',
      'not-an-email,X,1,1,1',
      'cy@example.com,Cy,-5,1,1',
      'dee@example.com,Dee,$50,2,',
      ...Array.from({ length: 6 }, (_, index) => `filler${index}@example.com,F${index},${index},0,0`),
      'ANA@example.com,Ana again,1,1,1',
    ].join('\r\n');
    const first = await postCsv(csv);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 12, created: 9, updated: 0, unchanged: 0 });
    expect(first.body.errors.map((error: { line: number }) => error.line)).toEqual([4, 5, 13]);
    // The same email twice is ambiguous: the first row counts and the second is reported, not silently applied.
    expect(first.body.errors[2].message).toBe('ana@example.com is already on line 2; this row was skipped');
    const again = await owner.post('/api/v1/customers/import', { csv });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 9 });

    const ana = (await owner.get('/api/v1/customers?email=ana@example.com')).body.items[0];
    expect(ana).toMatchObject({ lifetimeValue: 2000.5, tier: 'best' });
    const value = await agent.get(`/api/v1/customers/${ana.id}/value`);
    expect(value.body).toMatchObject({ revenueToDate: 1200.5, orders: 3, expectedFutureValue: 800, lifetimeValue: 2000.5, tier: 'best', source: 'import' });

    const exported = await owner.get('/api/v1/customers/values/export');
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(exported.body).toContain(`,'=cmd|' /C calc'!A0,`);

    const garbage = await postCsv('name\r\nno email column');
    expect(garbage.status).toBe(400);
    const empty = await postCsv('');
    expect(empty.status).toBe(400);
    // Too big to take in one request, or too many rows: refused whole, with a clear problem, and nothing imported.
    const before = (await owner.get('/api/v1/customers/values/export')).body;
    const tooBig = await postCsv('email,name\r\n' + `huge@example.com,${'x'.repeat(17 * 1024 * 1024)}\r\n`);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ code: 'payload_too_large' });
    const tooMany = await postCsv('email\r\n' + Array.from({ length: 50_001 }, (_, index) => `many${index}@example.com`).join('\r\n'));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toContain('At most 50000 rows');
    expect((await owner.get('/api/v1/customers/values/export')).body).toBe(before);
    const forbidden = await agent.post('/api/v1/customers/import', { csv });
    expect(forbidden.status).toBe(403);
  });

  it('sets value through the API, moves tiers with events, and computes cost to serve from handle time', async () => {
    const ben = (await owner.get('/api/v1/customers?email=ben@example.com')).body.items[0];
    const set = await agent.request('PUT', `/api/v1/customers/${ben.id}/value`, { revenueToDate: 5000, orders: 10, expectedFutureValue: 1000 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ lifetimeValue: 6000, tier: 'best' });
    const ana = (await owner.get('/api/v1/customers?email=ana@example.com')).body.items[0];
    // 10 customers, top 10% rounded up = 1: Ben took Ana's place.
    expect(ana.tier).toBe('standard');
    const audit = await server.context.database.db.selectFrom('events').select(['type', 'subject_id', 'payload']).where('type', '=', 'customer.tier_changed').execute();
    expect(audit.filter((event) => event.subject_id === ana.id).map((event) => JSON.parse(event.payload).to)).toEqual(['best', 'standard']);

    const ticket = await agent.post('/api/v1/tickets', { subject: 'Help', customer: { id: ben.id } });
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/handle-time`, { seconds: 1800 })).body).toMatchObject({ recordedSeconds: 1800, isRunning: false });
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/handle-time`, { action: 'start' })).body.isRunning).toBe(true);
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/handle-time`, { action: 'stop' })).body.isRunning).toBe(false);
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/handle-time`, { action: 'stop' })).status).toBe(409);
    const value = await agent.get(`/api/v1/customers/${ben.id}/value`);
    // 30 minutes (plus the ~1 s timer) at the default 30/hour.
    expect(value.body.handleCost).toBeGreaterThanOrEqual(15);
    expect(value.body.handleCost).toBeLessThan(15.1);
    expect(value.body.costToServe).toBe(value.body.handleCost);
    // Remedies granted add to it: handle time × hourly cost + remedies.
    await owner.request('PUT', '/api/v1/empowerment/settings', { hourlyCost: 60 });
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/remedies`, { type: 'credit', value: 12.5 })).body.outcome).toBe('granted');
    const withRemedy = (await agent.get(`/api/v1/customers/${ben.id}/value`)).body;
    expect(withRemedy).toMatchObject({ remediesGranted: 12.5, handleCost: Math.round((withRemedy.handleSeconds / 3600) * 60 * 100) / 100 });
    expect(withRemedy.costToServe).toBeCloseTo(withRemedy.handleCost + 12.5, 2);
    await owner.request('PUT', '/api/v1/empowerment/settings', { hourlyCost: 30 });
    expect((await agent.request('PUT', `/api/v1/customers/${ben.id}/value`, { revenueToDate: -1 })).status).toBe(400);
  });

  it('recomputes tiers in a job when customers change elsewhere', async () => {
    await owner.request('PUT', '/api/v1/empowerment/settings', { bestCustomerShare: 0.3 });
    await owner.post('/api/v1/customers', { name: 'New', email: 'new@example.com' });
    await server.context.database.db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('type', '=', 'customer-value.recompute-tiers').execute();
    await server.worker.drain();
    const best = await server.context.database.db.selectFrom('customers').select('email').where('tier', '=', 'best').orderBy('lifetime_value', 'desc').execute();
    // 10 customers × 0.3 = 3.
    expect(best.map((row) => row.email)).toEqual(['ben@example.com', 'ana@example.com', 'dee@example.com']);
  });
});
