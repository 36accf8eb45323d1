import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { inUnitOfWork, systemActor, type UnitOfWork } from '../../events/events.js';
import type { DeliveryJob } from './webhook.delivery.js';
import { guardedLookup, postWebhook, DestinationRefused } from './webhook.destination.js';
import { createWebhook, updateWebhook, type WebhookServices } from './webhook.service.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback; answers each path with the status set for it (200 by default). */
async function startReceiver() {
  const received: Received[] = [];
  const statusByPath = new Map<string, number>();
  let connections = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statusByPath.get(request.url ?? '') ?? 200;
      response.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {});
      response.end(status >= 400 ? 'receiver is unhappy' : 'ok');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    statusByPath,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Standard Webhooks verification, written from the specification rather than from our signer. */
function verify(secret: string, message: Received): boolean {
  const id = message.headers['webhook-id'];
  const timestamp = message.headers['webhook-timestamp'];
  const signatures = message.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  expect(secret.startsWith('whsec_')).toBe(true);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${message.body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

describeEachDialect('webhooks', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer(dialect, { RAVING_WEBHOOK_ALLOW_PRIVATE: '1' });
    ({ owner } = await setUpWorkspace(server.url));
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const receivedAt = (path: string) => receiver.received.filter((message) => message.path === path);
  /** Makes the given jobs due now, as if their backoff had passed, without sleeping through it. */
  const fastForward = (ids: string[]) => server.database.handle.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('id', 'in', ids).where('status', '=', 'queued').execute();

  it('delivers subscribed events, signed so that an independent Standard Webhooks check verifies them, and logs each delivery', async () => {
    const created = await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/signed`, eventTypes: ['ticket.created', 'message.*'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({ active: true, eventTypes: ['ticket.created', 'message.*'] });
    const listed = await owner.get('/api/v1/webhooks');
    expect(listed.body.items.map((hook: { id: string }) => hook.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const ticket = await owner.post('/api/v1/tickets', { subject: 'Where is my order?', customer: { email: 'lena@example.com' }, message: { text: 'It is late' } });
    await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { priority: 'high' });
    await server.worker.drain();

    const messages = receivedAt('/signed');
    expect(messages.map((message) => JSON.parse(message.body).type).sort()).toEqual(['message.created', 'ticket.created']);
    for (const message of messages) {
      expect(verify(created.body.secret, message)).toBe(true);
      expect(verify(created.body.secret, { ...message, body: `${message.body} ` })).toBe(false);
      expect(message.headers['content-type']).toBe('application/json');
      const parsed = JSON.parse(message.body);
      expect(parsed.data.event).toMatchObject({ ticketId: ticket.body.id, type: parsed.type });
      expect(parsed.timestamp).toBe(parsed.data.event.createdAt);
    }

    const log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(2);
    for (const delivery of log.body.items) {
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200, lastError: null });
      expect(delivery.deliveredAt).not.toBeNull();
    }
    expect(new Set(log.body.items.map((delivery: { id: string }) => delivery.id))).toEqual(new Set(messages.map((message) => message.headers['webhook-id'])));
  });

  it('rotates the secret: later deliveries verify with the new one only; a test ping is delivered', async () => {
    const created = await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/rotated`, eventTypes: ['*'] });
    const rotated = await owner.post(`/api/v1/webhooks/${created.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    const ping = await owner.post(`/api/v1/webhooks/${created.body.id}/test`);
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ eventType: 'webhook.ping', status: 'pending', eventId: null });
    await server.worker.drain();
    const messages = receivedAt('/rotated');
    const pingMessage = messages.find((message) => message.headers['webhook-id'] === ping.body.id)!;
    expect(JSON.parse(pingMessage.body)).toMatchObject({ type: 'webhook.ping', data: { webhookId: created.body.id } });
    expect(verify(rotated.body.secret, pingMessage)).toBe(true);
    expect(verify(created.body.secret, pingMessage)).toBe(false);
    // "*" also carried the rotation's own event, after the rotation: signed with the new secret.
    const rotationEvent = messages.find((message) => JSON.parse(message.body).type === 'webhook.secret_rotated')!;
    expect(verify(rotated.body.secret, rotationEvent)).toBe(true);
  });

  it('retries a failing receiver with the same id and body, logging every attempt, until it answers 2xx', async () => {
    receiver.statusByPath.set('/flaky', 500);
    const created = await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/flaky`, eventTypes: ['ticket.created'] });
    await owner.post('/api/v1/tickets', { subject: 'Broken zipper', customer: { email: 'omar@example.com' } });
    await server.worker.drain();
    let log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items).toHaveLength(1);
    const deliveryId = log.body.items[0].id;
    expect(log.body.items[0]).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500 });
    expect(log.body.items[0].lastError).toContain('500');
    // The first retry is due about 5 s later (Standard Webhooks' schedule, with jitter).
    const wait = Date.parse(log.body.items[0].nextAttemptAt) - Date.parse(log.body.items[0].lastAttemptAt);
    expect(wait).toBeGreaterThan(4_000);
    expect(wait).toBeLessThan(6_000);
    const job = await owner.get('/api/v1/jobs?status=queued');
    expect(job.body.items.find((item: { id: string }) => item.id === deliveryId)).toMatchObject({ type: 'webhook.deliver', attempts: 1 });

    await fastForward([deliveryId]);
    await server.worker.drain();
    log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries?status=pending`);
    expect(log.body.items[0]).toMatchObject({ attempts: 2, responseStatus: 500 });

    receiver.statusByPath.set('/flaky', 302);
    await fastForward([deliveryId]);
    await server.worker.drain();
    log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ status: 'pending', attempts: 3, responseStatus: 302 });
    expect(log.body.items[0].lastError).toContain('redirects are not followed');

    receiver.statusByPath.set('/flaky', 204);
    await fastForward([deliveryId]);
    await server.worker.drain();
    log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ status: 'delivered', attempts: 4, responseStatus: 204, lastError: null, nextAttemptAt: null });
    const attempts = receivedAt('/flaky');
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((message) => message.headers['webhook-id']))).toEqual(new Set([deliveryId]));
    expect(new Set(attempts.map((message) => message.body)).size).toBe(1);
    expect(attempts.every((message) => verify(created.body.secret, message))).toBe(true);
  });

  it('a delivery that cannot be signed fails at once, and the jobs API sends it again after a rotation', async () => {
    const created = await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/resealed`, eventTypes: ['webhook.ping'] });
    // As if RAVING_SECRET had changed since the secret was sealed.
    await server.database.handle.db.updateTable('webhooks').set({ secret: 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).where('id', '=', created.body.id).execute();
    const ping = await owner.post(`/api/v1/webhooks/${created.body.id}/test`);
    await server.worker.drain();
    let log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ id: ping.body.id, status: 'failed', attempts: 1 });
    expect(log.body.items[0].lastError).toContain('signing secret cannot be read');
    expect(receivedAt('/resealed')).toHaveLength(0);

    const rotated = await owner.post(`/api/v1/webhooks/${created.body.id}/rotate-secret`);
    expect((await owner.post(`/api/v1/jobs/${ping.body.id}/retry`)).status).toBe(200);
    await server.worker.drain();
    log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ id: ping.body.id, status: 'delivered', attempts: 2, lastError: null });
    expect(verify(rotated.body.secret, receivedAt('/resealed')[0]!)).toBe(true);
  });

  it('a deactivated webhook gets nothing more, and its pending deliveries fail', async () => {
    receiver.statusByPath.set('/paused', 503);
    const created = await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/paused`, eventTypes: ['ticket.*'] });
    await owner.post('/api/v1/tickets', { subject: 'First', customer: { email: 'ida@example.com' } });
    await server.worker.drain();
    const deactivated = await owner.delete(`/api/v1/webhooks/${created.body.id}`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await owner.post(`/api/v1/webhooks/${created.body.id}/test`)).status).toBe(409);
    await owner.post('/api/v1/tickets', { subject: 'Second', customer: { email: 'ida@example.com' } });
    const log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    await fastForward(log.body.items.map((delivery: { id: string }) => delivery.id));
    await server.worker.drain();
    const after = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(after.body.items).toHaveLength(1);
    expect(after.body.items[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(receivedAt('/paused')).toHaveLength(1);
  });

  it('validates subscriptions and allows only managers with an admin-scoped token', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'http://user:pass@127.0.0.1/x', 'not a url', 'javascript:alert(1)']) {
      const refused = await owner.post('/api/v1/webhooks', { url, eventTypes: ['*'] });
      expect(refused.status, url).toBe(422);
      expect(refused.body.code).toBe('webhook_destination_refused');
    }
    expect((await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/`, eventTypes: ['Ticket Created'] })).status).toBe(400);
    expect((await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/`, eventTypes: [] })).status).toBe(400);
    expect((await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/`, eventTypes: ['*'], secret: 'mine' })).status).toBe(400);
    expect((await owner.get('/api/v1/webhooks/nope/deliveries')).status).toBe(404);

    const { client: agent } = await addStaff(owner, 'agent@acme.example', 'agent');
    expect((await agent.get('/api/v1/webhooks')).status).toBe(403);
    expect((await agent.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/`, eventTypes: ['*'] })).status).toBe(403);
    const { client: manager } = await addStaff(owner, 'manager@acme.example', 'manager');
    expect((await manager.get('/api/v1/webhooks')).status).toBe(200);
    const writeToken = await owner.post('/api/v1/api-tokens', { name: 'writer', scopes: ['write'] });
    expect((await owner.withToken(writeToken.body.token).get('/api/v1/webhooks')).status).toBe(403);
    const adminToken = await owner.post('/api/v1/api-tokens', { name: 'admin', scopes: ['admin'] });
    expect((await owner.withToken(adminToken.body.token).get('/api/v1/webhooks')).status).toBe(200);
  });

  it('caps active webhooks per workspace, since each event fans out to all of them', async () => {
    let last;
    for (let index = 0; index < 25; index++) {
      last = await owner.post('/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.port}/many`, eventTypes: ['customer.merged'] });
      if (last.status !== 201) break;
    }
    expect(last!.status).toBe(409);
    expect(last!.body.detail).toContain('at most 20 active webhooks');
    const active = (await owner.get('/api/v1/webhooks?limit=200')).body.items.filter((hook: { active: boolean }) => hook.active);
    expect(active).toHaveLength(20);
  });
});

