import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { startEmailChannels } from '../email/index.js';

/** The customer's own mail provider: a real SMTP server that keeps what Raving sends to the customer. */
async function startCustomerMailbox() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => received.push(mail)).then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const dayMilliseconds = 86_400_000;

describeEachDialect('recovery', (dialect) => {
  let server: TestServer;
  let channels: Awaited<ReturnType<typeof startEmailChannels>>;
  let customerMailbox: Awaited<ReturnType<typeof startCustomerMailbox>>;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect, { RAVING_SMTP_PORT: '0', RAVING_IMAP_POLL_MS: '3600000' });
    channels = await startEmailChannels(server.context);
    customerMailbox = await startCustomerMailbox();
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support', relayUrl: `smtp://127.0.0.1:${customerMailbox.port}` })).status).toBe(201);
    // The controllable clock: only Date is faked, and it keeps running, so the server, the events
    // it writes and the job queue's idea of "due" all move together when days are made to pass.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await channels.stop();
    await customerMailbox.close();
    await server.close();
  });

  async function letDaysPass(days: number) {
    vi.setSystemTime(Date.now() + days * dayMilliseconds);
    await server.worker.drain();
  }
  /** Runs queued jobs (parsing mail, delivering replies) until the customer has `count` mails. */
  async function mailsToCustomer(count: number) {
    for (let attempt = 0; attempt < 100 && customerMailbox.received.length < count; attempt++) {
      await server.worker.drain();
      if (customerMailbox.received.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return customerMailbox.received;
  }
  const page = (path: string, fields: Record<string, string>) => fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  it('angry email → misery → recovery → remedy within limit → customer told → follow-up after N days → CSAT 5 → recovered, counted', async () => {
    expect((await agent.request('PUT', '/api/v1/recovery/settings', { mode: 'proposed' })).status).toBe(403);
    const settings = (await owner.get('/api/v1/recovery/settings')).body;
    expect(settings.playbook.map((step: { key: string }) => step.key)).toEqual(['acknowledge', 'ownership', 'fix', 'tell', 'follow_up', 'root_cause']);
    expect((await owner.request('PUT', '/api/v1/recovery/settings', { ...settings, followUpDays: 0 })).status).toBe(400);
    const remedy = { shareOfLifetimeValue: 0.2, minimum: 5, maximum: 250 };
    expect((await owner.request('PUT', '/api/v1/recovery/settings', { ...settings, remedy, followUpDays: 3, followUpAction: 'send', followUpMessage: 'Checking in: is the new kettle working?' })).status).toBe(200);
    // Maya is a known customer (imported with her lifetime value) before she writes in angry.
    const maya = await owner.post('/api/v1/customers', { email: 'maya@example.com', name: 'Maya' });
    expect(maya.status).toBe(201);
    await owner.request('PUT', `/api/v1/customers/${maya.body.id}/value`, { revenueToDate: 1200, orders: 12, expectedFutureValue: 800 });

    const customer = nodemailer.createTransport({ host: '127.0.0.1', port: channels.smtpPort!, secure: false, ignoreTLS: true });
    await customer.sendMail({ from: 'Maya <maya@example.com>', to: 'support@acme.example', subject: 'BROKEN KETTLE AGAIN', text: 'This is the THIRD kettle that arrived broken. Absolutely unacceptable!!! I want this fixed NOW.' });
    customer.close();
    let ticketId = '';
    for (let attempt = 0; attempt < 50 && !ticketId; attempt++) {
      await server.worker.drain();
      ticketId = (await agent.get('/api/v1/tickets')).body.items[0]?.id ?? '';
    }
    await server.worker.drain();
    const ticket = (await agent.get(`/api/v1/tickets/${ticketId}`)).body;
    expect(ticket.customer.id).toBe(maya.body.id);

    const feelings = (await agent.get(`/api/v1/tickets/${ticketId}/feelings`)).body;
    expect(feelings.latest.agitation).toBeGreaterThanOrEqual(0.6);
    const misery = (await agent.get(`/api/v1/tickets/${ticketId}/moments?kind=misery`)).body.items;
    expect(misery.map((moment: { rule: string }) => moment.rule)).toEqual(['agitation_spike']);

    const [recovery] = (await agent.get(`/api/v1/tickets/${ticketId}/recoveries`)).body.items;
    expect(recovery).toMatchObject({ status: 'open', momentId: misery[0].id, outcome: null, lifetimeValue: 2000 });
    // 20% of 2000 is 400, held to the workspace's 250; the owner may grant that, the agent only up to their own limit.
    expect((await owner.get(`/api/v1/recoveries/${recovery.id}`)).body.suggestedRemedy).toMatchObject({ value: 250, fullValue: 250, isCappedByLimit: false });
    expect(recovery.suggestedRemedy).toMatchObject({ fullValue: 250, isCappedByLimit: true });
    expect(recovery.suggestedRemedy.value).toBeGreaterThan(0);
    expect(recovery.suggestedRemedy.value).toBeLessThan(250);

    await agent.request('PATCH', `/api/v1/recoveries/${recovery.id}/steps/acknowledge`, { done: true });
    await agent.request('PATCH', `/api/v1/recoveries/${recovery.id}/steps/ownership`, { done: true });
    // Within the agent's empowerment limit: granted in one step, with the reply that tells the customer.
    const granted = await agent.post(`/api/v1/tickets/${ticketId}/remedies`, { type: 'replacement', value: 30, note: 'New kettle, express', reply: { text: "I'm so sorry. I've sent a new kettle by express; it arrives tomorrow." } });
    expect(granted.status).toBe(201);
    expect(granted.body.outcome).toBe('granted');
    await agent.request('PATCH', `/api/v1/recoveries/${recovery.id}/steps/fix`, { done: true, note: 'replacement granted' });
    const told = await agent.request('PATCH', `/api/v1/recoveries/${recovery.id}/steps/tell`, { done: true });
    expect(Date.parse(told.body.followUpAt) - Date.now()).toBeGreaterThan(2.9 * dayMilliseconds);
    expect((await agent.request('PATCH', `/api/v1/recoveries/${recovery.id}/steps/nope`, { done: true })).status).toBe(404);
    // The customer is told, in their own mailbox.
    const [toldMail] = await mailsToCustomer(1);
    expect(toldMail!.to).toMatchObject({ value: [{ address: 'maya@example.com' }] });
    expect(toldMail!.text).toContain("I've sent a new kettle by express");

    // Two days on, the follow-up is not due: nothing is sent.
    const before = (await agent.get(`/api/v1/tickets/${ticketId}/messages`)).body.items.length;
    await letDaysPass(2);
    expect((await agent.get(`/api/v1/tickets/${ticketId}/messages`)).body.items).toHaveLength(before);
    // A day and a bit later it fires, once, and reaches the customer.
    await letDaysPass(1.1);
    await letDaysPass(1);
    const messages = (await agent.get(`/api/v1/tickets/${ticketId}/messages`)).body.items;
    expect(messages).toHaveLength(before + 1);
    expect(messages.at(-1)).toMatchObject({ kind: 'outbound', text: 'Checking in: is the new kettle working?' });
    expect((await agent.get(`/api/v1/recoveries/${recovery.id}`)).body.steps.find((step: { key: string }) => step.key === 'follow_up').done).toBe(true);
    expect((await mailsToCustomer(2))[1]!.text).toContain('Checking in: is the new kettle working?');

    const root = await agent.post(`/api/v1/recoveries/${recovery.id}/root-cause`, { category: 'Packaging', whatFailed: 'Kettles packed without foam', preventiveAction: { description: 'Add foam inserts', ownerId: agentId, dueAt: new Date(Date.now() + 7 * dayMilliseconds).toISOString() } });
    expect(root.status).toBe(201);
    expect((await agent.post(`/api/v1/recoveries/${recovery.id}/root-cause`, { category: 'Packaging', whatFailed: 'again' })).status).toBe(409);

    // The customer answers the CSAT survey from the link in the email they received.
    expect((await owner.post('/api/v1/surveys/send', { customerId: ticket.customer.id, ticketId, kind: 'csat' })).status).toBe(201);
    const surveyMail = (await mailsToCustomer(3))[2]!;
    const link = surveyMail.text!.match(/https?:\/\/\S+/)![0];
    expect((await page(new URL(link).pathname, { q1: '5', comment: 'Wonderful, thank you for sorting it so quickly!' })).status).toBe(200);

    const closed = (await agent.get(`/api/v1/recoveries/${recovery.id}`)).body;
    expect(closed).toMatchObject({ status: 'closed', outcome: 'recovered' });
    const magic = (await agent.get(`/api/v1/tickets/${ticketId}/moments?kind=magic`)).body.items.map((moment: { rule: string }) => moment.rule).sort();
    expect(magic).toEqual(['csat_delighted', 'misery_recovered']);
    expect((await agent.post(`/api/v1/recoveries/${recovery.id}/close`, { outcome: 'not_recovered' })).status).toBe(409);

    const report = await owner.get('/api/v1/reports/moments');
    expect(report.status).toBe(200);
    expect(report.body.recovery).toMatchObject({ closed: 1, recovered: 1, rate: 1, recoveredTicketIds: [ticketId] });
    // Opened when the email arrived, closed by the answer more than three days later.
    expect(report.body.timeToRecoverHours.median).toBeGreaterThanOrEqual(72);
    expect(report.body.topRootCauses).toMatchObject([{ category: 'packaging', title: 'Kettles packed without foam', count: 1, ticketIds: [ticketId] }]);
    const weeks = report.body.weeks as Array<{ misery: number; magic: number; truth: number; miseryTicketIds: string[] }>;
    expect(weeks.reduce((sum, week) => sum + week.misery, 0)).toBe(1);
    expect(weeks.reduce((sum, week) => sum + week.magic, 0)).toBe(2);
    expect(weeks.flatMap((week) => week.miseryTicketIds)).toEqual([ticketId]);
    expect(weeks.reduce((sum, week) => sum + week.truth, 0)).toBeGreaterThanOrEqual(4);
    expect(report.body.lifetimeValueAtRisk.total).toBe(0);
    expect((await agent.get('/api/v1/reports/moments')).status).toBe(403);
    expect((await owner.get('/api/v1/reports/moments?from=2026-12-01&to=2026-11-01')).status).toBe(400);
  });

  it('proposes instead of opening when set to, counts lifetime value at risk, and rolls root causes into problems tracked to done', async () => {
    const settings = (await owner.get('/api/v1/recovery/settings')).body;
    await owner.request('PUT', '/api/v1/recovery/settings', { ...settings, mode: 'proposed', followUpAction: 'remind' });
    const created = await agent.post('/api/v1/tickets', { subject: 'Late', customer: { email: 'lee@example.com' }, message: { text: 'Where is my parcel?' } });
    const ticketId = created.body.id;
    await owner.request('PUT', `/api/v1/customers/${created.body.customer.id}/value`, { revenueToDate: 300, orders: 3, expectedFutureValue: 0 });
    expect((await agent.post(`/api/v1/tickets/${ticketId}/moments`, { kind: 'misery', rule: 'complaint', note: 'Phoned in' })).status).toBe(201);
    const [proposed] = (await agent.get(`/api/v1/tickets/${ticketId}/recoveries`)).body.items;
    expect(proposed).toMatchObject({ status: 'proposed', lifetimeValue: 300, suggestedRemedy: { type: 'discount', value: 60, fullValue: 60, isCappedByLimit: false } });
    expect((await agent.request('PATCH', `/api/v1/recoveries/${proposed.id}/steps/acknowledge`, { done: true })).status).toBe(409);
    expect((await owner.get('/api/v1/reports/moments')).body.lifetimeValueAtRisk).toMatchObject({ total: 300, ticketIds: [ticketId] });

    const opened = await agent.post(`/api/v1/recoveries/${proposed.id}/accept`);
    expect(opened.body.status).toBe('open');
    await agent.request('PATCH', `/api/v1/recoveries/${proposed.id}/steps/tell`, { done: true });
    await letDaysPass(3.1);
    const due = (await agent.get(`/api/v1/tickets/${ticketId}/events`)).body.items.filter((event: { type: string }) => event.type === 'recovery.follow_up_due');
    expect(due).toHaveLength(1);

    // A positive reply after the customer was told is evidence of recovery too.
    await agent.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'inbound', text: 'Thank you so much, it arrived and it is perfect. Great service!' });
    await server.worker.drain();
    expect((await agent.get(`/api/v1/recoveries/${proposed.id}`)).body).toMatchObject({ status: 'closed', outcome: 'recovered' });

    const root = await agent.post(`/api/v1/recoveries/${proposed.id}/root-cause`, { category: 'packaging', whatFailed: 'kettles packed without foam!', preventiveAction: { description: 'Train warehouse staff' } });
    expect(root.status).toBe(201);
    const problems = (await owner.get('/api/v1/problems')).body.items;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ category: 'packaging', ticketsAffected: 2, customersAffected: 2, lifetimeValueAffected: 2300, status: 'open' });
    expect(problems[0].preventiveActions.map((action: { description: string }) => action.description)).toEqual(['Add foam inserts', 'Train warehouse staff']);
    for (const action of problems[0].preventiveActions) expect((await agent.patch(`/api/v1/preventive-actions/${action.id}`, { status: 'done' })).status).toBe(200);
    expect((await owner.get(`/api/v1/problems/${problems[0].id}`)).body.status).toBe('solved');
    expect((await owner.get('/api/v1/problems?status=open')).body.items).toEqual([]);
    expect((await agent.patch('/api/v1/preventive-actions/nope', { status: 'done' })).status).toBe(404);
  });
});
