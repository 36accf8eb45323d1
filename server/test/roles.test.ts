import { afterAll, beforeAll, expect, it } from 'vitest';
import { routeRulesOf, type RouteRule } from '../src/http/authenticate.js';
import { ApiClient, type ApiResponse } from './client.js';
import { buildTwoWorkspaces, type TwoWorkspaces } from './fixtures.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';
import { exampleOf, fillPath, inParallel, type Operation } from './openapi.js';

/**
 * Role checks on every route: each route's declared minimum role (read from the running app) is
 * enforced for sessions and API tokens alike; every non-public route refuses anonymous callers.
 */
describeEachDialect('role and scope checks on every route', (dialect) => {
  let server: TestServer;
  let world: TwoWorkspaces;
  let rules: RouteRule[];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    world = await buildTwoWorkspaces(server.url);
    rules = routeRulesOf(server.app);
  });
  afterAll(() => server.close());

  const ruleOf = (operation: Operation) => rules.find((rule) => rule.method === operation.method && rule.url === operation.route);
  const absent = 'zzzzzzzzzzzzzzzzzzzzzzzzzz';

  function call(client: ApiClient, operation: Operation): Promise<ApiResponse> {
    const body = operation.bodySchema ? (exampleOf(operation.bodySchema) ?? {}) : operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {};
    const query = operation.querySchema?.required?.length ? `?${new URLSearchParams(exampleOf(operation.querySchema) as Record<string, string>)}` : '';
    return client.request(operation.method, fillPath(operation.path, Object.fromEntries(operation.pathParams.map((param) => [param, absent]))) + query, body);
  }

  async function tokenFor(client: ApiClient, scopes: string[]): Promise<ApiClient> {
    const created = await client.post('/api/v1/api-tokens', { name: `scopes ${scopes.join(' ')}`, scopes });
    expect(created.status).toBe(201);
    return new ApiClient(server.url).withToken(created.body.token);
  }

  it('every documented route has an access rule, and the manager-only core routes are declared so', () => {
    for (const operation of world.operations) expect(ruleOf(operation), `${operation.method} ${operation.route}`).toBeDefined();
    const managerOnly = rules.filter((rule) => rule.access === 'staff' && rule.minimumRole === 'manager').map((rule) => `${rule.method} ${rule.url}`);
    expect(managerOnly).toEqual(
      expect.arrayContaining([
        'PATCH /api/v1/workspace',
        'POST /api/v1/ticket-statuses',
        'PATCH /api/v1/ticket-statuses/:key',
        'PATCH /api/v1/staff/:id',
        'GET /api/v1/invitations',
        'POST /api/v1/invitations',
        'DELETE /api/v1/invitations/:id',
        'POST /api/v1/teams',
        'PATCH /api/v1/teams/:id',
        'DELETE /api/v1/teams/:id',
        'GET /api/v1/events',
      ]),
    );
  });

  it('anonymous callers get 401 problem+json on every route that is not public', { timeout: 240_000 }, async () => {
    const anonymous = new ApiClient(server.url);
    const failures: string[] = [];
    await inParallel(
      world.operations
        .filter((operation) => ruleOf(operation)!.access !== 'public')
        .map((operation) => async () => {
          const response = await call(anonymous, operation);
          if (response.status !== 401 || !response.headers.get('content-type')?.includes('application/problem+json')) failures.push(`${operation.method} ${operation.path}: ${response.status}`);
        }),
    );
    expect(failures).toEqual([]);
  });

  it('a role below the minimum gets 403 on every route, sessions and tokens alike; the minimum role does not', { timeout: 240_000 }, async () => {
    const a = world.a;
    const agentToken = await tokenFor(a.agent, ['read', 'write', 'admin']);
    const managerToken = await tokenFor(a.manager, ['read', 'write', 'admin']);
    const byRole = {
      agent: [a.agent, agentToken],
      manager: [a.manager, managerToken],
      owner: [a.owner, new ApiClient(server.url).withToken(a.token)],
    } as const;
    const below = { agent: [] as const, manager: ['agent'] as const, owner: ['agent', 'manager'] as const };
    const failures: string[] = [];
    let refusals = 0;
    const tasks: Array<() => Promise<void>> = [];
    for (const operation of world.operations) {
      const rule = ruleOf(operation)!;
      if (rule.access !== 'staff') continue;
      for (const role of below[rule.minimumRole]) {
        for (const client of byRole[role]) {
          tasks.push(async () => {
            const response = await call(client, operation);
            if (response.status !== 403 || response.body.code !== 'forbidden') failures.push(`${operation.method} ${operation.path} as ${role}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
            refusals++;
          });
        }
      }
    }
    await inParallel(tasks);
    // The allowed role runs one route at a time: its calls change data (and a session sign-out must not race the rest).
    for (const operation of world.operations) {
      const rule = ruleOf(operation)!;
      if (rule.access !== 'staff') continue;
      for (const client of byRole[rule.minimumRole]) {
        const response = await call(client, operation);
        // A handler may refuse on its own terms (someone else's record); the route rule must not.
        const refusedByRule = response.status === 403 && /needs the \w+ role or higher/.test(response.body?.detail ?? '');
        if (refusedByRule || response.status >= 500) failures.push(`${operation.method} ${operation.path} as ${rule.minimumRole}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(refusals).toBeGreaterThanOrEqual(22);
  });

  it('a read-only token cannot write, a write token cannot administer, and both can read', { timeout: 240_000 }, async () => {
    const reader = await tokenFor(world.a.owner, ['read']);
    const writer = await tokenFor(world.a.owner, ['write']);
    const failures: string[] = [];
    await inParallel(
      world.operations
        .filter((operation) => ruleOf(operation)!.access === 'staff')
        .map((operation) => async () => {
          const rule = ruleOf(operation)!;
          const required = rule.scope ?? (operation.method === 'GET' ? 'read' : 'write');
          const route = `${operation.method} ${operation.path} (needs ${required})`;
          const readerStatus = (await call(reader, operation)).status;
          const writerStatus = (await call(writer, operation)).status;
          if ((required === 'read') === (readerStatus === 403)) failures.push(`${route}: read token got ${readerStatus}`);
          if ((required === 'admin') !== (writerStatus === 403)) failures.push(`${route}: write token got ${writerStatus}`);
        }),
      4,
    );
    expect(failures).toEqual([]);
    const created = await reader.post('/api/v1/tickets', { subject: 'Should not exist', customer: { email: 'nobody@example.com' } });
    expect(created.status).toBe(403);
    const list = await reader.get('/api/v1/tickets?limit=200');
    expect(list.body.items.some((ticket: { subject: string }) => ticket.subject === 'Should not exist')).toBe(false);
  });

  it('in-handler role rules: agents cannot invite, managers cannot make owners, tokens of agents see only their own tokens', async () => {
    const a = world.a;
    expect((await a.agent.post('/api/v1/invitations', { email: 'x@alpha.example', role: 'agent' })).status).toBe(403);
    expect((await a.manager.post('/api/v1/invitations', { email: 'boss@alpha.example', role: 'owner' })).status).toBe(403);
    expect((await a.manager.patch(`/api/v1/staff/${a.ids.agentStaff}`, { role: 'owner' })).status).toBe(403);
    expect((await a.manager.patch(`/api/v1/staff/${a.ownerStaffId}`, { isActive: false })).status).toBe(403);
    const promoted = await a.manager.patch(`/api/v1/staff/${a.ids.agentStaff}`, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect((await a.manager.patch(`/api/v1/staff/${a.ids.agentStaff}`, { role: 'agent' })).status).toBe(200);
    const agentTokens = await a.agent.get('/api/v1/api-tokens');
    expect(agentTokens.status).toBe(200);
    const agentSession = await a.agent.get('/api/v1/auth/session');
    for (const token of agentTokens.body.items) expect(token.staffId).toBe(agentSession.body.workspace.staffId);
    const ownerTokens = await a.owner.get('/api/v1/api-tokens');
    const othersToken = ownerTokens.body.items.find((token: { staffId: string }) => token.staffId === a.ownerStaffId);
    expect((await a.agent.delete(`/api/v1/api-tokens/${othersToken.id}`)).status).toBe(404);
  });
});
