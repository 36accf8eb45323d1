import { expect, it } from 'vitest';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, type ApiClient } from '../../../test/client.js';

describeEachDialect('ticket types', (dialect) => {
  let owner: ApiClient;
  let server: TestServer;
  useTestWorkspace(dialect, (setup) => ({ owner, server } = setup));

  const checklists = async (ticketId: string) => ((await owner.get(`/api/v1/tickets/${ticketId}/playbooks`)).body.items as Array<{ name: string }>).map((item) => item.name);
  const listed = async (filter: string) => ((await owner.get(`/api/v1/tickets?${filter}`)).body.items as Array<{ id: string }>).map((ticket) => ticket.id).sort();

  it('a workspace keeps its types; a ticket that gets a type with a playbook is given its checklist, on creation or later', async () => {
    const { client: agent } = await addStaff(owner, 'agent@acme.example', 'agent');
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Refund checks', steps: [{ id: 'order', title: 'Find the order', required: true }] });
    const refund = await owner.post('/api/v1/ticket-types', { key: 'refund', label: 'Refund', playbookId: playbook.body.id });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ key: 'refund', label: 'Refund', playbookId: playbook.body.id, position: 0 });
    expect((await owner.post('/api/v1/ticket-types', { key: 'question', label: 'Question' })).body).toMatchObject({ playbookId: null, position: 1 });
    expect((await owner.get('/api/v1/ticket-types')).body.items.map((type: { key: string }) => type.key)).toEqual(['refund', 'question']);

    const born = await agent.post('/api/v1/tickets', { subject: 'Money back please', type: 'refund', customer: { email: 'r@example.com' } });
    expect(born.status).toBe(201);
    expect(born.body.type).toBe('refund');
    expect(await checklists(born.body.id)).toEqual(['Refund checks']);
    const attached = ((await owner.get(`/api/v1/tickets/${born.body.id}/events`)).body.items as Array<{ type: string; actor: { type: string }; payload: Record<string, unknown> }>).find((event) => event.type === 'playbook.attached');
    expect(attached).toMatchObject({ actor: { type: 'system' }, payload: { playbookId: playbook.body.id, ticketType: 'refund' } });

    const later = await agent.post('/api/v1/tickets', { subject: 'Is this refundable?', type: 'question', customer: { email: 'q@example.com' } });
    const untyped = await agent.post('/api/v1/tickets', { subject: 'Hello', customer: { email: 'h@example.com' } });
    expect(await checklists(later.body.id)).toEqual([]);
    const changed = await agent.patch(`/api/v1/tickets/${later.body.id}`, { type: 'refund' });
    expect(changed.body.type).toBe('refund');
    expect(await checklists(later.body.id)).toEqual(['Refund checks']);
    // The checklist came with the type, so its required step now blocks solving.
    const refused = await agent.patch(`/api/v1/tickets/${later.body.id}`, { status: 'solved' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('"Find the order" (Refund checks)');
    const types = ((await owner.get(`/api/v1/tickets/${later.body.id}/events`)).body.items as Array<{ type: string; payload: Record<string, unknown> }>).filter((event) => event.type === 'ticket.type_changed');
    expect(types.map((event) => event.payload)).toEqual([{ from: 'question', to: 'refund' }]);
    // Back and forth: attached once, and kept when the type goes.
    await agent.patch(`/api/v1/tickets/${later.body.id}`, { type: null });
    await agent.patch(`/api/v1/tickets/${later.body.id}`, { type: 'refund' });
    expect(await checklists(later.body.id)).toEqual(['Refund checks']);

    expect(await listed('type=refund')).toEqual([born.body.id, later.body.id].sort());
    expect(await listed('type=question')).toEqual([]);
    expect(await listed('type=none')).toEqual([untyped.body.id]);
    expect((await owner.get('/api/v1/tickets/count?type=refund')).body).toMatchObject({ count: 2 });
  });

  it('refuses unknown types, bad keys, duplicates, foreign playbooks, agents, and removing a type in use', async () => {
    const unknown = await owner.post('/api/v1/tickets', { subject: 'x', type: 'nope', customer: { email: 'x@example.com' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'body.type' })]);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'x', customer: { email: 'x@example.com' } });
    expect((await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { type: 'nope' })).status).toBe(400);
    expect((await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { type: 'Not A Key!' })).status).toBe(400);
    expect((await owner.post('/api/v1/ticket-types', { key: 'Refund Request', label: 'x' })).status).toBe(400);
    const duplicate = await owner.post('/api/v1/ticket-types', { key: 'refund', label: 'Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    expect((await owner.post('/api/v1/ticket-types', { key: 'outage', label: 'Outage', playbookId: 'zzzzzzzzzzzzzzzzzzzzzzzzzz' })).body.errors).toEqual([expect.objectContaining({ path: 'body.playbookId' })]);
    const { client: agent } = await addStaff(owner, 'agent2@acme.example', 'agent');
    expect((await agent.post('/api/v1/ticket-types', { key: 'outage', label: 'Outage' })).status).toBe(403);
    const inUse = await owner.delete('/api/v1/ticket-types/refund');
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toContain('2 tickets have the type "Refund"');
    expect((await owner.delete('/api/v1/ticket-types/question')).status).toBe(200);
    expect((await owner.delete('/api/v1/ticket-types/question')).status).toBe(404);
    // A deleted playbook is no longer given by the types that named it.
    const playbookId = (await owner.get('/api/v1/ticket-types')).body.items[0].playbookId;
    expect((await owner.delete(`/api/v1/playbooks/${playbookId}`)).status).toBe(200);
    expect((await owner.get('/api/v1/ticket-types')).body.items[0]).toMatchObject({ key: 'refund', playbookId: null });
    const afterwards = await owner.post('/api/v1/tickets', { subject: 'Refund again', type: 'refund', customer: { email: 'x@example.com' } });
    expect(afterwards.status).toBe(201);
    expect(await checklists(afterwards.body.id)).toEqual([]);
  });

  it('automations set a type (its playbook comes with it) and react to a type', async () => {
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Outage steps', steps: [{ title: 'Link the incident', required: true }] });
    expect((await owner.post('/api/v1/ticket-types', { key: 'outage', label: 'Outage', playbookId: playbook.body.id })).status).toBe(201);
    const unknown = await owner.post('/api/v1/automations', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'set_type', typeKey: 'nope' }] });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'body.actions.0.typeKey' })]);
    const typing = await owner.post('/api/v1/automations', { name: 'Down means outage', trigger: 'ticket.created', conditions: { subjectContains: 'down' }, actions: [{ type: 'set_type', typeKey: 'outage' }] });
    const urgent = await owner.post('/api/v1/automations', { name: 'Outages are urgent', trigger: 'ticket.type_changed', conditions: { types: ['outage'] }, actions: [{ type: 'set_priority', priority: 'urgent' }] });
    expect([typing.status, urgent.status]).toEqual([201, 201]);
    const down = await owner.post('/api/v1/tickets', { subject: 'Site is down', customer: { email: 'o@example.com' } });
    const other = await owner.post('/api/v1/tickets', { subject: 'Invoice copy', type: 'refund', customer: { email: 'o@example.com' } });
    await server.worker.drain();
    expect((await owner.get(`/api/v1/tickets/${down.body.id}`)).body).toMatchObject({ type: 'outage', priority: 'urgent' });
    expect(await checklists(down.body.id)).toEqual(['Outage steps']);
    expect((await owner.get(`/api/v1/tickets/${other.body.id}`)).body).toMatchObject({ type: 'refund', priority: 'normal' });
  });
});
