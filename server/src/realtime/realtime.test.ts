import { afterAll, beforeAll, expect, it } from 'vitest';
// ws ships with @fastify/websocket; its type declarations are not installed.
// @ts-expect-error no declaration file
import WebSocket from 'ws';
import { buildApp } from '../app.js';
import { EventBus } from '../events/events.js';
import { JobRegistry } from '../jobs/queue.js';
import { describeEachDialect, startTestServer, type TestServer } from '../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../test/client.js';
import type { App } from '../context.js';

interface Socket {
  messages: any[];
  waitFor(predicate: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  send(message: unknown): void;
  close(): void;
  closed: Promise<number>;
}

function cookieOf(client: ApiClient): string {
  return (client as unknown as { cookie: string }).cookie;
}

async function openSocket(baseUrl: string, headers: Record<string, string>): Promise<Socket> {
  const ws = new WebSocket(baseUrl.replace('http', 'ws') + '/api/v1/realtime', { headers });
  const messages: any[] = [];
  const waiters: Array<{ predicate: (message: any) => boolean; resolve: (message: any) => void }> = [];
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    for (const waiter of [...waiters]) if (waiter.predicate(message)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
    ws.on('unexpected-response', (request: { destroy(): void }, response: { statusCode: number; destroy(): void }) => {
      response.destroy();
      request.destroy();
      reject(new Error(`HTTP ${response.statusCode}`));
    });
  });
  return {
    messages,
    closed,
    waitFor: (predicate, timeoutMs = 3000) => {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.push(waiter);
        setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs).unref();
      });
    },
    send: (message) => ws.send(JSON.stringify(message)),
    close: () => ws.close(),
  };
}

