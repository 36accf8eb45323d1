import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('automations', (dialect) => {
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

  async function events(ticketId: string) {
    return (await owner.get(`/api/v1/tickets/${ticketId}/events`)).body.items as Array<{ type: string; actor: { type: string }; payload: Record<string, any> }>;
  }

  it('runs ordered actions after the change commits, each action an event naming its rule', async () => {
    const rule = await owner.post('/api/v1/automations', {
      name: 'Refunds to Ada',
      trigger: 'ticket.created',
      conditions: { subjectContains: 'refund' },
      actions: [
        { type: 'assign', staffId: agentId },
        { type: 'set_priority', priority: 'high' },
        { type: 'add_tag', tag: 'Refund' },
        { type: 'add_note', text: 'Check the order before refunding.' },
        { type: 'notify_staff', staffIds: [agentId], message: 'A refund came in' },
      ],
    });
    expect(rule.status).toBe(201);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Refund for order 12', customer: { email: 'r@example.com' }, message: { text: 'please' } });
    const other = await owner.post('/api/v1/tickets', { subject: 'Hello', customer: { email: 'h@example.com' } });
    // Nothing happens inside the request: the rule runs from a job once the ticket committed.
    expect(ticket.body.assigneeId).toBeNull();
    await server.worker.drain();
    const after = await owner.get(`/api/v1/tickets/${ticket.body.id}`);
    expect(after.body).toMatchObject({ assigneeId: agentId, priority: 'high', tags: ['refund'] });
    const timeline = await events(ticket.body.id);
    const applied = timeline.filter((event) => event.type === 'automation.action_applied');
    expect(applied.map((event) => event.payload.action.type)).toEqual(['assign', 'set_priority', 'add_tag', 'add_note', 'notify_staff']);
    expect(applied.every((event) => event.payload.ruleId === rule.body.id && event.actor.type === 'system')).toBe(true);
    expect(timeline.find((event) => event.type === 'staff.notified')?.payload).toMatchObject({ ruleId: rule.body.id, staffIds: [agentId] });
    const notes = await owner.get(`/api/v1/tickets/${ticket.body.id}/messages`);
    expect(notes.body.items.some((message: { kind: string; text: string }) => message.kind === 'note' && message.text.includes('Check the order'))).toBe(true);
    expect((await owner.get(`/api/v1/tickets/${other.body.id}`)).body.assigneeId).toBeNull();

    const tested = await owner.post(`/api/v1/automations/${rule.body.id}/test`);
    expect(tested.body.matches.map((match: { ticketId: string }) => match.ticketId)).toEqual([ticket.body.id]);
    await owner.patch(`/api/v1/automations/${rule.body.id}`, { isActive: false });
  });

  it('stops a loop between two rules and reports it', async () => {
    const a = await owner.post('/api/v1/automations', { name: 'A: high → low', trigger: 'ticket.priority_changed', conditions: { priorities: ['high'] }, actions: [{ type: 'set_priority', priority: 'low' }] });
    const b = await owner.post('/api/v1/automations', { name: 'B: low → high', trigger: 'ticket.priority_changed', conditions: { priorities: ['low'] }, actions: [{ type: 'set_priority', priority: 'high' }] });
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Ping pong', customer: { email: 'p@example.com' } });
    await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { priority: 'high' });
    let ran = 0;
    for (let round = 0; round < 10; round++) ran += await server.worker.drain();
    expect(ran).toBeLessThan(20);
    const timeline = await events(ticket.body.id);
    expect(timeline.filter((event) => event.type === 'ticket.priority_changed')).toHaveLength(5); // ours; A then B in order on it; then A and B once more on each other's changes
    const stopped = timeline.filter((event) => event.type === 'automation.loop_stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.payload).toMatchObject({ depth: 3 });
    await owner.delete(`/api/v1/automations/${a.body.id}`);
    await owner.delete(`/api/v1/automations/${b.body.id}`);
  });

  it('runs time-based rules from durable timers: pending for 3 days gets a note and is solved', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-23T10:00:00Z'));
      const rule = await owner.post('/api/v1/automations', { name: 'Pending 3 days', trigger: 'time', conditions: { statusCategories: ['pending'], hoursSinceUpdate: 72 }, actions: [{ type: 'add_note', text: 'No answer for 3 days: solving.' }, { type: 'set_status', status: 'solved' }] });
      expect(rule.status).toBe(201);
      const ticket = await owner.post('/api/v1/tickets', { subject: 'Waiting', customer: { email: 'w@example.com' } });
      await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { status: 'pending' });
      await server.worker.drain();
      vi.setSystemTime(new Date('2026-11-25T10:00:00Z'));
      await server.worker.drain();
      expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body.status).toBe('pending');
      vi.setSystemTime(new Date('2026-11-26T10:00:02Z'));
      await server.worker.drain();
      await server.worker.drain();
      expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body.status).toBe('solved');
      await owner.delete(`/api/v1/automations/${rule.body.id}`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses bad rules and agents', async () => {
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'ticket.exploded', actions: [{ type: 'add_tag', tag: 'a' }] })).status).toBe(400);
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'time', actions: [{ type: 'add_tag', tag: 'a' }] })).status).toBe(400);
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'rm_rf' }] })).status).toBe(400);
    expect((await agent.post('/api/v1/automations', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'add_tag', tag: 'a' }] })).status).toBe(403);
  });
});
