import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, startTestServer, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { percentile } from './index.js';

const T0 = Date.parse('2026-11-23T10:00:00.000Z'); // a Monday
const at = (minutes: number) => vi.setSystemTime(new Date(T0 + minutes * 60_000));

it('nearest-rank percentiles', () => {
  expect(percentile([], 50)).toBeNull();
  expect(percentile([10, 20, 30, 100], 50)).toBe(20);
  expect(percentile([10, 20, 30, 100], 90)).toBe(100);
  expect(percentile([7], 99)).toBe(7);
});

describeEachDialect('consistency report', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;
  let ownerId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent', 'Ada Agent'));
    ownerId = (await owner.get('/api/v1/auth/session')).body.workspace.staffId;
    // Fixed data on a controlled clock: four tickets at T0, first responses after 10, 20, 30 and 100 minutes.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      at(-1);
      await owner.post('/api/v1/sla-policies', { name: 'Standard', targets: { firstResponse: 60 } });
      at(0);
      for (const [index, assigneeId] of [agentId, agentId, ownerId, ownerId].entries()) {
        const created = await owner.post('/api/v1/tickets', { subject: `Case ${index}`, customer: { email: `c${index}@example.com` }, message: { text: 'Help' }, assigneeId, channel: index === 3 ? 'chat' : 'email' });
        ids.push(created.body.id);
      }
      await server.worker.drain();
      const replies: Array<[number, number, string?]> = [[10, 0], [20, 1], [30, 2], [90, 2, 'solved'], [100, 3]];
      for (const [minute, index, status] of replies) {
        at(minute);
        await server.worker.drain();
        await owner.post(`/api/v1/tickets/${ids[index]}/messages`, { kind: 'reply', text: 'Done', ...(status ? { status } : {}) });
        await server.worker.drain();
      }
    } finally {
      vi.useRealTimers();
    }
  });
  afterAll(() => server.close());

  const period = 'from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z';

  it('gives attainment, percentiles, spread and the tickets outside standard, each with its tickets', async () => {
    const report = await owner.get(`/api/v1/reports/consistency?${period}&groupBy=week`);
    expect(report.status).toBe(200);
    const { overall } = report.body;
    expect(overall.tickets).toBe(4);
    expect(overall.attainment.first_response).toEqual({ due: 4, met: 3, breached: 1, rate: 0.75, metTicketIds: [ids[0], ids[1], ids[2]], breachedTicketIds: [ids[3]] });
    expect(overall.firstResponseMinutes).toMatchObject({ count: 4, p50: 20, p90: 100, p99: 100, spread: 5, slowestTicketIds: [ids[3]] });
    expect(overall.resolutionMinutes).toMatchObject({ count: 1, p50: 90, ticketIds: [ids[2]] });
    expect(report.body.groups).toHaveLength(1);
    expect(report.body.groups[0]).toMatchObject({ key: '2026-11-23', tickets: 4 });
    expect(report.body.outsideStandard).toEqual([{ ticketId: ids[3], number: 4, reasons: [expect.stringContaining('first response target missed (due 2026-11-23T11:00:00.000Z, done 2026-11-23T11:40:00.000Z)')] }]);
  });

  it('groups per agent and per channel', async () => {
    const byAgent = await owner.get(`/api/v1/reports/consistency?${period}&groupBy=agent`);
    const groups = Object.fromEntries(byAgent.body.groups.map((group: { key: string }) => [group.key, group]));
    expect(groups[agentId]).toMatchObject({ label: 'Ada Agent', tickets: 2, attainment: { first_response: { rate: 1 } }, firstResponseMinutes: { p50: 10, p90: 20, spread: 2 } });
    expect(groups[ownerId]).toMatchObject({ tickets: 2, attainment: { first_response: { rate: 0.5, breachedTicketIds: [ids[3]] } }, firstResponseMinutes: { p50: 30, p90: 100, spread: 3.33 } });
    const byChannel = await owner.get(`/api/v1/reports/consistency?${period}&groupBy=channel`);
    expect(byChannel.body.groups.map((group: { key: string; ticketIds: string[] }) => [group.key, group.ticketIds])).toEqual([['chat', [ids[3]]], ['email', [ids[0], ids[1], ids[2]]]]);
  });

  it('measures playbook completion, with the tickets behind each figure', async () => {
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Refund', steps: [{ id: 'check', title: 'Check the order', required: true }] });
    const [first, second] = await Promise.all([ids[0], ids[1]].map((id) => owner.post(`/api/v1/tickets/${id}/playbooks`, { playbookId: playbook.body.id })));
    expect((await owner.post(`/api/v1/tickets/${ids[0]}/playbooks/${first!.body.id}/steps/check`, { done: true })).status).toBe(200);
    expect(second!.status).toBe(201);
    const report = await owner.get(`/api/v1/reports/consistency?${period}`);
    expect(report.body.playbooks).toEqual([{ playbookId: playbook.body.id, name: 'Refund', attached: 2, completionRate: 0.5, completedTicketIds: [ids[0]], incompleteTicketIds: [ids[1]] }]);
  });

  it('refuses bad periods and agents', async () => {
    expect((await owner.get('/api/v1/reports/consistency?from=2026-11-30T00:00:00Z&to=2026-11-23T00:00:00Z')).status).toBe(400);
    expect((await owner.get(`/api/v1/reports/consistency?${period}&groupBy=planet`)).status).toBe(400);
    expect((await owner.get('/api/v1/reports/consistency?from=yesterday&to=today')).status).toBe(400);
    expect((await agent.get(`/api/v1/reports/consistency?${period}`)).status).toBe(403);
  });
});

