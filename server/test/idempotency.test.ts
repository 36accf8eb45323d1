import { expect, it } from 'vitest';
import { ApiClient, addStaff } from './client.js';
import { describeEachDialect, useTestWorkspace, type TestServer } from './harness.js';

/** POST with an Idempotency-Key: retries return the first result and never do the work twice. */
describeEachDialect('Idempotency-Key', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));

  async function ticketsWithSubject(subject: string): Promise<number> {
    const rows = await server.database.handle.db.selectFrom('tickets').select('id').where('subject', '=', subject).execute();
    return rows.length;
  }

  it('a retry returns the first result, marked as replayed, and creates no second ticket or event', async () => {
    const body = { subject: 'Idempotent order', customer: { email: 'idem@example.com' }, message: { text: 'Once only' } };
    const first = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'order-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'order-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await ticketsWithSubject('Idempotent order')).toBe(1);
    const events = await owner.get(`/api/v1/tickets/${first.body.id}/events`);
    expect(events.body.items.filter((event: { type: string }) => event.type === 'ticket.created')).toHaveLength(1);
  });

  it('the same key with a different body is a 422 problem, and does nothing', async () => {
    const first = await owner.post('/api/v1/tickets', { subject: 'Key reuse A', customer: { email: 'reuse@example.com' } }, { 'idempotency-key': 'reuse' });
    expect(first.status).toBe(201);
    const reused = await owner.post('/api/v1/tickets', { subject: 'Key reuse B', customer: { email: 'reuse@example.com' } }, { 'idempotency-key': 'reuse' });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await ticketsWithSubject('Key reuse B')).toBe(0);
  });

  it('keys are scoped to the caller and the route', async () => {
    const { client: agent } = await addStaff(owner, 'idem-agent@acme.example', 'agent');
    const body = { subject: 'Scoped key', customer: { email: 'scoped@example.com' } };
    const byOwner = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'shared-key' });
    const byAgent = await agent.post('/api/v1/tickets', body, { 'idempotency-key': 'shared-key' });
    expect(byAgent.status).toBe(201);
    expect(byAgent.body.id).not.toBe(byOwner.body.id);
    const otherRoute = await owner.post('/api/v1/customers', { name: 'Scoped', email: 'scoped-customer@example.com' }, { 'idempotency-key': 'shared-key' });
    expect(otherRoute.status).toBe(201);
    expect(otherRoute.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a failed request is not remembered: the corrected retry goes through', async () => {
    const failed = await owner.post('/api/v1/tickets', { subject: 'Fix me', customer: { email: 'fix@example.com' }, assigneeId: 'nobody' }, { 'idempotency-key': 'fix-me' });
    expect(failed.status).toBe(400);
    const again = await owner.post('/api/v1/tickets', { subject: 'Fix me', customer: { email: 'fix@example.com' }, assigneeId: 'nobody' }, { 'idempotency-key': 'fix-me' });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    const fixed = await owner.post('/api/v1/tickets', { subject: 'Fix me', customer: { email: 'fix@example.com' } }, { 'idempotency-key': 'fix-me' });
    expect(fixed.status).toBe(201);
  });

  it('concurrent retries with one key create exactly one ticket; the others replay it or are told to retry', async () => {
    const token = (await owner.post('/api/v1/api-tokens', { name: 'Retrier', scopes: ['write'] })).body.token;
    const client = new ApiClient(server.url).withToken(token);
    const body = { subject: 'Concurrent retry', customer: { email: 'concurrent@example.com' }, message: { text: 'hello' } };
    const responses = await Promise.all(Array.from({ length: 12 }, () => client.post('/api/v1/tickets', body, { 'idempotency-key': 'storm' })));
    const statuses = responses.map((response) => response.status);
    for (const status of statuses) expect([201, 409]).toContain(status);
    const ids = new Set(responses.filter((response) => response.status === 201).map((response) => response.body.id));
    expect(ids.size).toBe(1);
    expect(await ticketsWithSubject('Concurrent retry')).toBe(1);
    const later = await client.post('/api/v1/tickets', body, { 'idempotency-key': 'storm' });
    expect(later.status).toBe(201);
    expect(later.body.id).toBe([...ids][0]);
  });

  it('a claim still in progress is a 409; one left by a request that died is taken over after a while', async () => {
    const body = { subject: 'Orphaned claim', customer: { email: 'orphan@example.com' } };
    const first = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'orphan' });
    expect(first.status).toBe(201);
    const claim = () => server.database.handle.db.updateTable('idempotency_keys').where('key', '=', 'orphan');
    // As if the first request were still running…
    await claim().set({ status_code: 0, response_body: '', created_at: new Date().toISOString() }).execute();
    const busy = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'orphan' });
    expect(busy.status).toBe(409);
    expect(busy.headers.get('content-type')).toContain('application/problem+json');
    // …or had died with its process two minutes ago.
    await claim().set({ created_at: new Date(Date.now() - 120_000).toISOString() }).execute();
    const takenOver = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'orphan' });
    expect(takenOver.status).toBe(201);
    expect(takenOver.headers.get('idempotent-replayed')).toBeNull();
    const replayed = await owner.post('/api/v1/tickets', body, { 'idempotency-key': 'orphan' });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(takenOver.body.id);
  });

  it('refuses an over-long key', async () => {
    const response = await owner.post('/api/v1/tickets', { subject: 'Long key', customer: { email: 'long@example.com' } }, { 'idempotency-key': 'k'.repeat(256) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
