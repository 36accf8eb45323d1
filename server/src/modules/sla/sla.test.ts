import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import type { App } from '../../context.js';
import type { Dialect } from '../../db/database.js';
import { EventBus } from '../../events/events.js';
import { JobRegistry } from '../../jobs/queue.js';
import { JobWorker } from '../../jobs/worker.js';
import { createTestDatabase, describeEachDialect, useTestWorkspace, type TestDatabase, type TestServer } from '../../../test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../../test/client.js';

/**
 * The clock is controlled by faking Date only (timers stay real): the server, the events it writes
 * and the job queue's notion of "due" all read Date, so moving it moves the whole system in step.
 */
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const at = (minutes: number) => vi.setSystemTime(new Date(T0 + minutes * 60_000));
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function eventsOf(client: ApiClient, ticketId: string, type: string) {
  const response = await client.get(`/api/v1/tickets/${ticketId}/events`);
  return response.body.items.filter((event: { type: string }) => event.type === type);
}

describeEachDialect('SLA', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));
  afterEach(() => {
    vi.useRealTimers();
  });

  it('validates policies: unknown calendar, bad targets, agents may not manage', async () => {
    const bad = await owner.post('/api/v1/sla-policies', { name: 'Bad', targets: { firstResponse: -5 } });
    expect(bad.status).toBe(400);
    const unknownCalendar = await owner.post('/api/v1/sla-policies', { name: 'Bad', targets: { firstResponse: 5 }, calendarId: 'nope' });
    expect(unknownCalendar.status).toBe(400);
    const badZone = await owner.post('/api/v1/business-hours', { name: 'Mars', timeZone: 'Mars/Olympus', intervals: [{ day: 1, start: 0, end: 60 }] });
    expect(badZone.status).toBe(400);
    expect(badZone.headers.get('content-type')).toContain('application/problem+json');
  });

  it('runs the lifecycle on a controllable clock: warning, pause while pending, resume, breach once, met', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(-10);
    const policy = await owner.post('/api/v1/sla-policies', { name: 'Standard', position: 10, targets: { firstResponse: 30, nextResponse: 60, resolution: 240 }, warningPercent: 50 });
    expect(policy.status).toBe(201);
    at(0);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Broken kettle', customer: { email: 'kai@example.com' }, message: { text: 'It leaks' } });
    const id = ticket.body.id as string;
    await server.worker.drain();
    let sla = await owner.get(`/api/v1/tickets/${id}/sla`);
    expect(sla.status).toBe(200);
    expect(sla.body.policy.name).toBe('Standard');
    const first = () => sla.body.targets.find((target: { metric: string }) => target.metric === 'first_response');
    expect(first()).toMatchObject({ status: 'running', dueAt: iso(30), warningAt: iso(15), remainingMinutes: 30 });

    at(16);
    await server.worker.drain();
    const warnings = await eventsOf(owner, id, 'sla.warning');
    expect(warnings.map((event: { payload: { metric: string } }) => event.payload.metric)).toEqual(['first_response']);

    // Waiting on the customer stops the clock with 10 minutes left; the old due timer finds nothing to do.
    at(20);
    expect((await owner.patch(`/api/v1/tickets/${id}`, { status: 'pending' })).status).toBe(200);
    await server.worker.drain();
    sla = await owner.get(`/api/v1/tickets/${id}/sla`);
    expect(first()).toMatchObject({ status: 'paused', dueAt: null, remainingMinutes: 10 });
    at(120);
    await server.worker.drain();
    expect(await eventsOf(owner, id, 'sla.breached')).toHaveLength(0);

    // The customer answers: the ticket reopens and the clock resumes with its 10 minutes.
    await owner.post(`/api/v1/tickets/${id}/messages`, { kind: 'inbound', text: 'Any news?' });
    await server.worker.drain();
    sla = await owner.get(`/api/v1/tickets/${id}/sla`);
    expect(first()).toMatchObject({ status: 'running', dueAt: iso(130), remainingMinutes: 10 });

    at(131);
    await server.worker.drain();
    await server.worker.drain();
    const breaches = await eventsOf(owner, id, 'sla.breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ actor: { type: 'system' }, payload: { ticketId: id, metric: 'first_response', dueAt: iso(130), policy: { id: policy.body.id, name: 'Standard' } } });

    // A late reply is recorded as met at that time but stays breached; the next customer message starts the next-response clock.
    at(132);
    await owner.post(`/api/v1/tickets/${id}/messages`, { kind: 'reply', text: 'Sending a new one.' });
    at(180);
    await owner.post(`/api/v1/tickets/${id}/messages`, { kind: 'inbound', text: 'Thanks, when?' });
    at(200);
    await owner.post(`/api/v1/tickets/${id}/messages`, { kind: 'reply', text: 'Tomorrow.', status: 'solved' });
    await server.worker.drain();
    sla = await owner.get(`/api/v1/tickets/${id}/sla`);
    const byMetric = Object.fromEntries(sla.body.targets.map((target: { metric: string }) => [target.metric, target]));
    expect(byMetric.first_response).toMatchObject({ status: 'breached', metAt: iso(132), breachedAt: iso(130) });
    expect(byMetric.next_response).toMatchObject({ status: 'met', startedAt: iso(180), metAt: iso(200), elapsedMinutes: 20 });
    // Resolution: 200 minutes minus the 100 spent pending.
    expect(byMetric.resolution).toMatchObject({ status: 'met', metAt: iso(200), elapsedMinutes: 100 });
    expect(await eventsOf(owner, id, 'sla.breached')).toHaveLength(1);
  });

  it('withdraws the timers of a clock that stopped: a reply before the warning leaves no first-response timer waiting', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(-10);
    expect((await owner.post('/api/v1/sla-policies', { name: 'Quick', position: 5, targets: { firstResponse: 30 }, warningPercent: 50 })).status).toBe(201);
    at(0);
    const id = (await owner.post('/api/v1/tickets', { subject: 'Lost parcel', customer: { email: 'noor@example.com' }, message: { text: 'Where is it?' } })).body.id as string;
    await server.worker.drain();
    const waitingTimers = async () =>
      ((await owner.get('/api/v1/jobs?status=queued&limit=100')).body.items as Array<{ type: string; runAt: string }>).filter((job) => job.type === 'sla.evaluate').map((job) => job.runAt).sort();
    expect(await waitingTimers()).toEqual([iso(15), iso(30)]);
    at(5);
    await owner.post(`/api/v1/tickets/${id}/messages`, { kind: 'reply', text: 'It left the depot this morning.' });
    await server.worker.drain();
    expect(await waitingTimers()).toEqual([]);
    const sla = await owner.get(`/api/v1/tickets/${id}/sla`);
    expect(sla.body.targets.find((target: { metric: string }) => target.metric === 'first_response')).toMatchObject({ status: 'met', metAt: iso(5) });
  });

  it('chooses the first matching policy in order, and re-chooses when the priority changes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(1000);
    await owner.post('/api/v1/sla-policies', { name: 'Fallback', position: 20, targets: { firstResponse: 600 } });
    const urgent = await owner.post('/api/v1/sla-policies', { name: 'Urgent', position: 0, conditions: { priorities: ['urgent'] }, targets: { firstResponse: 5 } });
    expect(urgent.status).toBe(201);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Site down', customer: { email: 'ops@example.com' }, message: { text: 'Down!' } });
    let sla = await owner.get(`/api/v1/tickets/${ticket.body.id}/sla`);
    expect(sla.body.policy.name).not.toBe('Urgent');
    await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { priority: 'urgent' });
    sla = await owner.get(`/api/v1/tickets/${ticket.body.id}/sla`);
    expect(sla.body.policy.name).toBe('Urgent');
    expect(sla.body.targets).toEqual([expect.objectContaining({ metric: 'first_response', dueAt: iso(1005) })]);
    await owner.delete(`/api/v1/sla-policies/${urgent.body.id}`);
  });

  it('measures in business hours: a ticket on Friday evening is due on Monday', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-27T16:30:00Z')); // Friday 17:30 in Paris
    const calendar = await owner.post('/api/v1/business-hours', { name: 'Paris office', timeZone: 'Europe/Paris', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: 540, end: 1080 })), holidays: ['2026-11-30'] });
    expect(calendar.status).toBe(201);
    const policy = await owner.post('/api/v1/sla-policies', { name: 'Office', position: 0, conditions: { tags: ['office'] }, targets: { firstResponse: 60 }, calendarId: calendar.body.id });
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Invoice', customer: { email: 'fr@example.com' }, tags: ['office'] });
    const sla = await owner.get(`/api/v1/tickets/${ticket.body.id}/sla`);
    // 30 minutes on Friday, Monday is a holiday, 30 more on Tuesday from 09:00 Paris (08:00 UTC).
    expect(sla.body.targets[0]).toMatchObject({ metric: 'first_response', dueAt: '2026-12-01T08:30:00.000Z' });
    await owner.delete(`/api/v1/sla-policies/${policy.body.id}`);
  });
});