describeEachDialect('consistency report: business time, weeks, merged tickets', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agentId: string;
  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));
  const FRIDAY = Date.parse('2026-12-11T16:00:00.000Z');
  const on = (iso: string) => vi.setSystemTime(new Date(iso));

  it('measures first responses under an SLA in business minutes, splits each agent by week, and leaves merged tickets out of every figure', async () => {
    ({ staffId: agentId } = await addStaff(owner, 'ada@acme.example', 'agent', 'Ada Agent'));
    vi.useFakeTimers({ toFake: ['Date'] });
    const ticket = async (subject: string, channel: string) => (await owner.post('/api/v1/tickets', { subject, channel, assigneeId: agentId, customer: { email: 'pat@example.com' }, message: { text: 'Help' } })).body as { id: string; number: number };
    const reply = async (id: string) => expect((await owner.post(`/api/v1/tickets/${id}/messages`, { kind: 'reply', text: 'Here you go' })).status).toBe(201);
    let phone: { id: string }, sms: { id: string }, nextWeek: { id: string }, merged: { id: string };
    try {
      vi.setSystemTime(FRIDAY);
      const office = await owner.post('/api/v1/business-hours', { name: 'Office', timeZone: 'UTC', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: 540, end: 1020 })) });
      expect(office.status).toBe(201);
      expect((await owner.post('/api/v1/sla-policies', { name: 'Phone', conditions: { channels: ['phone'] }, targets: { firstResponse: 120 }, calendarId: office.body.id })).status).toBe(201);
      on('2026-12-11T16:30:00Z');
      phone = await ticket('Phone call', 'phone');
      sms = await ticket('Text message', 'chat');
      await server.worker.drain();
      on('2026-12-14T09:30:00Z'); // Monday: 30 business minutes on Friday, 30 this morning
      await reply(phone.id);
      await reply(sms.id);
      on('2026-12-14T10:00:00Z');
      nextWeek = await ticket('Another text', 'chat');
      merged = await ticket('Called again', 'phone');
      const playbook = await owner.post('/api/v1/playbooks', { name: 'Callback', steps: [{ title: 'Call back' }] });
      expect((await owner.post(`/api/v1/tickets/${merged.id}/playbooks`, { playbookId: playbook.body.id })).status).toBe(201);
      on('2026-12-14T10:10:00Z');
      await reply(nextWeek.id);
      on('2026-12-14T12:30:00Z'); // the unanswered phone ticket's 120 business minutes ran out at 12:00
      await server.worker.drain();
    } finally {
      vi.useRealTimers();
    }
    const period = 'from=2026-12-07T00:00:00Z&to=2026-12-21T00:00:00Z';
    const before = (await owner.get(`/api/v1/reports/consistency?${period}&groupBy=agent`)).body;
    expect(before.overall.attainment.first_response.breachedTicketIds).toEqual([merged.id]);
    expect(before.playbooks[0].incompleteTicketIds).toEqual([merged.id]);

    expect((await owner.post(`/api/v1/tickets/${merged.id}/merge`, { targetTicketId: nextWeek.id })).status).toBe(200);
    const report = (await owner.get(`/api/v1/reports/consistency?${period}&groupBy=agent`)).body;
    // Merged away: in no count, no attainment, no distribution, no list, no playbook figure.
    expect(JSON.stringify(report)).not.toContain(merged.id);
    expect(report.overall.attainment.first_response).toMatchObject({ due: 1, met: 1, breached: 0 });
    expect(report.playbooks).toEqual([]);
    // 60 business minutes for the phone ticket under its SLA; the chat tickets have no target and keep wall-clock minutes.
    expect(report.overall.firstResponseMinutes).toMatchObject({ count: 3, inBusinessTime: 1, p50: 60, p90: 3900, p99: 3900, spread: 65 });
    const [ada] = report.groups;
    expect(ada).toMatchObject({ key: agentId, label: 'Ada Agent', tickets: 3 });
    expect(ada.weeks.map((week: any) => ({ week: week.week, tickets: week.tickets, ids: week.ticketIds, p50: week.firstResponseMinutes.p50, p90: week.firstResponseMinutes.p90, p99: week.firstResponseMinutes.p99, spread: week.firstResponseMinutes.spread }))).toEqual([
      { week: '2026-12-07', tickets: 2, ids: [phone.id, sms.id], p50: 60, p90: 3900, p99: 3900, spread: 65 },
      { week: '2026-12-14', tickets: 1, ids: [nextWeek.id], p50: 10, p90: 10, p99: 10, spread: 1 },
    ]);
    for (const groupBy of ['team', 'channel']) {
      const grouped = (await owner.get(`/api/v1/reports/consistency?${period}&groupBy=${groupBy}`)).body;
      expect(JSON.stringify(grouped)).not.toContain(merged.id);
      expect(grouped.groups.flatMap((group: any) => group.weeks.map((week: any) => week.week))).toEqual(groupBy === 'team' ? ['2026-12-07', '2026-12-14'] : ['2026-12-07', '2026-12-14', '2026-12-07']); // chat, then phone
    }
    expect((await owner.get(`/api/v1/reports/consistency?${period}&groupBy=week`)).body.groups.map((group: any) => [group.key, group.weeks])).toEqual([['2026-12-07', []], ['2026-12-14', []]]);
  });
});
