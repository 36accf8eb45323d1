import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('tickets', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  async function eventTypes(ticketId: string): Promise<string[]> {
    const events = await agent.get(`/api/v1/tickets/${ticketId}/events`);
    return events.body.items.map((event: { type: string }) => event.type);
  }

  it('creates a ticket with its customer and first message, and records the events', async () => {
    const created = await agent.post('/api/v1/tickets', { subject: 'Parcel never arrived', customer: { email: 'Maya@Example.com', name: 'Maya' }, message: { text: 'Where is my parcel?' }, tags: ['Shipping'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 1, status: 'new', statusCategory: 'new', tags: ['shipping'], customer: { email: 'maya@example.com', name: 'Maya' } });
    expect(await eventTypes(created.body.id)).toEqual(['ticket.created', 'message.created']);
    const messages = await agent.get(`/api/v1/tickets/${created.body.id}/messages`);
    expect(messages.body.items).toHaveLength(1);
    expect(messages.body.items[0]).toMatchObject({ kind: 'inbound', authorType: 'customer', text: 'Where is my parcel?' });
  });

  it('a reply opens the ticket, sets the first response, and a customer answer reopens a solved ticket', async () => {
    const created = await agent.post('/api/v1/tickets', { subject: 'Refund please', customer: { email: 'ravi@example.com' }, message: { text: 'I want a refund' } });
    const replied = await agent.post(`/api/v1/tickets/${created.body.id}/messages`, { kind: 'reply', text: 'Refunded today.', status: 'solved' });
    expect(replied.status).toBe(201);
    expect(replied.body.ticket).toMatchObject({ status: 'solved', statusCategory: 'solved' });
    expect(replied.body.ticket.firstResponseAt).not.toBeNull();
    expect(replied.body.ticket.solvedAt).not.toBeNull();
    const answer = await agent.post(`/api/v1/tickets/${created.body.id}/messages`, { kind: 'inbound', text: 'It did not arrive' });
    expect(answer.body.ticket).toMatchObject({ status: 'open', solvedAt: null });
    // Reopening after solved is also a moment of misery, which opens a recovery (modules/moments, modules/recovery).
    expect(await eventTypes(created.body.id)).toEqual(['ticket.created', 'message.created', 'message.created', 'ticket.status_changed', 'message.created', 'ticket.status_changed', 'moment.recorded', 'recovery.opened']);
  });

  it('updates assignee, priority and tags with one event per change, and lists by filter', async () => {
    const created = await agent.post('/api/v1/tickets', { subject: 'Login broken', customer: { email: 'kenji@example.com' } });
    const updated = await agent.patch(`/api/v1/tickets/${created.body.id}`, { assigneeId: agentId, priority: 'urgent', tags: ['account', 'bug'] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ assigneeId: agentId, priority: 'urgent', tags: ['account', 'bug'] });
    expect(await eventTypes(created.body.id)).toEqual(['ticket.created', 'ticket.priority_changed', 'ticket.assigned', 'ticket.tags_changed']);
    const mine = await agent.get('/api/v1/tickets?assigneeId=me&tag=bug');
    expect(mine.body.items.map((ticket: { id: string }) => ticket.id)).toEqual([created.body.id]);
    const badAssignee = await agent.patch(`/api/v1/tickets/${created.body.id}`, { assigneeId: 'nobody' });
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.headers.get('content-type')).toContain('application/problem+json');
  });

  it('paginates with a cursor without repeating or skipping', async () => {
    for (let index = 0; index < 7; index++) await agent.post('/api/v1/tickets', { subject: `Page ticket ${index}`, customer: { email: 'pager@example.com' } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await agent.get(`/api/v1/tickets?limit=3&sort=number${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((ticket) => ticket.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await agent.get('/api/v1/tickets?limit=200');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(all.body.items.length);
  });

  it('merges a ticket: messages move, the customer is told, the source closes', async () => {
    const first = await agent.post('/api/v1/tickets', { subject: 'Order 1', customer: { email: 'zoe@example.com' }, message: { text: 'first' } });
    const second = await agent.post('/api/v1/tickets', { subject: 'Order 1 again', customer: { email: 'zoe@example.com' }, message: { text: 'second' } });
    const merged = await agent.post(`/api/v1/tickets/${second.body.id}/merge`, { targetTicketId: first.body.id });
    expect(merged.status).toBe(200);
    const source = await agent.get(`/api/v1/tickets/${second.body.id}`);
    expect(source.body).toMatchObject({ statusCategory: 'closed', mergedIntoId: first.body.id });
    const sourceMessages = await agent.get(`/api/v1/tickets/${second.body.id}/messages`);
    expect(sourceMessages.body.items).toHaveLength(1);
    expect(sourceMessages.body.items[0].kind).toBe('outbound');
    expect(sourceMessages.body.items[0].text).toContain(`#${first.body.number}`);
    const targetMessages = await agent.get(`/api/v1/tickets/${first.body.id}/messages`);
    expect(targetMessages.body.items.map((message: { text: string }) => message.text)).toContain('second');
    expect(await eventTypes(first.body.id)).toContain('ticket.merged');
  });

  it('splits a message into a new linked ticket', async () => {
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Two questions', customer: { email: 'hugo@example.com' }, message: { text: 'question one' } });
    const second = await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'inbound', text: 'unrelated question two' });
    const split = await agent.post(`/api/v1/messages/${second.body.message.id}/split`);
    expect(split.status).toBe(201);
    expect(split.body.linkedTicketIds).toEqual([ticket.body.id]);
    const moved = await agent.get(`/api/v1/tickets/${split.body.id}/messages`);
    expect(moved.body.items.map((message: { text: string }) => message.text)).toEqual(['unrelated question two']);
  });

  it('finds tickets, messages and customers by search', async () => {
    await agent.post('/api/v1/tickets', { subject: 'Blender makes a grinding noise', customer: { email: 'fatima@example.com', name: 'Fatima Haddad' }, message: { text: 'The motor squeals loudly' } });
    const bySubject = await agent.get('/api/v1/search?q=grind');
    expect(bySubject.body.items.some((hit: { kind: string }) => hit.kind === 'ticket')).toBe(true);
    const byMessage = await agent.get('/api/v1/search?q=motor%20squeals');
    expect(byMessage.body.items.some((hit: { kind: string }) => hit.kind === 'message')).toBe(true);
    const byCustomer = await agent.get('/api/v1/search?q=haddad&kind=customer');
    expect(byCustomer.body.items).toHaveLength(1);
    const hostile = await agent.get(`/api/v1/search?q=${encodeURIComponent('"unbalanced AND OR NEAR( * :')}`);
    expect(hostile.status).toBe(200);
  });
});
