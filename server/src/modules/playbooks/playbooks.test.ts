import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('playbooks', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  it('required steps block solving with a clear 409 until ticked; ticking is on the timeline', async () => {
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Refund', steps: [{ id: 'verify', title: 'Verify the order', required: true }, { title: 'Offer a voucher' }] });
    expect(playbook.status).toBe(201);
    expect((await agent.post('/api/v1/playbooks', { name: 'x', steps: [{ title: 'y' }] })).status).toBe(403);
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Refund', customer: { email: 'r@example.com' } });
    const attached = await agent.post(`/api/v1/tickets/${ticket.body.id}/playbooks`, { playbookId: playbook.body.id });
    expect(attached.status).toBe(201);
    expect(attached.body.steps.map((step: { id: string }) => step.id)).toEqual(['verify', 'step-2']);

    const refused = await agent.patch(`/api/v1/tickets/${ticket.body.id}`, { status: 'solved' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toContain('"Verify the order" (Refund)');
    const replyAndSolve = await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'reply', text: 'Done', status: 'solved' });
    expect(replyAndSolve.status).toBe(409);
    expect((await agent.get(`/api/v1/tickets/${ticket.body.id}/messages`)).body.items).toHaveLength(0); // refused as a whole

    const ticked = await agent.post(`/api/v1/tickets/${ticket.body.id}/playbooks/${attached.body.id}/steps/verify`, { done: true });
    expect(ticked.body.steps[0]).toMatchObject({ done: true });
    expect(ticked.body.completedAt).toBeNull();
    expect((await agent.patch(`/api/v1/tickets/${ticket.body.id}`, { status: 'solved' })).status).toBe(200);
    const done = await agent.post(`/api/v1/tickets/${ticket.body.id}/playbooks/${attached.body.id}/steps/step-2`, { done: true });
    expect(done.body.completedAt).not.toBeNull();
    const types = (await agent.get(`/api/v1/tickets/${ticket.body.id}/events`)).body.items.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['playbook.attached', 'playbook.step_ticked', 'playbook.completed']));
    expect((await agent.post(`/api/v1/tickets/${ticket.body.id}/playbooks/${attached.body.id}/steps/nope`, { done: true })).status).toBe(404);
  });

  it('an automation attaches a playbook', async () => {
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Outage', steps: [{ title: 'Link the incident', required: true }] });
    await owner.post('/api/v1/automations', { name: 'Outage checklist', trigger: 'ticket.created', conditions: { subjectContains: 'down' }, actions: [{ type: 'attach_playbook', playbookId: playbook.body.id }] });
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Site is down', customer: { email: 'o@example.com' } });
    await server.worker.drain();
    const lists = await agent.get(`/api/v1/tickets/${ticket.body.id}/playbooks`);
    expect(lists.body.items.map((item: { name: string }) => item.name)).toEqual(['Outage']);
    expect((await agent.patch(`/api/v1/tickets/${ticket.body.id}`, { status: 'solved' })).status).toBe(409);
  });
});
