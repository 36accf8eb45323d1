import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestWorkspace } from '../../../test/harness.js';
import { addStaff, type ApiClient } from '../../../test/client.js';

describeEachDialect('saved views', (dialect) => {
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;
  let colleague: ApiClient;
  useTestWorkspace(dialect, (setup) => ({ owner } = setup));

  beforeAll(async () => {
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent', 'Ana Agent'));
    ({ client: colleague } = await addStaff(owner, 'colleague@acme.example', 'agent', 'Cole League'));
    const customer = { email: 'maya@example.com', name: 'Maya' };
    await owner.post('/api/v1/tickets', { subject: 'Urgent and mine', customer, priority: 'urgent', assigneeId: agentId, tags: ['billing'] });
    await owner.post('/api/v1/tickets', { subject: 'Urgent, unassigned', customer, priority: 'urgent', tags: ['billing'] });
    await owner.post('/api/v1/tickets', { subject: 'Low and mine', customer, priority: 'low', assigneeId: agentId });
  });

  it("keeps each staff member's views to themselves; counts follow the list's filters for whoever looks", async () => {
    const created = await agent.post('/api/v1/views', { name: 'My urgent', filters: { assigneeId: 'me', priority: 'urgent' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'My urgent', filters: { assigneeId: 'me', priority: 'urgent' }, shared: false, ownerStaffId: agentId, canEdit: true });
    const billing = await agent.post('/api/v1/views', { name: 'Billing', filters: { tag: 'billing', statusCategory: 'new,open' } });

    expect((await agent.get('/api/v1/views')).body.items.map((view: { name: string }) => view.name)).toEqual(['Billing', 'My urgent']);
    const counts = (await agent.get('/api/v1/views/counts')).body.items;
    expect(counts).toEqual(expect.arrayContaining([{ id: created.body.id, count: 1 }, { id: billing.body.id, count: 2 }]));
    // The same filters as the ticket list, so the count is what the inbox then shows.
    const listed = await agent.get('/api/v1/tickets?assigneeId=me&priority=urgent');
    expect(listed.body.items.map((ticket: { subject: string }) => ticket.subject)).toEqual(['Urgent and mine']);

    // A colleague and even the owner see nothing of a private view.
    for (const other of [colleague, owner]) {
      expect((await other.get('/api/v1/views')).body.items).toEqual([]);
      expect((await other.get(`/api/v1/views/${created.body.id}`)).status).toBe(404);
      expect((await other.patch(`/api/v1/views/${created.body.id}`, { name: 'Mine now' })).status).toBe(404);
      expect((await other.delete(`/api/v1/views/${created.body.id}`)).status).toBe(404);
    }

    const renamed = await agent.patch(`/api/v1/views/${created.body.id}`, { name: 'Urgent for me', filters: { assigneeId: 'me', priority: 'urgent', statusCategory: 'new,open' } });
    expect(renamed.body).toMatchObject({ name: 'Urgent for me', filters: { statusCategory: 'new,open' } });
    expect((await agent.delete(`/api/v1/views/${billing.body.id}`)).status).toBe(200);
    expect((await agent.get(`/api/v1/views/${billing.body.id}`)).status).toBe(404);
    const audit = await owner.get(`/api/v1/events?subjectId=${created.body.id}`);
    expect(audit.body.items.map((event: { type: string }) => event.type).sort()).toEqual(['saved_view.created', 'saved_view.updated']);
  });

  it('a manager shares a view with everyone; agents see it but cannot change, delete or share one', async () => {
    expect((await agent.post('/api/v1/views', { name: 'For all', shared: true })).status).toBe(403);
    const own = await agent.post('/api/v1/views', { name: 'Private first' });
    expect((await agent.patch(`/api/v1/views/${own.body.id}`, { shared: true })).status).toBe(403);

    const shared = await owner.post('/api/v1/views', { name: 'Team billing', filters: { tag: 'billing' }, shared: true });
    expect(shared.status).toBe(201);
    const seen = await colleague.get(`/api/v1/views/${shared.body.id}`);
    expect(seen.body).toMatchObject({ name: 'Team billing', shared: true, canEdit: false });
    expect((await colleague.get('/api/v1/views/counts')).body.items).toContainEqual({ id: shared.body.id, count: 2 });
    expect((await colleague.patch(`/api/v1/views/${shared.body.id}`, { name: 'Mine' })).status).toBe(403);
    expect((await colleague.delete(`/api/v1/views/${shared.body.id}`)).status).toBe(403);

    // Un-shared, it is its owner's alone again.
    expect((await owner.patch(`/api/v1/views/${shared.body.id}`, { shared: false })).body).toMatchObject({ shared: false, canEdit: true });
    expect((await colleague.get(`/api/v1/views/${shared.body.id}`)).status).toBe(404);
  });

  it('keeps the order a view lists its tickets in; without one the view takes the inbox default', async () => {
    const plain = await agent.post('/api/v1/views', { name: 'Any order' });
    expect(plain.body.sort).toBeNull();
    const waiting = await agent.post('/api/v1/views', { name: 'Waiting longest', filters: { statusCategory: 'new,open' }, sort: 'waitingSince' });
    expect(waiting.body).toMatchObject({ sort: 'waitingSince', filters: { statusCategory: 'new,open' } });
    expect((await agent.get(`/api/v1/views/${waiting.body.id}`)).body.sort).toBe('waitingSince');

    // Changing the name leaves the order alone; null gives the view back to the default.
    expect((await agent.patch(`/api/v1/views/${waiting.body.id}`, { name: 'Oldest first' })).body.sort).toBe('waitingSince');
    expect((await agent.patch(`/api/v1/views/${waiting.body.id}`, { sort: '-number' })).body.sort).toBe('-number');
    expect((await agent.get('/api/v1/views')).body.items.find((view: { id: string }) => view.id === waiting.body.id).sort).toBe('-number');
    expect((await agent.patch(`/api/v1/views/${waiting.body.id}`, { sort: null })).body.sort).toBeNull();
  });

  it('refuses bad input with problem+json, including filters that name nothing of this workspace', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: '' }, 'body.name'],
      [{ name: 'x', filters: { statusCategory: 'teleported' } }, 'body.filters.statusCategory'],
      [{ name: 'x', filters: { priority: 'whenever' } }, 'body.filters.priority'],
      [{ name: 'x', filters: { teamId: 'no-such-team' } }, 'body.filters.teamId'],
      [{ name: 'x', filters: { assigneeId: 'no-such-staff' } }, 'body.filters.assigneeId'],
      [{ name: 'x', filters: { customerId: 'no-such-customer' } }, 'body.filters.customerId'],
      [{ name: 'x', filters: { sql: '1=1' } }, 'body.filters'],
      [{ name: 'Line\r\nbreak' }, 'body.name'],
      [{ name: 'x', sort: 'random' }, 'body.sort'],
    ];
    for (const [body, path] of cases) {
      const response = await agent.post('/api/v1/views', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { path: string }) => error.path).join(' '), JSON.stringify(body)).toContain(path);
    }
  });
});
