import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { chooseAgent } from './index.js';

it('never picks a full agent, and round robin wraps around', () => {
  const pool = [
    { staffId: 'a', capacity: 2, openTickets: 2, skills: [] },
    { staffId: 'b', capacity: 5, openTickets: 1, skills: ['language:fr'] },
    { staffId: 'c', capacity: 5, openTickets: 0, skills: [] },
  ];
  expect(chooseAgent('round_robin', pool, [], 'c')?.staffId).toBe('b');
  expect(chooseAgent('load', pool, [], null)?.staffId).toBe('c');
  expect(chooseAgent('skills', pool, ['language:fr', 'tier:standard'], null)).toEqual({ staffId: 'b', reason: 'skills: language:fr (1 of 2 needs met; the least loaded of 1 agent meeting as many)' });
  expect(chooseAgent('skills', pool, ['language:ja'], null)).toEqual({ staffId: 'c', reason: 'skills: nobody available has language:ja; least loaded available agent' });
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

  it('by load respects capacity; going away hands open tickets back to routing', async () => {
    const [ana, ben, cy] = agents as [(typeof agents)[0], (typeof agents)[0], (typeof agents)[0]];
    await owner.request('PUT', '/api/v1/routing/settings', { method: 'load' });
    await cy.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 3 });
    const byLoad = await newTicket('load');
    expect(byLoad.assigneeId).toBe(cy.staffId); // 0 of 3 open beats 2 of 10
    expect(byLoad.routed.reason).toContain('load: 0 of 3');
    // Ana goes away: her open tickets go back to routing and land on someone available.
    await ana.client.request('PUT', '/api/v1/routing/availability/me', { available: false, reassignOpenTickets: true });
    await server.worker.drain();
    const hers = await owner.get(`/api/v1/tickets?assigneeId=${ana.staffId}`);
    expect(hers.body.items.filter((ticket: { statusCategory: string }) => ['new', 'open'].includes(ticket.statusCategory))).toHaveLength(0);
    expect(ben.staffId).toBeTruthy();
  });
});

describeEachDialect('routing by skills', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));

  type Event = { type: string; payload: Record<string, any> };
  async function route(customerId: string, subject: string, customFields: Record<string, unknown> = {}, tags: string[] = []) {
    const created = await owner.post('/api/v1/tickets', { subject, customer: { id: customerId }, customFields, tags });
    expect(created.status).toBe(201);
    await server.worker.drain();
    const events = (await owner.get(`/api/v1/tickets/${created.body.id}/events`)).body.items as Event[];
    return { id: created.body.id as string, assigneeId: (await owner.get(`/api/v1/tickets/${created.body.id}`)).body.assigneeId as string | null, events };
  }

  it("matches the customer's language, the ticket's product and the customer's tier; every assignment says why", async () => {
    const [ana, ben, cy] = [await addStaff(owner, 'ana@acme.example', 'agent', 'ana'), await addStaff(owner, 'ben@acme.example', 'agent', 'ben'), await addStaff(owner, 'cy@acme.example', 'agent', 'cy')];
    const refused = await ana.client.request('PUT', '/api/v1/routing/availability/me', { available: true, skills: ['french'] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body.skills.0', message: expect.stringContaining('language:') })]);
    const saved = await ana.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 10, skills: ['Language: FR'] });
    expect(saved.body.skills).toEqual(['language:fr']);
    await ben.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 10, skills: ['product:widget', 'tier:best'] });
    await cy.client.request('PUT', '/api/v1/routing/availability/me', { available: true, capacity: 10, skills: ['language:de', 'product:gadget'] });
    expect((await owner.request('PUT', '/api/v1/routing/settings', { method: 'skills' })).status).toBe(200);

    const marie = (await owner.post('/api/v1/customers', { name: 'Marie', email: 'marie@example.com', customFields: { language: 'FR' } })).body;
    const bigCo = (await owner.post('/api/v1/customers', { name: 'Big Co', email: 'buyer@bigco.example' })).body;
    const yuki = (await owner.post('/api/v1/customers', { name: 'Yuki', email: 'yuki@example.com', customFields: { language: 'ja' } })).body;
    expect((await owner.request('PUT', `/api/v1/customers/${bigCo.id}/value`, { revenueToDate: 50_000 })).status).toBe(200);
    await server.worker.drain();
    expect((await owner.get(`/api/v1/customers/${bigCo.id}`)).body.tier).toBe('best');

    // Language from the customer; a tag that happens to read "gadget" is not the product.
    const french = await route(marie.id, 'Bonjour', {}, ['gadget']);
    expect(french.assigneeId).toBe(ana.staffId);
    expect(french.events.find((event) => event.type === 'routing.assigned')?.payload).toEqual({ method: 'skills', staffId: ana.staffId, reason: 'skills: language:fr (1 of 2 needs met; the least loaded of 1 agent meeting as many)', needs: ['language:fr', 'tier:standard'] });
    expect(french.events.find((event) => event.type === 'ticket.assigned')?.payload).toEqual({ from: null, to: ana.staffId, reason: 'routing skills: language:fr (1 of 2 needs met; the least loaded of 1 agent meeting as many)' });

    // Product from the ticket's custom field, tier from the customer: two of Ben's skills beat one of Cy's.
    const widget = await route(bigCo.id, 'Widget broken', { product: 'Widget' });
    expect(widget.assigneeId).toBe(ben.staffId);
    expect(widget.events.find((event) => event.type === 'routing.assigned')?.payload).toMatchObject({ reason: 'skills: product:widget, tier:best (2 of 2 needs met; the least loaded of 1 agent meeting as many)', needs: ['product:widget', 'tier:best'] });
    // Ana (language) and Cy (product) meet one need each: the less loaded of the two takes it.
    const gadget = await route(marie.id, 'Gadget question', { product: 'gadget' });
    expect(gadget.assigneeId).toBe(cy.staffId);
    expect(gadget.events.find((event) => event.type === 'routing.assigned')?.payload.reason).toBe('skills: product:gadget (1 of 3 needs met; the least loaded of 2 agents meeting as many)');
    const japanese = await route(yuki.id, 'こんにちは');
    expect(japanese.events.find((event) => event.type === 'routing.assigned')?.payload.reason).toBe('skills: nobody available has language:ja, tier:standard; least loaded available agent');

    // Ana goes away: her ticket is unassigned with the reason, then routed again with its own.
    await ana.client.request('PUT', '/api/v1/routing/availability/me', { available: false, reassignOpenTickets: true });
    await server.worker.drain();
    const assignments = ((await owner.get(`/api/v1/tickets/${french.id}/events`)).body.items as Event[]).filter((event) => event.type === 'ticket.assigned').map((event) => event.payload);
    expect(assignments).toEqual([
      { from: null, to: ana.staffId, reason: expect.stringContaining('routing skills: language:fr') },
      { from: ana.staffId, to: null, reason: 'the assignee went away: back to routing' },
      { from: null, to: expect.not.stringMatching(ana.staffId), reason: expect.stringContaining('routing skills: nobody available has language:fr') },
    ]);
  });
});
