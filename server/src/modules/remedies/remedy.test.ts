import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('remedies and approvals', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let manager: ApiClient;
  let agent: ApiClient;
  let agentId: string;
  let managerId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect, { RAVING_WEBHOOK_ALLOW_PRIVATE: '1' });
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: manager, staffId: managerId } = await addStaff(owner, 'manager@acme.example', 'manager'));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  async function newTicket(email: string) {
    const created = await agent.post('/api/v1/tickets', { subject: 'Broken kettle', customer: { email }, message: { text: 'It leaks' } });
    return created.body as { id: string; customer: { id: string } };
  }
  const eventTypes = async (ticketId: string) => (await agent.get(`/api/v1/tickets/${ticketId}/events`)).body.items.map((event: { type: string }) => event.type);

  it('grants a remedy within the limit in one step, together with the reply', async () => {
    const ticket = await newTicket('within@example.com');
    const granted = await agent.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'refund', value: 60, note: 'kettle refund', reply: { text: 'I have refunded your kettle today.', status: 'solved' } });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ outcome: 'granted', reasons: [], remedy: { type: 'refund', value: 60, status: 'granted', approval: null }, limits: { perRemedy: 100, perMonth: 1000, usedThisMonth: 0 }, message: { kind: 'outbound', text: 'I have refunded your kettle today.' }, ticket: { statusCategory: 'solved' } });
    const timeline = await agent.get(`/api/v1/tickets/${ticket.id}/events`);
    const grantedEvent = timeline.body.items.find((event: { type: string }) => event.type === 'remedy.granted');
    expect(grantedEvent.payload).toMatchObject({ type: 'refund', value: 60, note: 'kettle refund', customerId: ticket.customer.id, staffId: agentId, approvalId: null });
    expect((await agent.get(`/api/v1/customers/${ticket.customer.id}/value`)).body).toMatchObject({ remediesGranted: 60, costToServe: 60 });
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'custom', value: 5 })).status).toBe(400);
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'refund', value: -5 })).status).toBe(400);
  });

  it('turns a remedy above the limit into an exception the manager approves with one click', async () => {
    const ticket = await newTicket('above@example.com');
    const requested = await agent.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'replacement', value: 250, note: 'new kettle', reason: 'third failure', reply: { text: 'Replacing it now' } });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      outcome: 'approval_requested',
      reasons: ['over_per_remedy_limit'],
      remedy: { status: 'pending', grantedAt: null, approval: { status: 'pending', requestReason: 'third failure', heldReply: { text: 'Replacing it now', state: 'held', messageId: null } } },
      message: null,
    });
    // Not granted means not sent yet: the customer is not told of a remedy nobody approved, and the
    // reply waits with the request instead of being dropped.
    expect((await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).body.items).toHaveLength(1);
    expect((await agent.get('/api/v1/approvals')).status).toBe(403);

    const queue = await manager.get('/api/v1/approvals?status=pending');
    expect(queue.body.items).toHaveLength(1);
    const approval = queue.body.items[0];
    expect(approval).toMatchObject({ requestedBy: agentId, remedy: { value: 250, type: 'replacement' }, ticket: { id: ticket.id }, customer: { id: ticket.customer.id } });
    expect((await agent.post(`/api/v1/approvals/${approval.id}/decision`, { decision: 'approve', reason: 'ok' })).status).toBe(403);
    expect((await manager.post(`/api/v1/approvals/${approval.id}/decision`, { decision: 'approve' })).status).toBe(400);

    // What realtime pushes: committed events, heard the moment the decision commits.
    const heard: Array<{ type: string; ticketId: string | null; payload: Record<string, unknown> }> = [];
    const stopListening = server.context.bus.onCommitted((event) => heard.push(event));
    const decided = await manager.post(`/api/v1/approvals/${approval.id}/decision`, { decision: 'approve', reason: 'Loyal customer, third failure' });
    stopListening();
    expect(decided.status).toBe(200);
    expect(heard.slice(0, 3).map((event) => [event.type, event.ticketId])).toEqual([['approval.decided', ticket.id], ['remedy.granted', ticket.id], ['message.created', ticket.id]]);
    expect(heard[0]!.payload).toMatchObject({ requestedBy: agentId, decision: 'approve', reason: 'Loyal customer, third failure', heldReply: 'sent' });
    expect(decided.body).toMatchObject({ status: 'granted', approval: { status: 'approved', decidedBy: managerId, decisionReason: 'Loyal customer, third failure', heldReply: { state: 'sent' } } });
    // The held reply went out on approval, written by the agent who asked.
    const messages = (await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).body.items;
    expect(messages.map((message: { kind: string; text: string; authorId: string | null }) => [message.kind, message.text, message.authorId])).toEqual([
      ['inbound', 'It leaks', expect.anything()],
      ['outbound', 'Replacing it now', agentId],
    ]);
    expect(decided.body.approval.heldReply.messageId).toBe(messages[1].id);
    expect((await manager.post(`/api/v1/approvals/${approval.id}/decision`, { decision: 'deny', reason: 'changed my mind' })).status).toBe(409);
    expect(await eventTypes(ticket.id)).toEqual(expect.arrayContaining(['approval.requested', 'approval.decided', 'remedy.granted']));
    expect((await manager.get('/api/v1/approvals?status=pending')).body.items).toHaveLength(0);
    // Approved exceptions are the manager's decision: they do not use up the agent's own allowance.
    expect((await agent.get(`/api/v1/empowerment/limits?ticketId=${ticket.id}`)).body.usedThisMonth).toBe(60);
  });

  it('denies with a reason, and a manager cannot approve their own exception', async () => {
    const ticket = await newTicket('deny@example.com');
    const requested = await manager.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'credit', value: 5000, reply: { text: 'A credit of 5000 is on its way.', status: 'solved' } });
    expect(requested.body.outcome).toBe('approval_requested');
    const approvalId = requested.body.remedy.approval.id;
    expect((await manager.post(`/api/v1/approvals/${approvalId}/decision`, { decision: 'approve', reason: 'mine' })).status).toBe(403);
    const denied = await owner.post(`/api/v1/approvals/${approvalId}/decision`, { decision: 'deny', reason: 'Too much for a credit' });
    // Denied: the held reply is not sent but handed back to its writer, with the ticket untouched.
    expect(denied.body).toMatchObject({ status: 'denied', approval: { status: 'denied', heldReply: { text: 'A credit of 5000 is on its way.', status: 'solved', state: 'returned', messageId: null } } });
    expect(await eventTypes(ticket.id)).toContain('remedy.denied');
    expect((await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).body.items).toHaveLength(1);
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).body.statusCategory).not.toBe('solved');
    const listed = (await agent.get(`/api/v1/tickets/${ticket.id}/remedies`)).body.items;
    expect(listed[0].approval.heldReply.state).toBe('returned');

    // A held "solved" that a playbook now refuses: the approval and the reply go through, the status waits.
    const guarded = await newTicket('guarded@example.com');
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Refund check', steps: [{ title: 'Verify the order', required: true }] });
    expect((await agent.post(`/api/v1/tickets/${guarded.id}/playbooks`, { playbookId: playbook.body.id })).status).toBe(201);
    const blocked = await agent.post(`/api/v1/tickets/${guarded.id}/remedies`, { type: 'refund', value: 300, reply: { text: 'Refund approved and on its way.', status: 'solved' } });
    const heardGuarded: string[] = [];
    const stop = server.context.bus.onCommitted((event) => heardGuarded.push(event.type));
    const through = await manager.post(`/api/v1/approvals/${blocked.body.remedy.approval.id}/decision`, { decision: 'approve', reason: 'ok' });
    stop();
    expect(through.body).toMatchObject({ status: 'granted', approval: { heldReply: { state: 'sent' } } });
    expect((await agent.get(`/api/v1/tickets/${guarded.id}/messages`)).body.items.map((message: { text: string }) => message.text)).toEqual(['It leaks', 'Refund approved and on its way.']);
    expect((await agent.get(`/api/v1/tickets/${guarded.id}`)).body.statusCategory).not.toBe('solved');
    // The undone attempt published nothing: one message event, no status change to solved.
    expect(heardGuarded.filter((type) => type === 'message.created')).toHaveLength(1);

    // Approved after the ticket was closed: the remedy stands, the reply comes back to the agent.
    const closing = await newTicket('closed@example.com');
    const waiting = await agent.post(`/api/v1/tickets/${closing.id}/remedies`, { type: 'refund', value: 400, reply: { text: 'Refunded in full.' } });
    expect((await agent.patch(`/api/v1/tickets/${closing.id}`, { status: 'closed' })).status).toBe(200);
    const late = await manager.post(`/api/v1/approvals/${waiting.body.remedy.approval.id}/decision`, { decision: 'approve', reason: 'ok' });
    expect(late.body).toMatchObject({ status: 'granted', approval: { heldReply: { state: 'returned', messageId: null } } });
    expect((await agent.get(`/api/v1/tickets/${closing.id}/messages`)).body.items).toHaveLength(1);
    expect((await agent.post(`/api/v1/tickets/${closing.id}/remedies`, { type: 'refund', value: 1, reply: { text: 'x' } })).status).toBe(409);
  });

  it('raises the limit for best customers and applies per-agent overrides set by a manager', async () => {
    const ticket = await newTicket('vip@example.com');
    expect((await agent.request('PUT', `/api/v1/customers/${ticket.customer.id}/value`, { revenueToDate: 90000, orders: 40, expectedFutureValue: 10000 })).body.tier).toBe('best');
    const granted = await agent.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'goodwill', value: 180 });
    expect(granted.body).toMatchObject({ outcome: 'granted', limits: { perRemedy: 200, isBestCustomer: true, factor: 2 } });

    expect((await agent.request('PUT', '/api/v1/empowerment/settings', { limits: { agents: { [agentId]: { perRemedy: 10 } } } })).status).toBe(403);
    const settings = await manager.request('PUT', '/api/v1/empowerment/settings', { limits: { agents: { [agentId]: { perRemedy: 10 } } } });
    expect(settings.status).toBe(200);
    expect(settings.body.limits.agents[agentId]).toEqual({ perRemedy: 10 });
    const other = await newTicket('override@example.com');
    expect((await agent.post(`/api/v1/tickets/${other.id}/remedies`, { type: 'discount', value: 11 })).body.outcome).toBe('approval_requested');
    await manager.request('PUT', '/api/v1/empowerment/settings', { limits: { agents: { [agentId]: null } } });
    expect((await agent.post(`/api/v1/tickets/${other.id}/remedies`, { type: 'discount', value: 11 })).body.outcome).toBe('granted');
  });

  it('never lets parallel grants pass the monthly limit together', async () => {
    const { client: racer, staffId: racerId } = await addStaff(owner, 'racer@acme.example', 'agent');
    await manager.request('PUT', '/api/v1/empowerment/settings', { limits: { agents: { [racerId]: { perRemedy: 100, perMonth: 100 } } } });
    const ticket = await newTicket('race@example.com');
    const results = await Promise.all(Array.from({ length: 6 }, () => racer.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'credit', value: 40 })));
    expect(results.map((result) => result.status)).toEqual(Array(6).fill(201));
    const outcomes = results.map((result) => result.body.outcome);
    expect(outcomes.filter((outcome) => outcome === 'granted')).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome === 'approval_requested')).toHaveLength(4);
    const remedies = (await racer.get(`/api/v1/tickets/${ticket.id}/remedies`)).body.items;
    expect(remedies.filter((remedy: { status: string }) => remedy.status === 'granted').reduce((sum: number, remedy: { value: number }) => sum + remedy.value, 0)).toBe(80);

    // The workspace's monthly budget holds too when two agents grant at once: 50 left, six grants of 20.
    const used = (await racer.get('/api/v1/empowerment/limits')).body.workspaceUsedThisMonth;
    await manager.request('PUT', '/api/v1/empowerment/settings', { monthlyBudget: used + 50, limits: { agents: { [racerId]: null } } });
    const { client: other } = await addStaff(owner, 'racer2@acme.example', 'agent');
    const both = await Promise.all([racer, other, racer, other, racer, other].map((client) => client.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'goodwill', value: 20 })));
    expect(both.map((result) => result.body.outcome).filter((outcome) => outcome === 'granted')).toHaveLength(2);
    expect(both.filter((result) => result.body.outcome === 'approval_requested').every((result) => result.body.reasons.includes('over_workspace_budget'))).toBe(true);
    expect((await racer.get('/api/v1/empowerment/limits')).body.workspaceUsedThisMonth).toBe(used + 40);
    await manager.request('PUT', '/api/v1/empowerment/settings', { monthlyBudget: null });
  });

  it('records granted remedies in an external system through a webhook with the full details', async () => {
    const received: Array<Record<string, any>> = [];
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      expect((await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${port}/remedies`, eventTypes: ['remedy.granted'] })).status).toBe(201);
      const ticket = await newTicket('webhook@example.com');
      await agent.post(`/api/v1/tickets/${ticket.id}/remedies`, { type: 'discount', value: 15, note: '15% off next order' });
      await server.worker.drain();
      expect(received).toHaveLength(1);
      expect(JSON.stringify(received[0])).toContain('remedy.granted');
      expect(JSON.stringify(received[0])).toContain('15% off next order');
    } finally {
      receiver.close();
    }
  });
});
