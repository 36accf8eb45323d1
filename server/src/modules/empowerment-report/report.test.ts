import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

const inHours = (count: number) => new Date(Date.now() + count * 3_600_000).toISOString();
const sorted = (ids: string[]) => [...ids].sort();

describeEachDialect('empowerment report', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let manager: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;
  let aliceId: string;
  let bobId: string;
  let teamId: string;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: manager } = await addStaff(owner, 'manager@acme.example', 'manager'));
    ({ client: alice, staffId: aliceId } = await addStaff(owner, 'alice@acme.example', 'agent', 'Alice'));
    ({ client: bob, staffId: bobId } = await addStaff(owner, 'bob@acme.example', 'agent', 'Bob'));
    teamId = (await owner.post('/api/v1/teams', { name: 'Returns' })).body.id;
    const db = server.context.database.db;
    const open = async (name: string, assigneeId: string, extra: Record<string, unknown> = {}) => {
      t[name] = (await alice.post('/api/v1/tickets', { subject: name, customer: { email: `${name}@example.com` }, message: { text: 'help' }, assigneeId, ...extra })).body.id;
    };
    const solve = (name: string) => alice.patch(`/api/v1/tickets/${t[name]}`, { status: 'solved' });

    // T1: Alice grants a refund within her limit while replying, and keeps a promise early.
    await open('t1', aliceId, { teamId });
    await alice.post(`/api/v1/tickets/${t.t1}/remedies`, { type: 'refund', value: 50, reply: { text: 'Refunded.', status: 'solved' } });
    const early = await alice.post(`/api/v1/tickets/${t.t1}/commitments`, { description: 'Confirm by email', dueAt: inHours(10) });
    await alice.post(`/api/v1/commitments/${early.body.id}/keep`);
    // T2: an exception the manager approves after 30 minutes.
    await open('t2', aliceId);
    const exception = await alice.post(`/api/v1/tickets/${t.t2}/remedies`, { type: 'replacement', value: 150 });
    await manager.post(`/api/v1/approvals/${exception.body.remedy.approval.id}/decision`, { decision: 'approve', reason: 'fine' });
    await db.updateTable('approvals').set({ created_at: inHours(-2), decided_at: inHours(-1.5) }).where('id', '=', exception.body.remedy.approval.id).execute();
    await solve('t2');
    // T3: escalated, and a promise on it is broken.
    await open('t3', aliceId);
    await alice.post(`/api/v1/tickets/${t.t3}/escalate`, { reason: 'Legal threat' });
    const broken = await alice.post(`/api/v1/tickets/${t.t3}/commitments`, { description: 'Call back', dueAt: inHours(3) });
    await db.updateTable('commitments').set({ due_at: inHours(-0.01) }).where('id', '=', broken.body.id).execute();
    await db.updateTable('jobs').set({ run_at: inHours(-0.01) }).where('id', '=', `commitment-due:${broken.body.id}`).execute();
    await server.worker.drain();
    await solve('t3');
    // T4: handed Alice → Bob → Alice: two handoffs, still empowered.
    await open('t4', aliceId);
    await alice.patch(`/api/v1/tickets/${t.t4}`, { assigneeId: bobId });
    await alice.patch(`/api/v1/tickets/${t.t4}`, { assigneeId: aliceId });
    await solve('t4');
    // T5: Bob solves it and keeps a promise on time, not early.
    await open('t5', bobId);
    const onTime = await bob.post(`/api/v1/tickets/${t.t5}/commitments`, { description: 'Ship', dueAt: inHours(1) });
    await db.updateTable('commitments').set({ created_at: inHours(-9) }).where('id', '=', onTime.body.id).execute();
    await bob.post(`/api/v1/commitments/${onTime.body.id}/keep`);
    await solve('t5');
    // T6: still open; Bob's exception is denied after an hour.
    await open('t6', bobId);
    const denied = await bob.post(`/api/v1/tickets/${t.t6}/remedies`, { type: 'credit', value: 500 });
    await manager.post(`/api/v1/approvals/${denied.body.remedy.approval.id}/decision`, { decision: 'deny', reason: 'too much' });
    await db.updateTable('approvals').set({ created_at: inHours(-2), decided_at: inHours(-1) }).where('id', '=', denied.body.remedy.approval.id).execute();
  });
  afterAll(() => server.close());

  const report = (groupBy: string) => manager.get(`/api/v1/reports/empowerment?from=${encodeURIComponent(inHours(-24))}&to=${encodeURIComponent(inHours(24))}&groupBy=${groupBy}`);
  const drill = (figure: { count: number; ticketIds: string[] }) => [figure.count, sorted(figure.ticketIds)];
  const ids = (...names: string[]) => sorted(names.map((name) => t[name]!));

  it('matches the hand-computed totals, with the tickets behind each figure', async () => {
    const response = await report('agent');
    expect(response.status).toBe(200);
    const { total } = response.body;
    expect(drill(total.resolved)).toEqual([5, ids('t1', 't2', 't3', 't4', 't5')]);
    expect(drill(total.empowered)).toEqual([3, ids('t1', 't4', 't5')]);
    expect(total).toMatchObject({ empowermentRate: 0.6, meetsTarget: false });
    expect(response.body.target).toBe(0.95);
    expect(drill(total.escalations)).toEqual([1, ids('t3')]);
    expect(drill(total.handoffs)).toEqual([2, ids('t4')]);
    expect(total.handoffs.perTicket).toBe(0.4);
    expect(total.remedies).toMatchObject({ count: 2, value: 200 });
    expect(total.remedies.byType).toEqual([
      { type: 'refund', count: 1, value: 50, ticketIds: ids('t1') },
      { type: 'replacement', count: 1, value: 150, ticketIds: ids('t2') },
    ]);
    expect(drill(total.approvals.requested)).toEqual([2, ids('t2', 't6')]);
    expect(drill(total.approvals.approved)).toEqual([1, ids('t2')]);
    expect(drill(total.approvals.denied)).toEqual([1, ids('t6')]);
    expect(total.approvals.pending.count).toBe(0);
    expect(total.approvals.medianSecondsToDecide).toBe(2700);
    expect(drill(total.promises.kept)).toEqual([2, ids('t1', 't5')]);
    expect(drill(total.promises.keptEarly)).toEqual([1, ids('t1')]);
    expect(drill(total.promises.broken)).toEqual([1, ids('t3')]);
  });

  it('splits the figures per agent, team and week', async () => {
    const byAgent = (await report('agent')).body.groups;
    expect(byAgent.map((group: { label: string }) => group.label)).toEqual(['Alice', 'Bob']);
    const [alicesFigures, bobsFigures] = byAgent;
    expect(alicesFigures).toMatchObject({ key: aliceId, empowermentRate: 0.5, handoffs: { count: 2, perTicket: 0.5 }, remedies: { count: 2, value: 200 }, approvals: { medianSecondsToDecide: 1800 } });
    expect(drill(alicesFigures.resolved)).toEqual([4, ids('t1', 't2', 't3', 't4')]);
    expect([alicesFigures.promises.kept.count, alicesFigures.promises.keptEarly.count, alicesFigures.promises.broken.count]).toEqual([1, 1, 1]);
    expect(bobsFigures).toMatchObject({ key: bobId, empowermentRate: 1, meetsTarget: true, remedies: { count: 0, value: 0 }, approvals: { medianSecondsToDecide: 3600 } });
    expect(drill(bobsFigures.approvals.denied)).toEqual([1, ids('t6')]);
    expect([bobsFigures.promises.kept.count, bobsFigures.promises.keptEarly.count]).toEqual([1, 0]);

    const byTeam = (await report('team')).body.groups;
    expect(byTeam.map((group: { label: string; empowermentRate: number }) => [group.label, group.empowermentRate])).toEqual([
      ['No team', 0.5],
      ['Returns', 1],
    ]);

    const byWeek = (await report('week')).body.groups;
    expect(byWeek.reduce((sum: number, group: { resolved: { count: number } }) => sum + group.resolved.count, 0)).toBe(5);
    for (const group of byWeek) expect(new Date(`${group.key}T12:00:00Z`).getUTCDay()).toBe(1);
  });

  it('splits by week on the Monday of each resolution, with hand-computed rates', async () => {
    // Move T4 and T5 (both empowered) 8 days back: the week of now keeps T1-T3, one of three empowered.
    const eightDaysAgo = inHours(-8 * 24);
    await server.context.database.db.updateTable('tickets').set({ solved_at: eightDaysAgo }).where('id', 'in', [t.t4!, t.t5!]).execute();
    const mondayOf = (iso: string) => {
      const date = new Date(iso);
      date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
      return date.toISOString().slice(0, 10);
    };
    const response = await manager.get(`/api/v1/reports/empowerment?from=${encodeURIComponent(inHours(-14 * 24))}&to=${encodeURIComponent(inHours(24))}&groupBy=week`);
    const ticketFigures = response.body.groups
      .filter((group: { resolved: { count: number } }) => group.resolved.count > 0)
      .map((group: { key: string; label: string; empowermentRate: number; meetsTarget: boolean; resolved: { ticketIds: string[] } }) => [group.key, group.label, sorted(group.resolved.ticketIds), group.empowermentRate, group.meetsTarget]);
    expect(ticketFigures).toEqual([
      [mondayOf(eightDaysAgo), `Week of ${mondayOf(eightDaysAgo)}`, ids('t4', 't5'), 1, true],
      [mondayOf(new Date().toISOString()), `Week of ${mondayOf(new Date().toISOString())}`, ids('t1', 't2', 't3'), 0.3333, false],
    ]);
    expect(response.body.total.empowermentRate).toBe(0.6);
  });

  it('is for managers, and refuses a reversed range', async () => {
    expect((await alice.get('/api/v1/reports/empowerment')).status).toBe(403);
    expect((await manager.get(`/api/v1/reports/empowerment?from=${encodeURIComponent(inHours(1))}&to=${encodeURIComponent(inHours(-1))}`)).status).toBe(400);
    expect((await manager.get('/api/v1/reports/empowerment?groupBy=planet')).status).toBe(400);
    const empty = await manager.get(`/api/v1/reports/empowerment?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`);
    expect(empty.body.total).toMatchObject({ empowermentRate: null, meetsTarget: null, resolved: { count: 0 } });
  });

  it('reports cost to serve against lifetime value, and the best tier', async () => {
    const customers = (await owner.get('/api/v1/customers?email=t1@example.com')).body.items;
    await manager.request('PUT', `/api/v1/customers/${customers[0].id}/value`, { revenueToDate: 1000, orders: 2, expectedFutureValue: 0 });
    const response = await manager.get('/api/v1/reports/customer-value?limit=2');
    expect(response.status).toBe(200);
    // Six customers, top 10% rounded up: one best customer holding all the value.
    expect(response.body).toMatchObject({ customers: 6, lifetimeValue: 1000, costToServe: 200, bestCustomers: { count: 1, lifetimeValue: 1000, shareOfLifetimeValue: 1 } });
    expect(response.body.items[0]).toMatchObject({ customer: { email: 't1@example.com', tier: 'best' }, lifetimeValue: 1000, costToServe: 50, costShare: 0.05 });
    expect(response.body.items).toHaveLength(2);
    expect((await alice.get('/api/v1/reports/customer-value')).status).toBe(403);
  });
});
