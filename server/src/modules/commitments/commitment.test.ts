import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

const hours = (count: number) => new Date(Date.now() + count * 3_600_000).toISOString();

describeEachDialect('commitments', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;
  let ticketId: string;
  let customerId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Late parcel', customer: { email: 'late@example.com' }, message: { text: 'Where is it?' } });
    ticketId = ticket.body.id;
    customerId = ticket.body.customer.id;
  });
  afterAll(() => server.close());

  /** Time passes: the promise's due time (and its jobs) move into the past. */
  async function makeDue(commitmentId: string) {
    const past = new Date(Date.now() - 1000).toISOString();
    await server.context.database.db.updateTable('commitments').set({ due_at: past }).where('id', '=', commitmentId).execute();
    await server.context.database.db.updateTable('jobs').set({ run_at: past }).where('id', 'in', [`commitment-remind:${commitmentId}`, `commitment-due:${commitmentId}`]).execute();
    await server.worker.drain();
  }
  const eventsOf = async (type: string) => (await agent.get(`/api/v1/tickets/${ticketId}/events`)).body.items.filter((event: { type: string }) => event.type === type);

  it('suggests promises from reply text in the workspace time zone, relative to the given now', async () => {
    expect((await owner.patch('/api/v1/workspace', { timeZone: 'America/New_York' })).status).toBe(200);
    const suggested = await agent.post('/api/v1/commitments/suggest', { text: "Thanks for waiting. I'll call you tomorrow. Please send the photo by Friday.", now: '2026-10-31T16:00:00Z' });
    expect(suggested.status).toBe(200);
    // Sunday 1 November at 17:00 EST, the day New York falls back.
    expect(suggested.body.items).toEqual([{ phrase: 'tomorrow', sentence: "I'll call you tomorrow.", dueAt: '2026-11-01T22:00:00.000Z' }]);
    expect((await agent.post('/api/v1/commitments/suggest', { text: 'x', now: 'not a date' })).status).toBe(400);
  });

  it('records a promise and warns when the promised remedy overpromises', async () => {
    const risky = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Refund within 3 days', dueAt: hours(72), remedy: { type: 'refund', value: 500 } });
    expect(risky.status).toBe(201);
    expect(risky.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['over_per_remedy_limit', 'over_customer_value']);
    await agent.request('PUT', `/api/v1/customers/${customerId}/value`, { revenueToDate: 1000, orders: 4, expectedFutureValue: 0 });
    const safe = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Credit of 20', dueAt: hours(72), remedy: { type: 'credit', value: 20 } });
    expect(safe.body).toMatchObject({ status: 'open', remedy: { type: 'credit', value: 20 }, warnings: [] });
    const overValue = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Refund 300', dueAt: hours(72), remedy: { type: 'refund', value: 300 } });
    expect(overValue.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['over_per_remedy_limit', 'over_customer_value']);
    await owner.request('PUT', '/api/v1/empowerment/settings', { monthlyBudget: 50 });
    const overBudget = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Credit 60', dueAt: hours(72), remedy: { type: 'credit', value: 60 } });
    expect(overBudget.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['over_workspace_budget']);
    // The agent's own monthly allowance: 10, doubled to 20 for this (now best) customer, so a promised credit of 25 overpromises.
    await owner.request('PUT', '/api/v1/empowerment/settings', { monthlyBudget: null, limits: { agents: { [agentId]: { perMonth: 10 } } } });
    const overMonth = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Credit 25', dueAt: hours(72), remedy: { type: 'credit', value: 25 } });
    expect(overMonth.body.warnings).toEqual([{ code: 'over_monthly_limit', message: 'This remedy would take you past your monthly allowance (0 of 20 used).' }]);
    await owner.request('PUT', '/api/v1/empowerment/settings', { limits: { agents: { [agentId]: null } } });
    expect((await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Too late', dueAt: hours(-1) })).status).toBe(400);
    expect((await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: '', dueAt: hours(1) })).status).toBe(400);
    expect((await agent.get(`/api/v1/tickets/${ticketId}/commitments`)).body.items).toHaveLength(5);
    const mine = await agent.get(`/api/v1/commitments?staffId=me&dueBefore=${encodeURIComponent(hours(100))}`);
    expect(mine.body.items.map((item: { description: string }) => item.description)).toEqual(['Refund within 3 days', 'Credit of 20', 'Refund 300', 'Credit 60', 'Credit 25']);
    expect((await owner.get('/api/v1/commitments?staffId=me')).body.items).toEqual([]);
  });

  it('keeps a promise early when 20% or more of the promised time is left, and on time otherwise', async () => {
    const early = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Call back', dueAt: hours(10) });
    const kept = await agent.post(`/api/v1/commitments/${early.body.id}/keep`);
    expect(kept.body).toMatchObject({ status: 'kept', isKeptEarly: true });
    expect((await agent.post(`/api/v1/commitments/${early.body.id}/keep`)).status).toBe(409);

    const onTime = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Ship it', dueAt: hours(1) });
    // Promised 10 hours ago, due in 1 hour: 10% of the time is left, so on time but not early.
    await server.context.database.db.updateTable('commitments').set({ created_at: hours(-9) }).where('id', '=', onTime.body.id).execute();
    expect((await agent.post(`/api/v1/commitments/${onTime.body.id}/keep`)).body).toMatchObject({ status: 'kept', isKeptEarly: false });
    expect((await eventsOf('commitment.kept_early')).map((event: { subjectId: string }) => event.subjectId)).toEqual([early.body.id]);
    expect((await eventsOf('commitment.kept')).map((event: { subjectId: string }) => event.subjectId)).toEqual([onTime.body.id]);
    // Kept early is a moment of magic (PRODUCT.md 3.4); kept on time is not.
    const magic = (await agent.get(`/api/v1/tickets/${ticketId}/moments?kind=magic`)).body.items;
    expect(magic.map((moment: { rule: string; detail: { commitmentId: string } }) => [moment.rule, moment.detail.commitmentId])).toEqual([['commitment_kept_early', early.body.id]]);
  });

  it('reminds before the due time and breaks a promise not kept by then, once', async () => {
    const promise = await agent.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Replacement shipped', dueAt: hours(5) });
    // The reminder is scheduled the configured 60 minutes before the due time, the check at it.
    const jobs = await server.context.database.db.selectFrom('jobs').select(['id', 'run_at']).where('id', 'in', [`commitment-remind:${promise.body.id}`, `commitment-due:${promise.body.id}`]).orderBy('run_at').execute();
    expect(jobs.map((job) => [job.id.split(':')[0], Date.parse(job.run_at)])).toEqual([
      ['commitment-remind', Date.parse(promise.body.dueAt) - 3_600_000],
      ['commitment-due', Date.parse(promise.body.dueAt)],
    ]);
    await makeDue(promise.body.id);
    expect((await eventsOf('commitment.reminder')).map((event: { subjectId: string }) => event.subjectId)).toContain(promise.body.id);
    const broken = await eventsOf('commitment.broken');
    expect(broken.map((event: { subjectId: string }) => event.subjectId)).toEqual([promise.body.id]);
    expect(broken[0].payload).toMatchObject({ description: 'Replacement shipped', customerId });
    // A broken promise is a moment of misery on the ticket (recorded by the moments module from the event).
    const moments = (await agent.get(`/api/v1/tickets/${ticketId}/moments`)).body.items;
    expect(moments.filter((moment: { kind: string; rule: string }) => moment.kind === 'misery' && moment.rule === 'commitment_broken')).toHaveLength(1);
    const listed = (await agent.get(`/api/v1/tickets/${ticketId}/commitments`)).body.items.find((item: { id: string }) => item.id === promise.body.id);
    expect(listed.status).toBe('broken');
    expect((await agent.post(`/api/v1/commitments/${promise.body.id}/keep`)).status).toBe(409);
    await server.worker.drain();
    expect(await eventsOf('commitment.broken')).toHaveLength(1);
  });
});
