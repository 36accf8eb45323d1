import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, addStaff, ownerPassword, setUpWorkspace } from './client.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';

/** Races a single-threaded test would never see: each rule must hold under concurrent requests too. */
describeEachDialect('invariants under concurrent requests', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const setups = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        new ApiClient(server.url).post('/api/v1/setup', { workspaceName: `Race ${index}`, ownerName: 'Olivia Owner', email: `owner${index}@acme.example`, password: ownerPassword }),
      ),
    );
    expect(setups.filter((response) => response.status === 201)).toHaveLength(1);
    const winner = setups.findIndex((response) => response.status === 201);
    owner = new ApiClient(server.url);
    await owner.post('/api/v1/auth/sign-in', { email: `owner${winner}@acme.example`, password: ownerPassword });
  });
  afterAll(() => server.close());

  it('tickets from one new address at once create one customer', async () => {
    const responses = await Promise.all(Array.from({ length: 15 }, (_, index) => owner.post('/api/v1/tickets', { subject: `Burst ${index}`, customer: { email: 'burst@example.com' }, message: { text: 'hello' } })));
    expect(responses.map((response) => response.status)).toEqual(Array(15).fill(201));
    expect(new Set(responses.map((response) => response.body.customerId)).size).toBe(1);
    expect((await owner.get('/api/v1/customers?email=burst@example.com')).body.items).toHaveLength(1);
  });

  it('one email, many concurrent customer creations: one 201, the rest 409', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => owner.post('/api/v1/customers', { name: 'Twin', email: 'twin@example.com' })));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    for (const response of responses) expect([201, 409]).toContain(response.status);
  });

  it('an invitation accepted twice at once makes one member', async () => {
    const invitation = await owner.post('/api/v1/invitations', { email: 'double@acme.example', role: 'agent' });
    const responses = await Promise.all(Array.from({ length: 6 }, () => new ApiClient(server.url).post('/api/v1/invitations/accept', { token: invitation.body.token, name: 'Double', password: ownerPassword })));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of responses) expect([200, 404]).toContain(response.status);
    const staff = await owner.get('/api/v1/staff');
    expect(staff.body.items.filter((member: { email: string }) => member.email === 'double@acme.example')).toHaveLength(1);
  });

  it('two owners demoting each other at once still leave an owner', async () => {
    const ownerStaffId = (await owner.get('/api/v1/auth/session')).body.workspace.staffId;
    const { client: second, staffId: secondId } = await addStaff(owner, 'second-owner@acme.example', 'owner');
    const [first, other] = await Promise.all([owner.patch(`/api/v1/staff/${secondId}`, { role: 'manager' }), second.patch(`/api/v1/staff/${ownerStaffId}`, { role: 'manager' })]);
    const staff = await server.database.handle.db.selectFrom('staff').select(['id', 'role']).where('role', '=', 'owner').where('is_active', '=', 1).where('id', 'in', [ownerStaffId, secondId]).execute();
    expect(staff.length, `statuses ${first.status} ${other.status}`).toBeGreaterThanOrEqual(1);
  });
  it('two customers merged into each other at once: one merge wins, no cycle', async () => {
    const left = (await owner.post('/api/v1/customers', { name: 'Left', email: 'left@example.com' })).body;
    const right = (await owner.post('/api/v1/customers', { name: 'Right', email: 'right@example.com' })).body;
    const responses = await Promise.all([owner.post(`/api/v1/customers/${left.id}/merge`, { sourceCustomerId: right.id }), owner.post(`/api/v1/customers/${right.id}/merge`, { sourceCustomerId: left.id })]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const rows = await server.database.handle.db.selectFrom('customers').select(['id', 'merged_into_id']).where('id', 'in', [left.id, right.id]).execute();
    expect(rows.filter((row) => row.merged_into_id === null)).toHaveLength(1);
  });

  it('two tickets merged into each other at once: one merge wins, no cycle', async () => {
    const make = async (subject: string) => (await owner.post('/api/v1/tickets', { subject, customer: { email: 'merger@example.com' }, message: { text: subject } })).body;
    const first = await make('Merge race one');
    const second = await make('Merge race two');
    const responses = await Promise.all([owner.post(`/api/v1/tickets/${first.id}/merge`, { targetTicketId: second.id }), owner.post(`/api/v1/tickets/${second.id}/merge`, { targetTicketId: first.id })]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const rows = await server.database.handle.db.selectFrom('tickets').select(['id', 'merged_into_id']).where('id', 'in', [first.id, second.id]).execute();
    expect(rows.filter((row) => row.merged_into_id === null)).toHaveLength(1);
  });
  it('linking two tickets from both sides at once never fails', async () => {
    for (let round = 0; round < 5; round++) {
      const make = async (subject: string) => (await owner.post('/api/v1/tickets', { subject, customer: { email: 'linker@example.com' } })).body;
      const first = await make(`Link race ${round} a`);
      const second = await make(`Link race ${round} b`);
      const responses = await Promise.all([owner.post(`/api/v1/tickets/${first.id}/links`, { ticketId: second.id }), owner.post(`/api/v1/tickets/${second.id}/links`, { ticketId: first.id })]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      expect((await owner.get(`/api/v1/tickets/${first.id}`)).body.linkedTicketIds).toEqual([second.id]);
    }
  });
});
