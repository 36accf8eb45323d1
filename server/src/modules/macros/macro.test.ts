import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { renderMacro } from './macro.render.js';

it('renderMacro fills known variables and leaves unknown ones visible', () => {
  const variables = { customer: { name: 'Maya Patel', first_name: 'Maya', email: 'm@x' }, ticket: { number: '7', subject: 'S' }, agent: { name: 'Al', first_name: 'Al' } };
  expect(renderMacro('Hi {{customer.first_name}}, re #{{ ticket.number }} — {{customer.shoe_size}} {{constructor.name}}', variables)).toBe('Hi Maya, re #7 — {{customer.shoe_size}} {{constructor.name}}');
});

describeEachDialect('macros', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent } = await addStaff(owner, 'agent@acme.example', 'agent', 'Ana Agent'));
  });
  afterAll(() => server.close());

  it('managers create, change and delete macros; agents list and render them for a ticket', async () => {
    const created = await owner.post('/api/v1/macros', { name: 'Refund sent', body: 'Hi {{customer.first_name}}, the refund for #{{ticket.number}} is on its way. {{agent.first_name}}', setStatus: 'solved' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Refund sent', kind: 'reply', setStatus: 'solved' });

    const ticket = await agent.post('/api/v1/tickets', { subject: 'Refund?', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'Where is my money' } });
    const rendered = await agent.get(`/api/v1/macros/${created.body.id}/render?ticketId=${ticket.body.id}`);
    expect(rendered.status).toBe(200);
    expect(rendered.body).toEqual({ text: `Hi Maya, the refund for #${ticket.body.number} is on its way. Ana`, kind: 'reply', setStatus: 'solved' });

    expect((await agent.post('/api/v1/macros', { name: 'Nope', body: 'x' })).status).toBe(403);
    const changed = await owner.patch(`/api/v1/macros/${created.body.id}`, { name: 'Refund issued', kind: 'note', setStatus: null });
    expect(changed.body).toMatchObject({ name: 'Refund issued', kind: 'note', setStatus: null });
    expect((await agent.get('/api/v1/macros')).body.items.map((macro: { name: string }) => macro.name)).toEqual(['Refund issued']);

    const deleted = await owner.delete(`/api/v1/macros/${created.body.id}`);
    expect(deleted.status).toBe(200);
    expect((await agent.get(`/api/v1/macros/${created.body.id}`)).status).toBe(404);
    const audit = await owner.get(`/api/v1/events?subjectId=${created.body.id}`);
    expect(audit.body.items.map((event: { type: string }) => event.type).sort()).toEqual(['macro.created', 'macro.deleted', 'macro.updated']);
  });

  it('refuses bad input with problem+json and keeps workspaces apart', async () => {
    const unknownStatus = await owner.post('/api/v1/macros', { name: 'Bad', body: 'x', setStatus: 'teleported' });
    expect(unknownStatus.status).toBe(400);
    expect(unknownStatus.body.errors[0].path).toBe('body.setStatus');
    const empty = await owner.post('/api/v1/macros', { name: '', body: '' });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');

    const mine = await owner.post('/api/v1/macros', { name: 'Ours', body: 'ours' });
    const second = await owner.post('/api/v1/workspaces', { name: 'Second desk' });
    expect(second.status).toBe(201);
    const first = (await owner.get('/api/v1/auth/session')).body.workspace.id;
    expect((await owner.post('/api/v1/auth/switch-workspace', { workspaceId: second.body.id })).status).toBe(200);
    try {
      expect((await owner.get(`/api/v1/macros/${mine.body.id}`)).status).toBe(404);
      expect((await owner.get('/api/v1/macros')).body.items).toEqual([]);
      expect((await owner.delete(`/api/v1/macros/${mine.body.id}`)).status).toBe(404);
    } finally {
      await owner.post('/api/v1/auth/switch-workspace', { workspaceId: first });
    }
    expect((await owner.get(`/api/v1/macros/${mine.body.id}`)).status).toBe(200);
  });
});
