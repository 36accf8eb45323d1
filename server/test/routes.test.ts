import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, addStaff, setUpWorkspace, type ApiResponse } from './client.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';
import { loadOperations, type Operation } from './openapi.js';

/** Remembers which documented routes answered 2xx, so the last test can insist every core route did. */
class RecordingClient extends ApiClient {
  constructor(
    baseUrl: string,
    private readonly seen: Set<string>,
    private readonly operations: () => Operation[],
  ) {
    super(baseUrl);
  }
  override async request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    const response = await super.request<T>(method, path, body, headers);
    if (response.status >= 200 && response.status < 300) {
      const bare = path.split('?')[0]!;
      const operation = this.operations().find((candidate) => candidate.method === method && new RegExp(`^${candidate.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
      if (operation) this.seen.add(`${operation.method} ${operation.path}`);
    }
    return response;
  }
}

/** The core's routes; other modules' routes are covered by the route-wide tests and their own files. */
const coreRoutes = [
  'GET /api/v1/setup',
  'POST /api/v1/setup',
  'GET /api/v1/workspaces',
  'POST /api/v1/workspaces',
  'GET /api/v1/workspace',
  'PATCH /api/v1/workspace',
  'GET /api/v1/ticket-statuses',
  'POST /api/v1/ticket-statuses',
  'PATCH /api/v1/ticket-statuses/{key}',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-out',
  'POST /api/v1/auth/sign-out-everywhere',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/switch-workspace',
  'POST /api/v1/auth/password',
  'GET /api/v1/api-tokens',
  'POST /api/v1/api-tokens',
  'DELETE /api/v1/api-tokens/{id}',
  'GET /api/v1/staff',
  'GET /api/v1/staff/{id}',
  'PATCH /api/v1/staff/{id}',
  'GET /api/v1/invitations',
  'POST /api/v1/invitations',
  'DELETE /api/v1/invitations/{id}',
  'GET /api/v1/invitations/preview/{token}',
  'GET /api/v1/teams',
  'POST /api/v1/teams',
  'GET /api/v1/teams/{id}',
  'PATCH /api/v1/teams/{id}',
  'DELETE /api/v1/teams/{id}',
  'GET /api/v1/customers',
  'POST /api/v1/customers',
  'GET /api/v1/customers/{id}',
  'PATCH /api/v1/customers/{id}',
  'POST /api/v1/customers/{id}/merge',
  'GET /api/v1/organizations',
  'POST /api/v1/organizations',
  'GET /api/v1/organizations/{id}',
  'PATCH /api/v1/organizations/{id}',
  'GET /api/v1/tickets',
  'POST /api/v1/tickets',
  'GET /api/v1/tickets/{id}',
  'PATCH /api/v1/tickets/{id}',
  'POST /api/v1/tickets/{id}/tags',
  'POST /api/v1/tickets/bulk',
  'GET /api/v1/tickets/{id}/messages',
  'POST /api/v1/tickets/{id}/messages',
  'GET /api/v1/tickets/{id}/events',
  'POST /api/v1/tickets/{id}/merge',
  'POST /api/v1/messages/{id}/split',
  'POST /api/v1/tickets/{id}/links',
  'DELETE /api/v1/tickets/{id}/links/{linkedId}',
  'GET /api/v1/search',
  'GET /api/v1/events',
];

/** The core routes' happy paths over real HTTP: what each returns, filters, pagination. */
describeEachDialect('core routes', (dialect) => {
  let server: TestServer;
  let owner: RecordingClient;
  let operations: Operation[] = [];
  const seen = new Set<string>();

  beforeAll(async () => {
    server = await startTestServer(dialect);
    operations = await loadOperations(server.url);
    owner = new RecordingClient(server.url, seen, () => operations);
    expect((await owner.get('/api/v1/setup')).body).toEqual({ setupNeeded: true });
    const setup = await owner.post('/api/v1/setup', { workspaceName: 'Acme', ownerName: 'Olivia Owner', email: 'owner@acme.example', password: 'correct horse battery staple', timeZone: 'Europe/Paris' });
    expect(setup.status).toBe(201);
  });
  afterAll(() => server.close());

  it('workspace: read, rename, list memberships, statuses with categories', async () => {
    expect((await owner.get('/api/v1/workspace')).body).toMatchObject({ name: 'Acme', timeZone: 'Europe/Paris' });
    expect((await owner.patch('/api/v1/workspace', { name: 'Acme Help', timeZone: 'UTC' })).body).toMatchObject({ name: 'Acme Help', timeZone: 'UTC' });
    expect((await owner.patch('/api/v1/workspace', { timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await owner.get('/api/v1/workspaces')).body.items).toHaveLength(1);
    const statuses = await owner.get('/api/v1/ticket-statuses');
    expect(statuses.body.items.map((status: { category: string }) => status.category)).toEqual(expect.arrayContaining(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']));
    const created = await owner.post('/api/v1/ticket-statuses', { key: 'awaiting_parts', label: 'Awaiting parts', category: 'on_hold' });
    expect(created.status).toBe(201);
    expect((await owner.patch('/api/v1/ticket-statuses/awaiting_parts', { label: 'Parts ordered', position: 1 })).body).toMatchObject({ key: 'awaiting_parts', label: 'Parts ordered', category: 'on_hold' });
    expect((await owner.patch('/api/v1/ticket-statuses/no_such_status', { label: 'x' })).status).toBe(404);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Needs parts', customer: { email: 'parts@example.com' }, status: 'awaiting_parts' });
    expect(ticket.body).toMatchObject({ status: 'awaiting_parts', statusCategory: 'on_hold' });
    expect((await owner.get('/api/v1/tickets?statusCategory=on_hold')).body.items.map((item: { id: string }) => item.id)).toEqual([ticket.body.id]);
    expect((await owner.get('/api/v1/tickets?status=awaiting_parts')).body.items).toHaveLength(1);
  });

  it('customers and organizations: create, read, update, filter, paginate, merge', async () => {
    const organization = await owner.post('/api/v1/organizations', { name: 'Initech', domain: 'Initech.example' });
    expect(organization.body).toMatchObject({ name: 'Initech', domain: 'initech.example' });
    expect((await owner.get(`/api/v1/organizations/${organization.body.id}`)).body.name).toBe('Initech');
    expect((await owner.patch(`/api/v1/organizations/${organization.body.id}`, { domain: null })).body.domain).toBeNull();
    for (const name of ['Bluth', 'Cyberdyne', 'Dunder']) await owner.post('/api/v1/organizations', { name });
    const firstPage = await owner.get('/api/v1/organizations?limit=2');
    const secondPage = await owner.get(`/api/v1/organizations?limit=2&cursor=${firstPage.body.nextCursor}`);
    expect([...firstPage.body.items, ...secondPage.body.items].map((item: { name: string }) => item.name)).toEqual(['Bluth', 'Cyberdyne', 'Dunder', 'Initech']);
    expect(secondPage.body.nextCursor).toBeNull();

    const peter = await owner.post('/api/v1/customers', { name: 'Peter Gibbons', email: 'Peter@Initech.example', organizationId: organization.body.id, lifetimeValue: 250, customFields: { plan: 'pro' } });
    expect(peter.status).toBe(201);
    expect(peter.body).toMatchObject({ email: 'peter@initech.example', organizationId: organization.body.id, lifetimeValue: 250, customFields: { plan: 'pro' }, mergedIntoId: null });
    expect((await owner.get(`/api/v1/customers/${peter.body.id}`)).body.name).toBe('Peter Gibbons');
    const updated = await owner.patch(`/api/v1/customers/${peter.body.id}`, { phone: '+1 555 0100', customFields: { seats: 3 } });
    expect(updated.body).toMatchObject({ phone: '+1 555 0100', customFields: { plan: 'pro', seats: 3 } });
    expect((await owner.get('/api/v1/customers?email=PETER@initech.example')).body.items.map((item: { id: string }) => item.id)).toEqual([peter.body.id]);
    expect((await owner.get(`/api/v1/customers?organizationId=${organization.body.id}`)).body.items).toHaveLength(1);
    expect((await owner.post('/api/v1/customers', { name: 'Bad org', organizationId: 'no-such-org' })).status).toBe(404);
    expect((await owner.post('/api/v1/customers', { name: 'Unknown field', shoeSize: 44 })).status).toBe(400);

    const duplicate = await owner.post('/api/v1/customers', { name: 'P. Gibbons', email: 'pgibbons@home.example', lifetimeValue: 100 });
    const oldTicket = await owner.post('/api/v1/tickets', { subject: 'From home', customer: { id: duplicate.body.id } });
    const merged = await owner.post(`/api/v1/customers/${peter.body.id}/merge`, { sourceCustomerId: duplicate.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body.lifetimeValue).toBe(350);
    expect((await owner.get(`/api/v1/tickets/${oldTicket.body.id}`)).body.customerId).toBe(peter.body.id);
    expect((await owner.get(`/api/v1/customers/${duplicate.body.id}`)).body.mergedIntoId).toBe(peter.body.id);
    const viaOldAddress = await owner.post('/api/v1/tickets', { subject: 'Again from home', customer: { email: 'pgibbons@home.example' } });
    expect(viaOldAddress.body.customerId).toBe(peter.body.id);
    expect((await owner.post('/api/v1/tickets', { subject: 'Merged id', customer: { id: duplicate.body.id } })).status).toBe(409);
    expect((await owner.post(`/api/v1/customers/${peter.body.id}/merge`, { sourceCustomerId: peter.body.id })).status).toBe(400);

    for (let index = 0; index < 5; index++) await owner.post('/api/v1/customers', { name: `Pager ${index}` });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await owner.get(`/api/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(duplicate.body.id);
    expect((await owner.get('/api/v1/customers?cursor=not-a-cursor')).status).toBe(400);
  });

  it('staff and teams: list, read, create, rename, set members, delete', async () => {
    const { staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent');
    const staff = await owner.get('/api/v1/staff');
    expect(staff.body.items.map((member: { email: string }) => member.email).sort()).toEqual(['agent@acme.example', 'owner@acme.example']);
    expect((await owner.get(`/api/v1/staff/${agentId}`)).body).toMatchObject({ role: 'agent', isActive: true });
    expect((await owner.patch(`/api/v1/staff/${agentId}`, { role: 'manager' })).body.role).toBe('manager');
    expect((await owner.patch(`/api/v1/staff/${agentId}`, { role: 'agent' })).body.role).toBe('agent');
    expect((await owner.get('/api/v1/invitations')).body.items[0]).toMatchObject({ email: 'agent@acme.example', acceptedAt: expect.any(String) });
    const team = await owner.post('/api/v1/teams', { name: 'Returns', memberIds: [agentId] });
    expect(team.body).toMatchObject({ name: 'Returns', memberIds: [agentId] });
    expect((await owner.get(`/api/v1/staff/${agentId}`)).body.teamIds).toEqual([team.body.id]);
    expect((await owner.get(`/api/v1/teams/${team.body.id}`)).body.name).toBe('Returns');
    expect((await owner.patch(`/api/v1/teams/${team.body.id}`, { name: 'Returns & Repairs', memberIds: [] })).body).toMatchObject({ name: 'Returns & Repairs', memberIds: [] });
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Team ticket', customer: { email: 'team@example.com' }, teamId: team.body.id });
    expect((await owner.get(`/api/v1/tickets?teamId=${team.body.id}`)).body.items).toHaveLength(1);
    expect((await owner.get('/api/v1/teams')).body.items).toHaveLength(1);
    expect((await owner.delete(`/api/v1/teams/${team.body.id}`)).status).toBe(200);
    expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body.teamId).toBeNull();
    expect((await owner.get(`/api/v1/teams/${team.body.id}`)).status).toBe(404);
  });

  it('tickets: read, messages, events, tags, bulk, links, split, merge; search; audit log filters', async () => {
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Toaster burns bread', customer: { email: 'toast@example.com', name: 'Tess Toast' }, message: { text: 'Always charcoal', html: '<p>Always <b>charcoal</b><script>alert(1)</script></p>' } });
    const messages = await owner.get(`/api/v1/tickets/${ticket.body.id}/messages`);
    expect(messages.body.items[0].html).not.toContain('script');
    expect(messages.body.items[0].text).toBe('Always charcoal');
    const tagged = await owner.post(`/api/v1/tickets/${ticket.body.id}/tags`, { add: ['Appliance', 'burn'], remove: [] });
    expect(tagged.body.tags).toEqual(['appliance', 'burn']);
    const second = await owner.post('/api/v1/tickets', { subject: 'Kettle too', customer: { email: 'toast@example.com' }, message: { text: 'And the kettle' } });
    expect((await owner.post('/api/v1/tickets/bulk', { ticketIds: [ticket.body.id, second.body.id], changes: { status: 'pending', addTags: ['kitchen'] } })).body).toEqual({ updated: 2 });
    expect((await owner.get('/api/v1/tickets?tag=kitchen&statusCategory=pending')).body.items).toHaveLength(2);
    expect((await owner.post(`/api/v1/tickets/${ticket.body.id}/links`, { ticketId: second.body.id })).body.linkedTicketIds).toEqual([second.body.id]);
    expect((await owner.delete(`/api/v1/tickets/${ticket.body.id}/links/${second.body.id}`)).body.linkedTicketIds).toEqual([]);
    expect((await owner.delete(`/api/v1/tickets/${ticket.body.id}/links/${second.body.id}`)).status).toBe(404);
    const extra = await owner.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'inbound', text: 'Also: my invoice is wrong' });
    expect(extra.body.ticket.statusCategory).toBe('open');
    const split = await owner.post(`/api/v1/messages/${extra.body.message.id}/split`);
    expect(split.status).toBe(201);
    expect((await owner.post(`/api/v1/messages/${(await owner.get(`/api/v1/tickets/${second.body.id}/messages`)).body.items[0].id}/split`)).status).toBe(409);
    expect((await owner.post(`/api/v1/tickets/${second.body.id}/merge`, { targetTicketId: ticket.body.id })).body.id).toBe(ticket.body.id);
    expect((await owner.post(`/api/v1/tickets/${second.body.id}/messages`, { kind: 'reply', text: 'hello?' })).status).toBe(409);
    expect((await owner.get(`/api/v1/tickets/${ticket.body.id}/events`)).body.items.map((event: { type: string }) => event.type)).toContain('ticket.merged');
    expect((await owner.get('/api/v1/search?q=toaster&kind=ticket')).body.items.map((hit: { refId: string }) => hit.refId).sort()).toEqual([ticket.body.id, split.body.id].sort());
    const patched = await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { subject: 'Toaster burns all bread', priority: 'high', customFields: { model: 'T-1000' } });
    expect(patched.body).toMatchObject({ subject: 'Toaster burns all bread', priority: 'high', customFields: { model: 'T-1000' } });
    expect((await owner.get('/api/v1/search?q=all%20bread&kind=ticket')).body.items.map((hit: { refId: string }) => hit.refId)).toEqual([ticket.body.id]);
    // The merged conversation is found on the ticket it moved to.
    const moved = await owner.get('/api/v1/search?q=and%20the%20kettle&kind=message');
    expect(moved.body.items.map((hit: { ticketId: string }) => hit.ticketId)).toEqual([ticket.body.id]);
    const audit = await owner.get(`/api/v1/events?type=ticket.merged&subjectId=${ticket.body.id}`);
    expect(audit.body.items).toHaveLength(1);
    const page = await owner.get('/api/v1/events?limit=5');
    const next = await owner.get(`/api/v1/events?limit=5&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].id).toBeLessThan(page.body.items[4].id);
  });

  it('auth routes: session, switch, tokens, password, sign-out', async () => {
    const session = await owner.get('/api/v1/auth/session');
    expect(session.body).toMatchObject({ user: { email: 'owner@acme.example', isInstanceOwner: true }, workspace: { role: 'owner' } });
    const created = await owner.post('/api/v1/workspaces', { name: 'Other brand' });
    expect((await owner.post('/api/v1/auth/switch-workspace', { workspaceId: created.body.id })).status).toBe(200);
    expect((await owner.post('/api/v1/auth/switch-workspace', { workspaceId: session.body.workspace.id })).status).toBe(200);
    const token = await owner.post('/api/v1/api-tokens', { name: 'CI', scopes: ['read'] });
    expect((await owner.get('/api/v1/api-tokens')).body.items.map((item: { id: string }) => item.id)).toContain(token.body.id);
    expect((await owner.delete(`/api/v1/api-tokens/${token.body.id}`)).status).toBe(200);
    const invitation = await owner.post('/api/v1/invitations', { email: 'later@acme.example', role: 'manager' });
    expect((await owner.get(`/api/v1/invitations/preview/${invitation.body.token}`)).body.role).toBe('manager');
    expect((await owner.delete(`/api/v1/invitations/${invitation.body.id}`)).status).toBe(200);
    expect((await owner.post('/api/v1/auth/password', { currentPassword: 'correct horse battery staple', newPassword: 'an even better password' })).status).toBe(200);
    const again = new RecordingClient(server.url, seen, () => operations);
    expect((await again.post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: 'an even better password' })).status).toBe(200);
    expect((await again.post('/api/v1/auth/sign-out-everywhere')).status).toBe(200);
    const third = new RecordingClient(server.url, seen, () => operations);
    await third.post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: 'an even better password' });
    expect((await third.post('/api/v1/auth/sign-out')).status).toBe(200);
    const { client: agent } = await addStaff(new RecordingClient(server.url, seen, () => operations), 'x@acme.example', 'agent').catch(() => ({ client: undefined }));
    expect(agent).toBeUndefined();
  });

  it('every core route answered 2xx at least once above (other modules test their own)', () => {
    const documented = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
    expect(coreRoutes.filter((route) => !documented.has(route)), 'core routes missing from the OpenAPI document').toEqual([]);
    // invitations/accept succeeds through addStaff's own client.
    expect(coreRoutes.filter((route) => !seen.has(route) && route !== 'POST /api/v1/invitations/accept')).toEqual([]);
  });
});
