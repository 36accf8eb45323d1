import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
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