describeEachDialect('webhook subscriptions within one transaction', (dialect) => {
  let server: TestServer;
  let workspaceId: string;

  useTestWorkspace(dialect, (setup) => ({ server, workspaceId } = setup));

  it('subscriptions read once per transaction still follow a webhook created or deactivated later in that transaction', async () => {
    const { bus, database, jobs, secret } = server.context;
    const services: WebhookServices = { bus, instanceSecret: secret, allowPrivate: true, job: jobs.get('webhook.deliver') as DeliveryJob };
    const append = (uow: UnitOfWork, type: string) => bus.append(uow, { workspaceId, actor: systemActor, type, subjectType: 'test', subjectId: type });
    const webhookId = await inUnitOfWork(database.db, bus, async (uow) => {
      await append(uow, 'memo.before');
      const { row } = await createWebhook(uow, services, workspaceId, systemActor, { url: 'https://hooks.example.com/memo', eventTypes: ['memo.*'] });
      await append(uow, 'memo.after_create');
      await updateWebhook(uow, services, workspaceId, systemActor, row.id, { active: false });
      await append(uow, 'memo.after_deactivate');
      return row.id;
    });
    const deliveries = await database.db.selectFrom('webhook_deliveries').select('event_type').where('workspace_id', '=', workspaceId).where('webhook_id', '=', webhookId).execute();
    expect(deliveries.map((delivery) => delivery.event_type)).toEqual(['memo.after_create']);
  });
});