/** A server over an existing database: a fresh process in all but name (new bus, registry, worker). */
async function serverOn(database: TestDatabase, dialect: Dialect): Promise<{ app: App; worker: JobWorker; url: string; close(): Promise<void> }> {
  const config = loadConfig({ RAVING_SMTP_PORT: '0', RAVING_LOG_LEVEL: 'silent', ...database.environment });
  const jobs = new JobRegistry();
  let worker: JobWorker | undefined;
  const { app } = await buildApp({ context: { config, database: database.handle, bus: new EventBus(), jobs, secret: 'test-secret-'.padEnd(48, 'x'), pokeWorker: () => worker?.poke() } });
  worker = new JobWorker({ db: database.handle.db, dialect, registry: jobs, log: app.log, pollMilliseconds: 50 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, worker, url: `http://127.0.0.1:${port}`, close: async () => { await worker!.stop(); await app.close(); } };
}

describeEachDialect('SLA timers across restarts', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database.dispose());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('200 pending timers survive a restart and fire exactly once, even with two workers racing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    const first = await serverOn(database, dialect);
    const { owner } = await setUpWorkspace(first.url);
    await owner.post('/api/v1/sla-policies', { name: 'Fast', targets: { firstResponse: 30 } });
    const ids: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const created = await Promise.all(Array.from({ length: 10 }, (_, index) => owner.post('/api/v1/tickets', { subject: `Timer ${batch}-${index}`, customer: { email: `t${index}@example.com` } })));
      ids.push(...created.map((response) => response.body.id as string));
    }
    expect(new Set(ids).size).toBe(200);
    await first.worker.drain();
    await first.close();
    const pending = await database.handle.db.selectFrom('jobs').select(({ fn }) => fn.countAll<number>().as('count')).where('type', '=', 'sla.evaluate').where('status', '=', 'queued').executeTakeFirstOrThrow();
    expect(Number(pending.count)).toBeGreaterThanOrEqual(400); // a warning and a due timer per ticket

    at(31);
    const second = await serverOn(database, dialect);
    const third = await serverOn(database, dialect);
    await Promise.all([second.worker.drain(), third.worker.drain()]);
    await second.worker.drain();
    const breaches = await database.handle.db.selectFrom('events').select(['ticket_id', 'payload']).where('type', '=', 'sla.breached').execute();
    expect(breaches).toHaveLength(200);
    expect(new Set(breaches.map((event) => event.ticket_id))).toEqual(new Set(ids));
    const warnings = await database.handle.db.selectFrom('events').select('ticket_id').where('type', '=', 'sla.warning').execute();
    expect(warnings.length).toBeLessThanOrEqual(200);
    await second.close();
    await third.close();
  }, 180_000);
});

