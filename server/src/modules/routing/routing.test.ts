import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { chooseAgent } from './index.js';

it('never picks a full agent, and round robin wraps around', () => {
  const pool = [
    { staffId: 'a', capacity: 2, openTickets: 2, skills: [] },
    { staffId: 'b', capacity: 5, openTickets: 1, skills: ['french'] },
    { staffId: 'c', capacity: 5, openTickets: 0, skills: [] },
  ];
  expect(chooseAgent('round_robin', pool, [], 'c')?.staffId).toBe('b');
  expect(chooseAgent('load', pool, [], null)?.staffId).toBe('c');
  expect(chooseAgent('skills', pool, ['french'], null)?.staffId).toBe('b');
  expect(chooseAgent('load', [pool[0]!], [], null)).toBeNull();
});

describeEachDialect('routing', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  const agents: Array<{ client: ApiClient; staffId: string }> = [];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    for (const name of ['ana', 'ben', 'cy']) agents.push(await addStaff(owner, `${name}@acme.example`, 'agent', name));
  });
  afterAll(() => server.close());

  async function newTicket(subject: string, tags: string[] = []) {
    const created = await owner.post('/api/v1/tickets', { subject, customer: { email: 'x@example.com' }, tags });
    await server.worker.drain();
    const ticket = await owner.get(`/api/v1/tickets/${created.body.id}`);
    const events = (await owner.get(`/api/v1/tickets/${created.body.id}/events`)).body.items;
    return { assigneeId: ticket.body.assigneeId as string | null, routed: events.find((event: { type: string }) => event.type === 'routing.assigned')?.payload };
  }

  it('assigns only to available agents, round robin, each assignment with its reason', async () => {
    expect((await newTicket('before routing')).assigneeId).toBeNull();
    expect((await owner.request('PUT', '/api/v1/routing/settings', { method: 'round_robin' })).status).toBe(200);
    const [ana, ben, cy] = agents as [(typeof agents)[0], (typeof agents)[0], (typeof agents)[0]];
    await ana.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 10 });
    await ben.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 10 });
    await cy.client.request('PUT', '/api/v1/routing/availability/me', { available: false });
    const assigned: string[] = [];
    for (let index = 0; index < 4; index++) {
      const result = await newTicket(`rr ${index}`);
      expect(result.routed).toMatchObject({ method: 'round_robin', reason: expect.stringContaining('round robin') });
      assigned.push(result.assigneeId!);
    }
    expect(new Set(assigned)).toEqual(new Set([ana.staffId, ben.staffId]));
    expect(assigned[0]).not.toBe(assigned[1]);
    expect(assigned[0]).toBe(assigned[2]);
    expect((await cy.client.request('PUT', `/api/v1/routing/availability/${ana.staffId}`, { available: false })).status).toBe(403);
  });

  it('by load respects capacity; by skills prefers the matching agent', async () => {
    const [ana, ben, cy] = agents as [(typeof agents)[0], (typeof agents)[0], (typeof agents)[0]];
    await owner.request('PUT', '/api/v1/routing/settings', { method: 'load' });
    await cy.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 3, skills: ['French'] });
    const byLoad = await newTicket('load');
    expect(byLoad.assigneeId).toBe(cy.staffId); // 0 of 3 open beats 2 of 10
    expect(byLoad.routed.reason).toContain('load: 0 of 3');
    await owner.request('PUT', '/api/v1/routing/settings', { method: 'skills' });
    const french = await newTicket('Bonjour', ['french']);
    expect(french.assigneeId).toBe(cy.staffId);
    expect(french.routed.reason).toContain('skills: french');
    // Ana goes away: her open tickets go back to routing and land on someone available.
    await ana.client.request('PUT', '/api/v1/routing/availability/me', { available: false, reassignOpenTickets: true });
    await server.worker.drain();
    const hers = await owner.get(`/api/v1/tickets?assigneeId=${ana.staffId}`);
    expect(hers.body.items.filter((ticket: { statusCategory: string }) => ['new', 'open'].includes(ticket.statusCategory))).toHaveLength(0);
    expect(ben.staffId).toBeTruthy();
  });
});