describeEachDialect('webhooks without the private-address allowance', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('refuses loopback, private and link-local destinations at subscription time, names included', async () => {
    const urls = [
      `http://127.0.0.1:${receiver.port}/`,
      `http://localhost:${receiver.port}/`,
      `http://[::1]:${receiver.port}/`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.8/',
      'https://192.168.1.1/',
      'http://100.100.100.200/',
      'http://0.0.0.0/',
      'http://2130706433/',
      'http://[fd00::1]/',
    ];
    for (const url of urls) {
      const refused = await owner.post('/api/v1/webhooks', { url, eventTypes: ['*'] });
      expect(refused.status, url).toBe(422);
      expect(refused.body).toMatchObject({ code: 'webhook_destination_refused' });
      expect(refused.body.detail, url).toMatch(/public addresses/);
    }
    expect((await owner.post('/api/v1/webhooks', { url: `http://localhost:${receiver.port}/`, eventTypes: ['*'] })).body.detail).toContain('localhost resolves to');
    expect(receiver.connections()).toBe(0);
  });

  it('refuses again at delivery time when a subscribed name now points inside (DNS rebinding)', async () => {
    // Subscribed while the address was public; the name then "moved" to loopback.
    const created = await owner.post('/api/v1/webhooks', { url: 'https://93.184.215.14/hook', eventTypes: ['ticket.created'] });
    expect(created.status).toBe(201);
    await server.database.handle.db.updateTable('webhooks').set({ url: `http://localhost:${receiver.port}/rebound` }).where('id', '=', created.body.id).execute();
    await owner.post('/api/v1/tickets', { subject: 'Hello', customer: { email: 'noor@example.com' } });
    await server.worker.drain();
    const log = await owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
    expect(log.body.items[0].lastError).toMatch(/refused: localhost resolves to .* loopback/);
    // Refusal is final: the job failed without waiting out its retries.
    const failed = await owner.get('/api/v1/jobs?status=failed');
    expect(failed.body.items.map((job: { id: string }) => job.id)).toContain(log.body.items[0].id);
    expect(receiver.connections()).toBe(0);
  });

  it('checks each resolved address when connecting, so a name cannot slip past the check', async () => {
    const attempt = postWebhook(`http://localhost:${receiver.port}/direct`, '{}', {}, { allowPrivate: false });
    await expect(attempt).rejects.toBeInstanceOf(DestinationRefused);
    expect(receiver.connections()).toBe(0);
    const refused = await new Promise<Error | null>((resolve) => guardedLookup(false)('localhost', { all: true }, (error) => resolve(error)));
    expect(refused).toBeInstanceOf(DestinationRefused);
    // The same request with the allowance reaches the receiver: the refusal above was the guard's doing.
    const allowed = await postWebhook(`http://localhost:${receiver.port}/direct`, '{}', {}, { allowPrivate: true });
    expect(allowed.status).toBe(200);
    expect(receiver.connections()).toBe(1);
  });
});
