import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, type ApiResponse } from './client.js';
import { buildTwoWorkspaces, type TwoWorkspaces } from './fixtures.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';
import { exampleOf, fillPath, inParallel, type Operation } from './openapi.js';

/**
 * Workspace isolation, enumerated from /api/openapi.json: every route that takes an id, called by
 * workspace A (session and API token) with any id of workspace B, must answer exactly as it does
 * for an id that exists nowhere: 404, never 200, 403 or 500. A route added later is covered
 * without editing this file.
 */
const absentId = 'zzzzzzzzzzzzzzzzzzzzzzzzzz';

/**
 * Routes that answer a foreign id exactly as an absent one, but with a 200 instead of a 404.
 * They show nothing of B, so they are tolerated, loudly; each belongs to its module to fix.
 */
const knownExceptions: Record<string, string> = {};

describeEachDialect('workspace isolation', (dialect) => {
  let server: TestServer;
  let world: TwoWorkspaces;
  let callers: Array<{ name: string; client: ApiClient }>;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    world = await buildTwoWorkspaces(server.url);
    // The owner of A is the same person as the owner of B; their user id is shared by design.
    world.b.allIds.delete(world.a.ids.user!);
    for (const id of world.a.allIds) world.b.allIds.delete(id);
    // An invitation token is a capability for whoever holds the link (the public preview route
    // answers it by design), not an id of B's data.
    world.b.allIds.delete(world.b.ids.invitationToken!);
    callers = [
      { name: "A's session", client: world.a.owner },
      { name: "A's API token", client: new ApiClient(server.url).withToken(world.a.token) },
    ];
  });
  afterAll(() => server.close());

  const withParams = () => world.operations.filter((operation) => operation.pathParams.length > 0);

  async function call(client: ApiClient, operation: Operation, values: Record<string, string>): Promise<ApiResponse> {
    const body = operation.bodySchema ? (exampleOf(operation.bodySchema) ?? {}) : operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {};
    return client.request(operation.method, fillPath(operation.path, values), body);
  }

  function describeResponse(response: ApiResponse): string {
    return `${response.status} ${typeof response.body === 'object' ? response.body?.code : ''}`;
  }

  it('has B fixtures of every core kind and routes with ids to try them on', () => {
    expect(Object.keys(world.b.ids)).toEqual(expect.arrayContaining(['ticket', 'customer', 'message', 'organization', 'team', 'ownerStaff', 'agentStaff', 'invitation', 'invitationToken', 'apiToken', 'statusKey']));
    expect(world.b.allIds.size).toBeGreaterThanOrEqual(14);
    console.log(`isolation: ${world.b.allIds.size} ids of B, ${withParams().length} routes with ids`);
    expect(withParams().length).toBeGreaterThanOrEqual(20);
  });

  it("every id of workspace B is 404 to A's session and A's token on every route with a path parameter", { timeout: 240_000 }, async () => {
    const leaks: string[] = [];
    const tolerated = new Set<string>();
    let checked = 0;
    const ownerOfB = new ApiClient(server.url).withToken(world.b.token);
    const tasks: Array<() => Promise<void>> = [];
    for (const operation of withParams()) {
      for (const { name, client } of callers) {
        tasks.push(async () => {
          const route = `${operation.method} ${operation.path}`;
          const baseline = await call(client, operation, Object.fromEntries(operation.pathParams.map((param) => [param, absentId])));
          for (const foreignId of world.b.allIds) {
            const values = Object.fromEntries(operation.pathParams.map((param) => [param, foreignId]));
            const response = await call(client, operation, values);
            checked++;
            const what = `${route} as ${name} with B id ${foreignId}: ${describeResponse(response)} (absent id: ${describeResponse(baseline)})`;
            if (response.status === 404) continue;
            if (route in knownExceptions && response.status === baseline.status && JSON.stringify(response.body) === JSON.stringify(baseline.body)) {
              tolerated.add(route);
              continue;
            }
            // A 400 is no leak when the id's very shape is wrong for this route (B itself gets 400 too).
            if (response.status === 400 && (await call(ownerOfB, operation, values)).status === 400) continue;
            leaks.push(what);
          }
        });
      }
    }
    await inParallel(tasks);
    if (tolerated.size > 0) console.warn(`isolation: tolerated for now (no B data shown, but not 404): ${[...tolerated].map((route) => `${route}: ${knownExceptions[route]}`).join('; ')}`);
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('a route with several ids refuses a B id in any position even when the others are A ids', { timeout: 240_000 }, async () => {
    const leaks: string[] = [];
    const token = callers[1]!.client;
    const tasks: Array<() => Promise<void>> = [];
    // A's core ids fill the other positions; B's ids of every kind go in each position in turn.
    const ownIds = Object.entries(world.a.ids).filter(([kind]) => kind !== 'invitationToken' && kind !== 'user').map(([, id]) => id);
    for (const operation of withParams().filter((candidate) => candidate.pathParams.length > 1)) {
      for (const [position, param] of operation.pathParams.entries()) {
        for (const ownId of ownIds) {
          tasks.push(async () => {
            for (const foreignId of world.b.allIds) {
              const values = Object.fromEntries(operation.pathParams.map((other, index) => [other, index === position ? foreignId : ownId]));
              const response = await call(token, operation, values);
              if (response.status !== 404 && response.status !== 400) leaks.push(`${operation.method} ${operation.path} ${param}=${foreignId} (others ${ownId}): ${describeResponse(response)}`);
            }
          });
        }
      }
    }
    await inParallel(tasks);
    expect(leaks).toEqual([]);
  });

  it("the same routes do answer for A's own ids, so the 404s above are not vacuous", async () => {
    const unanswered: string[] = [];
    for (const operation of withParams().filter((candidate) => candidate.method === 'GET')) {
      let answered = false;
      for (const ownId of world.a.allIds) {
        const response = await call(world.a.owner, operation, Object.fromEntries(operation.pathParams.map((param) => [param, ownId])));
        if (response.status === 200) {
          answered = true;
          break;
        }
      }
      if (!answered) unanswered.push(`${operation.method} ${operation.path}`);
    }
    // Core routes must answer; a later module's route whose records the schema examples cannot
    // create is reported so it can get a fixture.
    const core = unanswered.filter((route) => /\/api\/v1\/(tickets|customers|organizations|staff|teams|invitations)\b/.test(route));
    if (unanswered.length > core.length) console.warn(`isolation: no A fixture answered ${unanswered.filter((route) => !core.includes(route)).join(', ')}`);
    expect(core).toEqual([]);
  });

  it("lists and search in A never show B's records", async () => {
    const foreign = new Set(world.b.allIds);
    for (const operation of world.operations.filter((candidate) => candidate.method === 'GET' && candidate.pathParams.length === 0)) {
      for (const { client } of callers) {
        const query = operation.querySchema?.required?.length ? `?${new URLSearchParams(exampleOf(operation.querySchema) as Record<string, string>)}` : '';
        const response = await client.get(operation.path + query);
        const text = JSON.stringify(response.body ?? '');
        for (const id of foreign) if (text.includes(id) && operation.path !== '/api/v1/workspaces' && operation.path !== '/api/v1/auth/session') expect.fail(`${operation.path} shows B's ${id}`);
      }
    }
    for (const q of ['Beta', 'beta.example', 'second question']) {
      const hits = await world.a.owner.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(hits.status).toBe(200);
      for (const hit of hits.body.items) expect(foreign.has(hit.refId)).toBe(false);
    }
  });

  it("ids of B in A's request bodies are refused, not acted upon", async () => {
    const b = world.b.ids;
    const a = world.a.ids;
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/tickets', { subject: 'x', customer: { id: b.customer } }],
      ['POST', '/api/v1/tickets', { subject: 'x', customer: { id: a.customer }, assigneeId: b.agentStaff }],
      ['POST', '/api/v1/tickets', { subject: 'x', customer: { id: a.customer }, teamId: b.team }],
      ['POST', '/api/v1/tickets', { subject: 'x', customer: { id: a.customer }, status: b.statusKey }],
      ['PATCH', `/api/v1/tickets/${a.ticket}`, { assigneeId: b.agentStaff }],
      ['PATCH', `/api/v1/tickets/${a.ticket}`, { teamId: b.team }],
      ['POST', `/api/v1/tickets/${a.ticket}/merge`, { targetTicketId: b.ticket }],
      ['POST', `/api/v1/tickets/${a.ticket}/links`, { ticketId: b.ticket }],
      ['POST', '/api/v1/tickets/bulk', { ticketIds: [b.ticket], changes: { priority: 'high' } }],
      ['POST', `/api/v1/customers/${a.customer}/merge`, { sourceCustomerId: b.customer }],
      ['POST', '/api/v1/customers', { name: 'x', organizationId: b.organization }],
      ['PATCH', `/api/v1/customers/${a.customer}`, { organizationId: b.organization }],
      ['POST', '/api/v1/teams', { name: 'x', memberIds: [b.agentStaff] }],
      ['POST', '/api/v1/auth/switch-workspace', { workspaceId: 'no-such-workspace' }],
    ];
    for (const [method, path, body] of attempts) {
      for (const { name, client } of callers) {
        const response = await client.request(method, path, body);
        expect([400, 403, 404], `${method} ${path} as ${name}: ${JSON.stringify(response.body)}`).toContain(response.status);
        if (path === '/api/v1/auth/switch-workspace') continue;
        expect(response.status, `${method} ${path}`).not.toBe(403);
      }
    }
    const ticketB = await world.b.owner.get(`/api/v1/tickets/${b.ticket}`);
    expect(ticketB.body).toMatchObject({ mergedIntoId: null, priority: 'normal' });
    const customerB = await world.b.owner.get(`/api/v1/customers/${b.customer}`);
    expect(customerB.body.mergedIntoId).toBeNull();
  });

  it("A's token cannot act in B, and a session cannot switch into a workspace it is not a member of", async () => {
    const manager = world.a.manager;
    const switched = await manager.post('/api/v1/auth/switch-workspace', { workspaceId: world.b.workspaceId });
    expect(switched.status).toBe(404);
    const still = await manager.get('/api/v1/auth/session');
    expect(still.body.workspace.id).toBe(world.a.workspaceId);
    const tokenSwitch = await new ApiClient(server.url).withToken(world.a.token).post('/api/v1/auth/switch-workspace', { workspaceId: world.b.workspaceId });
    expect(tokenSwitch.status).toBe(403);
  });
});
