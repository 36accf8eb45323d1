import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, addStaff, ownerPassword, setUpWorkspace, type ApiResponse } from './client.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';

interface RecordedEvent {
  id: number;
  type: string;
  actor: { type: string; id: string | null };
  subjectType: string;
  subjectId: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
}

/**
 * Each state-changing core route writes exactly the events it should, in the same transaction:
 * a request that fails writes none.
 */
describeEachDialect('events per state-changing route', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let ownerStaffId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ownerStaffId = (await owner.get('/api/v1/auth/session')).body.workspace.staffId;
  });
  afterAll(() => server.close());

  async function latestEventId(): Promise<number> {
    const page = await owner.get('/api/v1/events?limit=1');
    return page.body.items[0]?.id ?? 0;
  }

  /** Runs the action and returns the events it appended, oldest first. */
  async function eventsOf(action: () => Promise<ApiResponse>, expectedStatus?: number): Promise<{ response: ApiResponse; events: RecordedEvent[] }> {
    const before = await latestEventId();
    const response = await action();
    if (expectedStatus) expect(response.status, JSON.stringify(response.body)).toBe(expectedStatus);
    const page = await owner.get('/api/v1/events?limit=200');
    const events = (page.body.items as RecordedEvent[]).filter((event) => event.id > before).reverse();
    return { response, events };
  }

  const typesOf = (events: RecordedEvent[]) => events.map((event) => event.type);

  it('customers: create, update, merge', async () => {
    const created = await eventsOf(() => owner.post('/api/v1/customers', { name: 'Maya', email: 'maya@example.com' }), 201);
    expect(typesOf(created.events)).toEqual(['customer.created']);
    expect(created.events[0]).toMatchObject({ subjectType: 'customer', subjectId: created.response.body.id, actor: { type: 'staff', id: ownerStaffId } });
    const id = created.response.body.id;
    expect(typesOf((await eventsOf(() => owner.patch(`/api/v1/customers/${id}`, { lifetimeValue: 1200 }), 200)).events)).toEqual(['customer.updated']);
    const duplicate = await owner.post('/api/v1/customers', { name: 'Maya D', email: 'maya.d@example.com' });
    await owner.post('/api/v1/tickets', { subject: 'From the duplicate', customer: { id: duplicate.body.id } });
    const merged = await eventsOf(() => owner.post(`/api/v1/customers/${id}/merge`, { sourceCustomerId: duplicate.body.id }), 200);
    expect(typesOf(merged.events)).toEqual(['customer.merged']);
    expect(merged.events[0]!.payload).toMatchObject({ duplicateId: duplicate.body.id, ticketsMoved: 1 });
    expect(typesOf((await eventsOf(() => owner.post(`/api/v1/customers/${id}/merge`, { sourceCustomerId: duplicate.body.id }), 409)).events)).toEqual([]);
    expect(typesOf((await eventsOf(() => owner.post('/api/v1/customers', { name: 'Again', email: 'maya@example.com' }), 409)).events)).toEqual([]);
  });

  it('organizations: create, update', async () => {
    const created = await eventsOf(() => owner.post('/api/v1/organizations', { name: 'Globex', domain: 'globex.example' }), 201);
    expect(typesOf(created.events)).toEqual(['organization.created']);
    expect(typesOf((await eventsOf(() => owner.patch(`/api/v1/organizations/${created.response.body.id}`, { name: 'Globex Corp' }), 200)).events)).toEqual(['organization.updated']);
  });

  it('teams: create, update, delete', async () => {
    const created = await eventsOf(() => owner.post('/api/v1/teams', { name: 'Billing', memberIds: [ownerStaffId] }), 201);
    expect(typesOf(created.events)).toEqual(['team.created']);
    const id = created.response.body.id;
    expect(typesOf((await eventsOf(() => owner.patch(`/api/v1/teams/${id}`, { name: 'Billing & Refunds' }), 200)).events)).toEqual(['team.updated']);
    expect(typesOf((await eventsOf(() => owner.patch(`/api/v1/teams/${id}`, { memberIds: ['not-a-staff-id'] }), 400)).events)).toEqual([]);
    expect(typesOf((await eventsOf(() => owner.delete(`/api/v1/teams/${id}`), 200)).events)).toEqual(['team.deleted']);
  });

  it('staff, invitations and API tokens', async () => {
    const invited = await eventsOf(() => owner.post('/api/v1/invitations', { email: 'newbie@acme.example', role: 'agent' }), 201);
    expect(typesOf(invited.events)).toEqual(['invitation.created']);
    expect(JSON.stringify(invited.events)).not.toContain(invited.response.body.token);
    const joining = new ApiClient(server.url);
    const accepted = await eventsOf(() => joining.post('/api/v1/invitations/accept', { token: invited.response.body.token, name: 'Newbie', password: ownerPassword }), 200);
    expect(typesOf(accepted.events)).toEqual(['invitation.accepted']);
    const staffId = accepted.events[0]!.subjectId;
    expect(typesOf((await eventsOf(() => owner.patch(`/api/v1/staff/${staffId}`, { role: 'manager' }), 200)).events)).toEqual(['staff.updated']);
    const withdrawnInvitation = await owner.post('/api/v1/invitations', { email: 'maybe@acme.example', role: 'agent' });
    expect(typesOf((await eventsOf(() => owner.delete(`/api/v1/invitations/${withdrawnInvitation.body.id}`), 200)).events)).toEqual(['invitation.withdrawn']);

    const token = await eventsOf(() => owner.post('/api/v1/api-tokens', { name: 'Zapier', scopes: ['read', 'write'] }), 201);
    expect(typesOf(token.events)).toEqual(['api_token.created']);
    expect(JSON.stringify(token.events)).not.toContain(token.response.body.token);
    expect(typesOf((await eventsOf(() => owner.delete(`/api/v1/api-tokens/${token.response.body.id}`), 200)).events)).toEqual(['api_token.revoked']);
  });

  it('workspace settings and statuses', async () => {
    expect(typesOf((await eventsOf(() => owner.patch('/api/v1/workspace', { name: 'Acme Support' }), 200)).events)).toEqual(['workspace.updated']);
    expect(typesOf((await eventsOf(() => owner.patch('/api/v1/workspace', {}), 200)).events)).toEqual([]);
    expect(typesOf((await eventsOf(() => owner.post('/api/v1/ticket-statuses', { key: 'waiting_on_vendor', label: 'Waiting on vendor', category: 'on_hold' }), 201)).events)).toEqual(['ticket_status.created']);
    expect(typesOf((await eventsOf(() => owner.patch('/api/v1/ticket-statuses/waiting_on_vendor', { label: 'Vendor' }), 200)).events)).toEqual(['ticket_status.updated']);
    expect(typesOf((await eventsOf(() => owner.post('/api/v1/ticket-statuses', { key: 'waiting_on_vendor', label: 'Again', category: 'on_hold' }), 409)).events)).toEqual([]);
  });

  it('tickets: create (with a new customer), tags, bulk, links, split, merge; failures write nothing', async () => {
    const created = await eventsOf(() => owner.post('/api/v1/tickets', { subject: 'Broken kettle', customer: { email: 'kettle@example.com' }, message: { text: 'It leaks' } }), 201);
    expect(typesOf(created.events)).toEqual(['customer.created', 'ticket.created', 'message.created']);
    const ticket = created.response.body;
    // A failure after the customer was created inside the transaction leaves no trace at all.
    const failed = await eventsOf(() => owner.post('/api/v1/tickets', { subject: 'x', customer: { email: 'ghost@example.com' }, assigneeId: 'no-such-staff' }), 400);
    expect(typesOf(failed.events)).toEqual([]);
    expect((await owner.get('/api/v1/customers?email=ghost@example.com')).body.items).toEqual([]);

    expect(typesOf((await eventsOf(() => owner.post(`/api/v1/tickets/${ticket.id}/tags`, { add: ['leak'] }), 200)).events)).toEqual(['ticket.tags_changed']);
    expect(typesOf((await eventsOf(() => owner.post(`/api/v1/tickets/${ticket.id}/tags`, { add: ['leak'] }), 200)).events)).toEqual([]);
    expect(typesOf((await eventsOf(() => owner.patch(`/api/v1/tickets/${ticket.id}`, { priority: 'normal' }), 200)).events)).toEqual([]);

    const other = (await owner.post('/api/v1/tickets', { subject: 'Second kettle', customer: { email: 'kettle@example.com' }, message: { text: 'Also leaks' } })).body;
    const bulk = await eventsOf(() => owner.post('/api/v1/tickets/bulk', { ticketIds: [ticket.id, other.id], changes: { priority: 'high', addTags: ['bulk'] } }), 200);
    expect(typesOf(bulk.events)).toEqual(['ticket.priority_changed', 'ticket.tags_changed', 'ticket.priority_changed', 'ticket.tags_changed']);
    const failedBulk = await eventsOf(() => owner.post('/api/v1/tickets/bulk', { ticketIds: [ticket.id, 'no-such-ticket'], changes: { priority: 'low' } }), 404);
    expect(typesOf(failedBulk.events)).toEqual([]);
    expect((await owner.get(`/api/v1/tickets/${ticket.id}`)).body.priority).toBe('high');

    const linked = await eventsOf(() => owner.post(`/api/v1/tickets/${ticket.id}/links`, { ticketId: other.id }), 200);
    expect(typesOf(linked.events)).toEqual(['ticket.linked', 'ticket.linked']);
    expect(typesOf((await eventsOf(() => owner.delete(`/api/v1/tickets/${ticket.id}/links/${other.id}`), 200)).events)).toEqual(['ticket.unlinked']);

    const second = await owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'inbound', text: 'Unrelated: my invoice' });
    const split = await eventsOf(() => owner.post(`/api/v1/messages/${second.body.message.id}/split`), 201);
    expect(typesOf(split.events)).toEqual(['ticket.created', 'ticket.split', 'ticket.split']);

    const reply = await eventsOf(() => owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', text: 'We are on it' }), 201);
    expect(typesOf(reply.events)).toEqual(['message.created', 'ticket.status_changed']);
    const note = await eventsOf(() => owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', text: 'Call the vendor' }), 201);
    expect(typesOf(note.events)).toEqual(['message.created']);

    const merged = await eventsOf(() => owner.post(`/api/v1/tickets/${other.id}/merge`, { targetTicketId: ticket.id }), 200);
    expect(typesOf(merged.events)).toEqual(['message.created', 'message.created', 'ticket.status_changed', 'ticket.merged', 'ticket.merged']);
    expect(typesOf((await eventsOf(() => owner.post(`/api/v1/tickets/${other.id}/merge`, { targetTicketId: ticket.id }), 409)).events)).toEqual([]);
    for (const event of [...created.events, ...merged.events]) expect(event.actor).toEqual({ type: 'staff', id: ownerStaffId });
  });

  it('records an API token as the actor of what it does', async () => {
    const token = await owner.post('/api/v1/api-tokens', { name: 'Bot', scopes: ['write'] });
    const bot = new ApiClient(server.url).withToken(token.body.token);
    const created = await eventsOf(() => bot.post('/api/v1/tickets', { subject: 'From the bot', customer: { email: 'bot-customer@example.com' } }), 201);
    expect(typesOf(created.events)).toEqual(['customer.created', 'ticket.created']);
    for (const event of created.events) expect(event.actor.type).toBe('token');
  });

  it('an agent cannot read the audit log; a manager can', async () => {
    const { client: agent } = await addStaff(owner, 'auditor-agent@acme.example', 'agent');
    expect((await agent.get('/api/v1/events')).status).toBe(403);
    const { client: manager } = await addStaff(owner, 'auditor@acme.example', 'manager');
    expect((await manager.get('/api/v1/events?type=ticket.created')).body.items.every((event: RecordedEvent) => event.type === 'ticket.created')).toBe(true);
  });
});
