import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { countHandoffs } from './handoffs.js';

describe('countHandoffs', () => {
  it.each([
    [[], 0],
    [[null], 0],
    [['a'], 0],
    [['a', 'b'], 1],
    [[null, 'a', 'b', 'a'], 2],
    [['a', null, 'a'], 0],
    [['a', null, 'b'], 1],
    [['a', 'a'], 0],
  ] as Array<[Array<string | null>, number]>)('%j → %i', (assignees, expected) => expect(countHandoffs(assignees)).toBe(expected));
});

describeEachDialect('escalations', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;
  let managerId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
    ({ staffId: managerId } = await addStaff(owner, 'manager@acme.example', 'manager'));
  });
  afterAll(() => server.close());

  it('records an escalation with its reason and counts handoffs from assignment events', async () => {
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Angry', customer: { email: 'angry@example.com' }, assigneeId: agentId });
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/escalate`, { reason: '' })).status).toBe(400);
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/escalate`, { reason: 'x', managerId: agentId })).status).toBe(400);
    const escalated = await agent.post(`/api/v1/tickets/${ticket.body.id}/escalate`, { reason: 'Wants to speak to a manager', managerId });
    expect(escalated.status).toBe(201);
    expect(escalated.body).toMatchObject({ reason: 'Wants to speak to a manager', staffId: agentId });
    await agent.patch(`/api/v1/tickets/${ticket.body.id}`, { assigneeId: null });
    await agent.patch(`/api/v1/tickets/${ticket.body.id}`, { assigneeId: agentId });
    const listed = await agent.get(`/api/v1/tickets/${ticket.body.id}/escalations`);
    expect(listed.body).toMatchObject({ items: [{ reason: 'Wants to speak to a manager' }], handoffs: 2 });
    const events = (await agent.get(`/api/v1/tickets/${ticket.body.id}/events`)).body.items.map((event: { type: string }) => event.type);
    expect(events).toContain('ticket.escalated');
    expect((await agent.post('/api/v1/tickets/nope/escalate', { reason: 'x' })).status).toBe(404);
  });
});