describeEachDialect('SLA settings in memory', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let workspaceId: string;

  useTestWorkspace(dialect, (setup) => ({ server, owner, workspaceId } = setup));
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are never used after a change made straight in the database, as another node would make it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    const { db } = server.database.handle;
    const policy = await owner.post('/api/v1/sla-policies', { name: 'VIP', conditions: { tags: ['vip'] }, targets: { firstResponse: 30 } });
    expect(policy.status).toBe(201);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Slow delivery', customer: { email: 'lee@example.com' }, message: { text: 'Where is it?' } });
    const id = ticket.body.id as string;
    const sla = async () => (await owner.get(`/api/v1/tickets/${id}/sla`)).body;
    expect((await sla()).policy).toBeNull();

    await db.updateTable('sla_policies').set({ conditions: '{}' }).where('id', '=', policy.body.id).execute();
    expect((await sla()).targets).toMatchObject([{ metric: 'first_response', targetMinutes: 30, dueAt: iso(30) }]);
    await db.updateTable('sla_policies').set({ first_response_minutes: 45 }).where('id', '=', policy.body.id).execute();
    expect((await sla()).targets).toMatchObject([{ metric: 'first_response', targetMinutes: 45, dueAt: iso(45) }]);

    // A workspace calendar appears: open on Mondays (T0 is one, 10:00 UTC) from 11:00 only.
    await db.insertInto('business_calendars').values({ id: 'calendar-1', workspace_id: workspaceId, team_id: null, name: 'Late', time_zone: 'UTC', intervals: JSON.stringify([{ day: 1, start: 660, end: 1440 }]), holidays: '[]', created_at: iso(0), updated_at: iso(0) }).execute();
    expect((await sla()).targets).toMatchObject([{ metric: 'first_response', dueAt: iso(105) }]);

    // The status the ticket was created in now waits on the customer: its clock never ran.
    const created = await db.selectFrom('tickets').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    await db.updateTable('ticket_statuses').set({ category: 'pending' }).where('workspace_id', '=', workspaceId).where('key', '=', created.status).execute();
    expect((await sla()).targets).toMatchObject([{ metric: 'first_response', status: 'paused', elapsedMinutes: 0 }]);

    await db.deleteFrom('sla_policies').where('id', '=', policy.body.id).execute();
    expect((await sla()).policy).toBeNull();
  });
});