describeEachDialect('realtime', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent', 'Ana Agent'));
  });
  afterAll(() => server.close());

  it('refuses a socket without a session, or from another site', async () => {
    const anonymous = await openSocket(server.url, {});
    expect(await anonymous.closed).toBe(4401);
    const forged = await openSocket(server.url, { cookie: 'raving_session=forged' });
    expect(await forged.closed).toBe(4401);
    const foreign = await openSocket(server.url, { cookie: cookieOf(owner), origin: 'https://evil.example' });
    expect(await foreign.closed).toBe(4403);
    expect([...anonymous.messages, ...forged.messages, ...foreign.messages]).toEqual([]);
  });

  it('pushes committed events to sockets of the same workspace only, without bodies', async () => {
    const mine = await openSocket(server.url, { cookie: cookieOf(agent) });
    await mine.waitFor((message) => message.type === 'hello');
    // The owner, in a second workspace of their own, must hear nothing of the first.
    const second = await owner.post('/api/v1/workspaces', { name: 'Elsewhere' });
    const firstWorkspace = (await owner.get('/api/v1/auth/session')).body.workspace.id;
    await owner.post('/api/v1/auth/switch-workspace', { workspaceId: second.body.id });
    const elsewhere = await openSocket(server.url, { cookie: cookieOf(owner) });
    await elsewhere.waitFor((message) => message.type === 'hello');
    await owner.post('/api/v1/auth/switch-workspace', { workspaceId: firstWorkspace });

    const ticket = await agent.post('/api/v1/tickets', { subject: 'Secret subject', customer: { email: 'maya@example.com' }, message: { text: 'private words' } });
    const pushed = await mine.waitFor((message) => message.type === 'event' && message.event.type === 'message.created');
    expect(pushed.event).toMatchObject({ ticketId: ticket.body.id, subjectType: 'message' });
    expect(JSON.stringify(mine.messages)).not.toContain('private words');
    await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { assigneeId: agentId });
    await mine.waitFor((message) => message.type === 'event' && message.event.type === 'ticket.assigned');
    expect(elsewhere.messages.filter((message) => message.type === 'event')).toEqual([]);
    mine.close();
    elsewhere.close();
  });

  it('tells the workspace who views and who types on a ticket, and forgets them when they leave', async () => {
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Presence', customer: { email: 'kenji@example.com' } });
    const watcher = await openSocket(server.url, { cookie: cookieOf(owner) });
    await watcher.waitFor((message) => message.type === 'hello');
    const viewer = await openSocket(server.url, { cookie: cookieOf(agent) });
    viewer.send({ type: 'view', ticketId: ticket.body.id });
    const seen = await watcher.waitFor((message) => message.type === 'presence' && message.ticketId === ticket.body.id && message.viewers.length === 1);
    expect(seen.viewers).toEqual([{ staffId: agentId, name: 'Ana Agent', typing: false }]);
    viewer.send({ type: 'typing', ticketId: ticket.body.id, typing: true });
    await watcher.waitFor((message) => message.type === 'presence' && message.viewers[0]?.typing === true);
    viewer.send({ type: 'nonsense', payload: 'x'.repeat(100) });
    viewer.close();
    await watcher.waitFor((message) => message.type === 'presence' && message.ticketId === ticket.body.id && message.viewers.length === 0);
    watcher.close();
  });

  it('names the recipients of a notice to them alone: each socket learns only whether it is one, and nothing of the payload', async () => {
    const { staffId: colleagueId } = await addStaff(owner, 'colleague@acme.example', 'agent', 'Cole League');
    const rule = await owner.post('/api/v1/automations', { name: 'Tell the pair', trigger: 'ticket.created', conditions: { subjectContains: 'chargeback' }, actions: [{ type: 'notify_staff', staffIds: [agentId, colleagueId], message: 'Secret reason to look' }] });
    expect(rule.status).toBe(201);
    const recipient = await openSocket(server.url, { cookie: cookieOf(agent) });
    const bystander = await openSocket(server.url, { cookie: cookieOf(owner) });
    await Promise.all([recipient.waitFor((message) => message.type === 'hello'), bystander.waitFor((message) => message.type === 'hello')]);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'A chargeback', customer: { email: 'cb@example.com' } });
    await server.worker.drain();
    const isNotice = (message: any) => message.type === 'event' && message.event.type === 'staff.notified' && message.event.ticketId === ticket.body.id;
    expect((await recipient.waitFor(isNotice)).event.recipients).toEqual([agentId]);
    expect((await bystander.waitFor(isNotice)).event.recipients).toEqual([]);
    for (const socket of [recipient, bystander]) expect(JSON.stringify(socket.messages)).not.toMatch(/Secret reason|Tell the pair|colleague|Cole/);
    // Events meant for everyone carry no recipients at all.
    expect(bystander.messages.find((message) => message.type === 'event' && message.event.type === 'ticket.created').event).not.toHaveProperty('recipients');
    recipient.close();
    bystander.close();
  });

  if (dialect === 'postgres') {
    it('relays events and presence between two app nodes on one PostgreSQL database', async () => {
      // A second node: its own app, bus and sockets, the same database.
      const { app: nodeB } = await buildApp({
        context: { config: server.context.config, database: server.database.handle, bus: new EventBus(), jobs: new JobRegistry(), secret: server.context.secret, pokeWorker: () => undefined },
      });
      await (nodeB as App).listen({ port: 0, host: '127.0.0.1' });
      try {
        const address = nodeB.server.address();
        const urlB = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        const onB = await openSocket(urlB, { cookie: cookieOf(owner) });
        await onB.waitFor((message) => message.type === 'hello');
        const ticket = await agent.post('/api/v1/tickets', { subject: 'Across nodes', customer: { email: 'ravi@example.com' } });
        await onB.waitFor((message) => message.type === 'event' && message.event.ticketId === ticket.body.id);
        const onA = await openSocket(server.url, { cookie: cookieOf(agent) });
        onA.send({ type: 'view', ticketId: ticket.body.id });
        await onB.waitFor((message) => message.type === 'presence' && message.ticketId === ticket.body.id && message.viewers[0]?.staffId === agentId);
        // A notice committed on node A reaches node B's sockets narrowed there: the recipient learns it is one, the others that they are not.
        const agentOnB = await openSocket(urlB, { cookie: cookieOf(agent) });
        await agentOnB.waitFor((message) => message.type === 'hello');
        await owner.post('/api/v1/automations', { name: 'Relayed notice', trigger: 'ticket.created', conditions: { subjectContains: 'relayed notice' }, actions: [{ type: 'notify_staff', staffIds: [agentId], message: 'Look' }] });
        const noticed = await agent.post('/api/v1/tickets', { subject: 'A relayed notice', customer: { email: 'ravi@example.com' } });
        await server.worker.drain();
        const isNotice = (message: any) => message.type === 'event' && message.event.type === 'staff.notified' && message.event.ticketId === noticed.body.id;
        expect((await agentOnB.waitFor(isNotice)).event.recipients).toEqual([agentId]);
        expect((await onB.waitFor(isNotice)).event.recipients).toEqual([]);
        agentOnB.close();
        onA.close();
        onB.close();
        await Promise.all([onA.closed, onB.closed, agentOnB.closed]);
      } finally {
        await nodeB.close();
      }
    });
  }
});
