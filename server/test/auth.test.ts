import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, addStaff, ownerPassword, setUpWorkspace } from './client.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';

/** Sign-in, sessions, CSRF, API tokens, invitations and workspaces, over real HTTP. */
describeEachDialect('authentication and access', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let workspaceId: string;
  const ownerEmail = 'owner@acme.example';

  beforeAll(async () => {
    // The test client stands in for a reverse proxy on loopback, so it may set X-Forwarded-For.
    server = await startTestServer(dialect, { RAVING_TRUST_PROXY: '127.0.0.1' });
    ({ owner, workspaceId } = await setUpWorkspace(server.url, 'Acme', ownerEmail));
  });
  afterAll(() => server.close());

  function from(address: string): Record<string, string> {
    return { 'x-forwarded-for': address };
  }

  async function signIn(email: string, password: string, address = '198.51.100.1') {
    const client = new ApiClient(server.url);
    const response = await client.post('/api/v1/auth/sign-in', { email, password }, from(address));
    return { client, response };
  }

  it('signs in and out; a wrong password is a 401 problem that does not say which part was wrong', async () => {
    const { client, response } = await signIn(ownerEmail, ownerPassword);
    expect(response.status).toBe(200);
    expect(typeof response.body.csrfToken).toBe('string');
    expect((await client.get('/api/v1/auth/session')).body.workspace.id).toBe(workspaceId);
    expect((await client.post('/api/v1/auth/sign-out')).status).toBe(200);
    expect((await client.get('/api/v1/auth/session')).status).toBe(401);
    const wrong = await signIn(ownerEmail, 'not the password', '198.51.100.2');
    const unknown = await signIn('nobody@acme.example', 'not the password', '198.51.100.2');
    for (const failed of [wrong.response, unknown.response]) {
      expect(failed.status).toBe(401);
      expect(failed.headers.get('content-type')).toContain('application/problem+json');
      expect(failed.body.code).toBe('invalid_credentials');
    }
    expect(wrong.response.body.detail).toBe(unknown.response.body.detail);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, on / and not Secure over plain http', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', ...from('198.51.100.3') }, body: JSON.stringify({ email: ownerEmail, password: ownerPassword }) });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^raving_session=[^;]{20,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    // Behind a trusted proxy that terminated HTTPS, the cookie is Secure.
    const proxied = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', ...from('198.51.100.3'), 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: ownerEmail, password: ownerPassword }) });
    expect(proxied.headers.get('set-cookie')).toContain('Secure');
  });

  it('limits sign-in attempts per account (from any address) with 429 and Retry-After', async () => {
    await addStaff(owner, 'target@acme.example', 'agent');
    for (let attempt = 0; attempt < 10; attempt++) {
      const { response } = await signIn('target@acme.example', 'guess number ' + attempt, `203.0.113.${attempt + 1}`);
      expect(response.status).toBe(401);
    }
    const { response } = await signIn('target@acme.example', ownerPassword, '203.0.113.99');
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other accounts are unaffected.
    expect((await signIn(ownerEmail, ownerPassword, '203.0.113.100')).response.status).toBe(200);
  });

  it('limits sign-in attempts per address (across accounts) with 429 and Retry-After; other addresses still sign in', async () => {
    let limited: Awaited<ReturnType<typeof signIn>>['response'] | undefined;
    for (let attempt = 0; attempt < 60 && !limited; attempt++) {
      const { response } = await signIn(`guess${attempt}@acme.example`, 'whatever password', '192.0.2.66');
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(401);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(ownerEmail, ownerPassword, '192.0.2.66')).response.status).toBe(429);
    expect((await signIn(ownerEmail, ownerPassword, '192.0.2.67')).response.status).toBe(200);
  });

  it('refuses cookie-authenticated writes without the right X-CSRF-Token; tokens and reads need none', async () => {
    const { client } = await signIn(ownerEmail, ownerPassword, '198.51.100.4');
    const body = { subject: 'CSRF probe', customer: { email: 'csrf@example.com' } };
    const saved = client.csrfToken;
    client.csrfToken = undefined;
    const missing = await client.post('/api/v1/tickets', body);
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('csrf_failed');
    client.csrfToken = 'x'.repeat(saved!.length);
    expect((await client.post('/api/v1/tickets', body)).status).toBe(403);
    client.csrfToken = undefined;
    expect((await client.get('/api/v1/tickets')).status).toBe(200);
    client.csrfToken = saved;
    expect((await client.post('/api/v1/tickets', body)).status).toBe(201);
    const list = await owner.get('/api/v1/tickets?limit=200');
    expect(list.body.items.filter((ticket: { subject: string }) => ticket.subject === 'CSRF probe')).toHaveLength(1);
  });

  it('signs out everywhere: every session of the user ends', async () => {
    const { client: agent } = await addStaff(owner, 'roamer@acme.example', 'agent');
    const second = (await signIn('roamer@acme.example', ownerPassword, '198.51.100.5')).client;
    expect((await agent.get('/api/v1/auth/session')).status).toBe(200);
    expect((await second.post('/api/v1/auth/sign-out-everywhere')).status).toBe(200);
    expect((await agent.get('/api/v1/auth/session')).status).toBe(401);
    expect((await second.get('/api/v1/auth/session')).status).toBe(401);
  });

  it('a password change ends the other sessions, keeps this one, and only the new password works', async () => {
    const { client: first } = await addStaff(owner, 'changer@acme.example', 'agent');
    const other = (await signIn('changer@acme.example', ownerPassword, '198.51.100.6')).client;
    const wrongCurrent = await first.post('/api/v1/auth/password', { currentPassword: 'wrong password!', newPassword: 'a brand new password' });
    expect(wrongCurrent.status).toBe(400);
    expect((await first.post('/api/v1/auth/password', { currentPassword: ownerPassword, newPassword: 'a brand new password' })).status).toBe(200);
    expect((await first.get('/api/v1/auth/session')).status).toBe(200);
    expect((await other.get('/api/v1/auth/session')).status).toBe(401);
    expect((await signIn('changer@acme.example', ownerPassword, '198.51.100.7')).response.status).toBe(401);
    expect((await signIn('changer@acme.example', 'a brand new password', '198.51.100.8')).response.status).toBe(200);
  });

  it('API tokens: shown once, stored only as a hash, scoped, revocable', async () => {
    const created = await owner.post('/api/v1/api-tokens', { name: 'Integration', scopes: ['read'] });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^rvg_.{30,}$/);
    const listed = await owner.get('/api/v1/api-tokens');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.items.find((item: { id: string }) => item.id === created.body.id)).toMatchObject({ name: 'Integration', scopes: ['read'], revokedAt: null });
    const rows = await server.database.handle.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(token);
      expect(JSON.stringify(row)).not.toContain(token.slice(10));
    }

    const reader = new ApiClient(server.url).withToken(token);
    expect((await reader.get('/api/v1/tickets')).status).toBe(200);
    const write = await reader.post('/api/v1/tickets', { subject: 'By token', customer: { email: 'token@example.com' } });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('forbidden');
    expect((await reader.get('/api/v1/api-tokens')).status).toBe(403);

    const revoked = await owner.delete(`/api/v1/api-tokens/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await reader.get('/api/v1/tickets');
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
    expect((await new ApiClient(server.url).withToken('rvg_made_up_token_value_00000000000').get('/api/v1/tickets')).status).toBe(401);
  });

  it('a token of a deactivated staff member stops working', async () => {
    const { client: agent, staffId } = await addStaff(owner, 'leaver@acme.example', 'agent');
    const created = await agent.post('/api/v1/api-tokens', { name: 'Mine', scopes: ['read', 'write'] });
    const byToken = new ApiClient(server.url).withToken(created.body.token);
    expect((await byToken.get('/api/v1/tickets')).status).toBe(200);
    expect((await owner.patch(`/api/v1/staff/${staffId}`, { isActive: false })).status).toBe(200);
    expect((await byToken.get('/api/v1/tickets')).status).toBe(401);
    expect((await agent.get('/api/v1/tickets')).status).toBe(403);
  });

  it('invitations: accepted once; a used or expired link is a 404; agents cannot invite; managers cannot invite owners', async () => {
    const invitation = await owner.post('/api/v1/invitations', { email: 'newcomer@acme.example', role: 'agent' });
    expect(invitation.status).toBe(201);
    expect(invitation.body.acceptUrl).toContain(invitation.body.token);
    const preview = await new ApiClient(server.url).get(`/api/v1/invitations/preview/${invitation.body.token}`);
    expect(preview.body).toMatchObject({ email: 'newcomer@acme.example', role: 'agent', hasAccount: false, workspaceName: 'Acme' });
    const accepting = new ApiClient(server.url);
    const accepted = await accepting.post('/api/v1/invitations/accept', { token: invitation.body.token, name: 'New Comer', password: 'newcomer password' });
    expect(accepted.status).toBe(200);
    expect((await accepting.get('/api/v1/auth/session')).body.workspace).toMatchObject({ id: workspaceId, role: 'agent' });
    const again = await new ApiClient(server.url).post('/api/v1/invitations/accept', { token: invitation.body.token, name: 'Someone Else', password: 'another password' });
    expect(again.status).toBe(404);
    expect((await new ApiClient(server.url).get(`/api/v1/invitations/preview/${invitation.body.token}`)).status).toBe(404);

    const expiring = await owner.post('/api/v1/invitations', { email: 'late@acme.example', role: 'agent' });
    await server.database.handle.db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', expiring.body.id).execute();
    expect((await new ApiClient(server.url).post('/api/v1/invitations/accept', { token: expiring.body.token, name: 'Late', password: 'late password 123' })).status).toBe(404);
    expect((await new ApiClient(server.url).get(`/api/v1/invitations/preview/${expiring.body.token}`)).status).toBe(404);

    const withdrawn = await owner.post('/api/v1/invitations', { email: 'withdrawn@acme.example', role: 'agent' });
    expect((await owner.delete(`/api/v1/invitations/${withdrawn.body.id}`)).status).toBe(200);
    expect((await new ApiClient(server.url).post('/api/v1/invitations/accept', { token: withdrawn.body.token, name: 'W', password: 'withdrawn password' })).status).toBe(404);

    const { client: agent } = await addStaff(owner, 'plain-agent@acme.example', 'agent');
    expect((await agent.post('/api/v1/invitations', { email: 'friend@acme.example', role: 'agent' })).status).toBe(403);
    const { client: manager } = await addStaff(owner, 'manager@acme.example', 'manager');
    expect((await manager.post('/api/v1/invitations', { email: 'agent2@acme.example', role: 'agent' })).status).toBe(201);
    const ownerInvite = await manager.post('/api/v1/invitations', { email: 'boss@acme.example', role: 'owner' });
    expect(ownerInvite.status).toBe(403);
    expect(ownerInvite.body.code).toBe('forbidden');
  });

  it('an existing user joins with their own password, never with a new one', async () => {
    const invitation = await owner.post('/api/v1/invitations', { email: ownerEmail, role: 'agent' });
    // The owner is already a member: accepting with a wrong password must not take over the account.
    const hijack = await new ApiClient(server.url).post('/api/v1/invitations/accept', { token: invitation.body.token, name: 'Mallory', password: 'mallory password' });
    expect(hijack.status).toBe(400);
    expect((await signIn(ownerEmail, ownerPassword, '198.51.100.9')).response.status).toBe(200);
    // With the right password, accepting a lower-role invitation does not demote the last owner.
    const joined = new ApiClient(server.url);
    expect((await joined.post('/api/v1/invitations/accept', { token: invitation.body.token, password: ownerPassword })).status).toBe(200);
    expect((await joined.get('/api/v1/auth/session')).body.workspace.role).toBe('owner');
  });

  it('the instance owner creates workspaces and switches between them; others cannot create workspaces', async () => {
    const created = await owner.post('/api/v1/workspaces', { name: 'Second Brand', timeZone: 'Europe/Paris' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Second Brand', timeZone: 'Europe/Paris' });
    const { client: agent } = await addStaff(owner, 'no-creator@acme.example', 'agent');
    expect((await agent.post('/api/v1/workspaces', { name: 'Rogue' })).status).toBe(403);
    const { client: manager } = await addStaff(owner, 'no-creator-manager@acme.example', 'manager');
    expect((await manager.post('/api/v1/workspaces', { name: 'Rogue' })).status).toBe(403);

    const memberships = await owner.get('/api/v1/workspaces');
    expect(memberships.body.items.map((item: { name: string }) => item.name)).toEqual(['Acme', 'Second Brand']);
    await owner.post('/api/v1/tickets', { subject: 'Only in Acme', customer: { email: 'acme-only@example.com' } });
    expect((await owner.post('/api/v1/auth/switch-workspace', { workspaceId: created.body.id })).status).toBe(200);
    const session = await owner.get('/api/v1/auth/session');
    expect(session.body.workspace).toMatchObject({ id: created.body.id, role: 'owner' });
    const tickets = await owner.get('/api/v1/tickets');
    expect(tickets.body.items).toEqual([]);
    expect((await owner.post('/api/v1/auth/switch-workspace', { workspaceId })).status).toBe(200);
    expect((await owner.get('/api/v1/auth/session')).body.workspace.id).toBe(workspaceId);
  });

  it('the last owner cannot be demoted or deactivated; with a second owner one can step down', async () => {
    const session = await owner.get('/api/v1/auth/session');
    const ownerStaffId = session.body.workspace.staffId;
    const demote = await owner.patch(`/api/v1/staff/${ownerStaffId}`, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.headers.get('content-type')).toContain('application/problem+json');
    expect((await owner.patch(`/api/v1/staff/${ownerStaffId}`, { isActive: false })).status).toBe(409);
    const { client: second, staffId: secondId } = await addStaff(owner, 'co-owner@acme.example', 'owner');
    expect((await owner.get(`/api/v1/staff/${secondId}`)).body.role).toBe('owner');
    expect((await second.patch(`/api/v1/staff/${secondId}`, { role: 'manager' })).status).toBe(200);
    expect((await owner.patch(`/api/v1/staff/${ownerStaffId}`, { role: 'manager' })).status).toBe(409);
  });
});

describeEachDialect('session cookie behind HTTPS', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { RAVING_PUBLIC_URL: 'https://desk.example.com' });
  });
  afterAll(() => server.close());

  it('is Secure when RAVING_PUBLIC_URL is https', async () => {
    const response = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceName: 'Secure', ownerName: 'Sam', email: 'sam@example.com', password: ownerPassword }),
    });
    expect(response.status).toBe(201);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const invitation = await fetch(`${server.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceName: 'Again', ownerName: 'Eve', email: 'eve@example.com', password: ownerPassword }) });
    expect(invitation.status).toBe(409);
  });
});

describeEachDialect('forwarded addresses', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    await setUpWorkspace(server.url, 'Acme', 'owner@acme.example');
  });
  afterAll(() => server.close());

  it('are not believed by default: a client cannot claim HTTPS with X-Forwarded-Proto', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: 'owner@acme.example', password: ownerPassword }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).not.toContain('Secure');
  });

  it('are not believed by default, so rotating X-Forwarded-For does not escape the per-address limit', async () => {
    let limited = false;
    for (let attempt = 0; attempt < 60 && !limited; attempt++) {
      const response = await new ApiClient(server.url).post('/api/v1/auth/sign-in', { email: `rotate${attempt}@acme.example`, password: 'whatever password' }, { 'x-forwarded-for': `10.9.8.${attempt}` });
      limited = response.status === 429;
    }
    expect(limited).toBe(true);
  });

});
