import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { inUnitOfWork } from '../../events/events.js';
import { createSurveyToken } from './survey.links.js';
import { composeSurveyEmail } from './survey.email.js';

describeEachDialect('surveys', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agentId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  async function ticketFor(email: string) {
    const created = await owner.post('/api/v1/tickets', { subject: 'Help', customer: { email }, message: { text: 'Hello' }, assigneeId: agentId });
    expect(created.status).toBe(201);
    return { ticketId: created.body.id as string, customerId: created.body.customer.id as string };
  }

  const page = (path: string, init?: RequestInit) => fetch(server.url + path, init).then(async (response) => ({ status: response.status, html: await response.text(), type: response.headers.get('content-type') }));
  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
    return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
  };

  it('a link only shows the survey; the customer submit records it once, linked to ticket, agent and customer', async () => {
    const { ticketId, customerId } = await ticketFor('rater@example.com');
    const sent = await owner.post('/api/v1/surveys/send', { customerId, ticketId, kind: 'csat' });
    expect(sent.status).toBe(201);
    const invitation = sent.body.invitation;
    expect(invitation).toMatchObject({ kind: 'csat', stage: 'on_demand', customerId, ticketId, agentId, recipientEmail: 'rater@example.com' });
    expect(invitation.ratingLinks).toHaveLength(5);
    const path = new URL(invitation.ratingLinks[3].url).pathname + new URL(invitation.ratingLinks[3].url).search;
    const row = await server.database.handle.db.selectFrom('survey_invitations').selectAll().where('id', '=', invitation.id).executeTakeFirstOrThrow();
    const email = composeSurveyEmail(server.context, row, 'Acme');
    expect(email.to).toBe('rater@example.com');
    for (const link of invitation.ratingLinks) expect(email.text).toContain(link.url);

    // A mail scanner following every link twice records nothing.
    for (const link of invitation.ratingLinks) {
      const url = new URL(link.url);
      const shown = await page(url.pathname + url.search);
      expect(shown.status).toBe(200);
    }
    const shown = await page(path);
    expect(shown.type).toContain('text/html');
    expect(shown.html).toContain('value="4" checked');
    expect((await owner.get('/api/v1/surveys/responses')).body.items).toHaveLength(0);

    const submitted = await page(new URL(invitation.link).pathname, form({ q1: '4', feelings: ['grateful', 'heard'], comment: 'Quick and <b>kind</b> help, thank you' }));
    expect(submitted.status).toBe(200);
    expect(submitted.html).toContain('Thank you');
    const again = await page(new URL(invitation.link).pathname, form({ q1: '1' }));
    expect(again.status).toBe(409);
    expect(again.html).toContain('Already answered');
    expect((await page(path)).status).toBe(409);

    const responses = await owner.get(`/api/v1/surveys/responses?ticketId=${ticketId}`);
    expect(responses.body.items).toHaveLength(1);
    expect(responses.body.items[0]).toMatchObject({ kind: 'csat', score: 4, feelings: ['grateful', 'heard'], comment: 'Quick and <b>kind</b> help, thank you', customerId, agentId });
    const events = await owner.get(`/api/v1/tickets/${ticketId}/events`);
    const answered = events.body.items.filter((event: { type: string }) => event.type === 'survey.answered');
    expect(answered).toHaveLength(1);
    expect(answered[0].payload).toMatchObject({ kind: 'csat', score: 4, ticketId, customerId, agentId, feelings: ['grateful', 'heard'] });
    const feedback = await owner.get('/api/v1/feedback?source=survey');
    expect(feedback.body.items[0]).toMatchObject({ source: 'survey', customerId, ticketId, sentimentLabel: 'positive' });
    const summary = await owner.get('/api/v1/surveys/summary');
    expect(summary.body).toMatchObject({ csat: { responses: 1, average: 4, satisfiedShare: 1 }, gratefulShare: 1 });
  });

  it('refuses tampered, expired and out-of-range answers with a clear page', async () => {
    const { ticketId, customerId } = await ticketFor('careful@example.com');
    const sent = await owner.post('/api/v1/surveys/send', { customerId, ticketId, kind: 'nps' });
    const link = new URL(sent.body.invitation.link).pathname;
    const tampered = link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A');
    for (const response of [await page(tampered), await page(tampered, form({ q1: '10' })), await page('/survey/not-a-token')]) {
      expect(response.status).toBe(400);
      expect(response.html).toContain('This link is not valid');
    }
    const expired = `/survey/${createSurveyToken(server.context.secret, sent.body.invitation.id, new Date(Date.now() - 1000).toISOString())}`;
    const closed = await page(expired, form({ q1: '10' }));
    expect(closed.status).toBe(410);
    expect(closed.html).toContain('expired');
    const outOfRange = await page(link, form({ q1: '11' }));
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.html).toContain('from 0 to 10');
    const strangeFeeling = await page(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ratings: { q1: 9 }, feelings: ['<script>'] }) });
    expect(strangeFeeling.status).toBe(400);
    expect(strangeFeeling.html).not.toContain('<script>');
    expect((await owner.get(`/api/v1/surveys/responses?customerId=${customerId}`)).body.items).toHaveLength(0);
    const ok = await page(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ratings: { q1: 9 } }) });
    expect(ok.status).toBe(200);
  });

  it('does not ask a customer twice inside the throttle window, and follows the solved stage', async () => {
    const { ticketId, customerId } = await ticketFor('often@example.com');
    expect((await owner.post('/api/v1/surveys/send', { customerId, kind: 'ces' })).status).toBe(201);
    const throttled = await owner.post('/api/v1/surveys/send', { customerId, ticketId, kind: 'csat' });
    expect(throttled.status).toBe(200);
    expect(throttled.body.status).toBe('throttled');

    const fresh = await ticketFor('solved@example.com');
    await owner.patch(`/api/v1/tickets/${fresh.ticketId}`, { status: 'solved' });
    await owner.patch(`/api/v1/tickets/${ticketId}`, { status: 'solved' });
    await server.worker.drain();
    const invitations = await owner.get('/api/v1/surveys/invitations?status=pending');
    const solvedStage = invitations.body.items.filter((item: { stage: string }) => item.stage === 'solved');
    expect(solvedStage.map((item: { customerId: string }) => item.customerId)).toEqual([fresh.customerId]);
    expect(solvedStage[0]).toMatchObject({ kind: 'csat', ticketId: fresh.ticketId, agentId });

    const relaxed = await owner.patch('/api/v1/listening/settings', { surveys: { throttleDays: 0 } });
    expect(relaxed.status).toBe(200);
    expect(relaxed.body.surveys).toMatchObject({ throttleDays: 0, linkValidDays: 14 });
    expect((await owner.post('/api/v1/surveys/send', { customerId, kind: 'nps' })).status).toBe(201);
    expect((await owner.patch('/api/v1/listening/settings', { surveys: { throttleDays: -1 } })).status).toBe(400);
  });

  it('asks after the first response and after a recovery closes when those stages are on, and sends periodic NPS', async () => {
    await owner.patch('/api/v1/listening/settings', { surveys: { throttleDays: 0, stages: { first_response: { enabled: true, kind: 'ces' }, solved: { enabled: false, kind: 'csat' }, recovery: { enabled: true, kind: 'feelings' }, periodic_nps: { enabled: true, everyDays: 30 } } } });
    const replied = await ticketFor('first@example.com');
    await owner.post(`/api/v1/tickets/${replied.ticketId}/messages`, { kind: 'reply', text: 'On it!' });
    await owner.post(`/api/v1/tickets/${replied.ticketId}/messages`, { kind: 'reply', text: 'Done.', status: 'solved' });
    await server.worker.drain();
    const invitations = (await owner.get('/api/v1/surveys/invitations?limit=200')).body.items as Array<{ stage: string; kind: string; ticketId: string | null; customerId: string }>;
    const firstResponse = invitations.filter((item) => item.stage === 'first_response' && item.ticketId === replied.ticketId);
    expect(firstResponse).toHaveLength(1);
    expect(firstResponse[0]!.kind).toBe('ces');
    expect(invitations.filter((item) => item.stage === 'solved' && item.ticketId === replied.ticketId)).toHaveLength(0);
    const periodic = invitations.filter((item) => item.stage === 'periodic_nps');
    expect(periodic.length).toBeGreaterThan(0);
    expect(periodic.every((item) => item.kind === 'nps' && item.ticketId === null)).toBe(true);
  });

  it('listens for recovery.closed by name', async () => {
    const recovered = await ticketFor('recovered@example.com');
    const { workspaceId } = (await server.database.handle.db.selectFrom('tickets').select('workspace_id as workspaceId').where('id', '=', recovered.ticketId).executeTakeFirstOrThrow());
    await inUnitOfWork(server.database.handle.db, server.context.bus, (uow) =>
      server.context.bus.append(uow, { workspaceId, actor: { type: 'system', id: null }, type: 'recovery.closed', subjectType: 'recovery', subjectId: 'recovery-1', ticketId: recovered.ticketId, payload: { outcome: 'recovered' } }),
    );
    await server.worker.drain();
    const invitations = (await owner.get(`/api/v1/surveys/invitations?customerId=${recovered.customerId}`)).body.items;
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ stage: 'recovery', kind: 'feelings', ticketId: recovered.ticketId, ratingLinks: [] });
  });

  it('breaks the figures down per agent, channel and week', async () => {
    await owner.patch('/api/v1/listening/settings', { surveys: { throttleDays: 0 } });
    const answer = async (email: string, kind: 'csat' | 'nps', score: number, aboutTicket = true) => {
      const { ticketId, customerId } = await ticketFor(email);
      const sent = await owner.post('/api/v1/surveys/send', { customerId, ticketId: aboutTicket ? ticketId : undefined, kind });
      expect((await page(new URL(sent.body.invitation.link).pathname, form({ q1: String(score) }))).status).toBe(200);
    };
    const before = (await owner.get('/api/v1/surveys/breakdown?by=agent')).body.items.find((item: { key: string }) => item.key === agentId);
    await answer('breakdown-1@example.com', 'csat', 5);
    await answer('breakdown-2@example.com', 'csat', 2);
    // Periodic NPS is about the relationship, not a ticket: no agent, no channel.
    await answer('breakdown-3@example.com', 'nps', 10, false);
    const byAgent = (await owner.get('/api/v1/surveys/breakdown?by=agent')).body;
    const agent = byAgent.items.find((item: { key: string }) => item.key === agentId);
    expect(agent.label).toBe('agent');
    expect(agent.responses - (before?.responses ?? 0)).toBe(2);
    expect(byAgent.items.find((item: { key: string | null }) => item.key === null)).toMatchObject({ label: 'No agent', nps: { score: 100 } });
    expect(agent.csat.responses - (before?.csat.responses ?? 0)).toBe(2);
    const byChannel = (await owner.get('/api/v1/surveys/breakdown?by=channel')).body.items;
    expect(byChannel.map((item: { label: string }) => item.label)).toContain('No ticket');
    const byWeek = (await owner.get('/api/v1/surveys/breakdown?by=week')).body.items;
    const thisWeek = byWeek.at(-1);
    expect(thisWeek.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${thisWeek.key}T00:00:00Z`).getUTCDay()).toBe(1);
    const all = (await owner.get('/api/v1/surveys/summary')).body;
    expect(byWeek.reduce((sum: number, item: { responses: number }) => sum + item.responses, 0)).toBe(all.responses);
    expect((await owner.get('/api/v1/surveys/breakdown?by=planet')).status).toBe(400);
  });
});

