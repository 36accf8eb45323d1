import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { isAbusive } from './abusive-language.js';

describe('abusive language', () => {
  it.each([
    ['You are useless idiots', true],
    ['what the f*ck is this', true],
    ['This is sh!t service', true],
    ['I am useful', false],
    ['Scunthorpe United', false],
    ['Please help, the dickens novel arrived damaged', false],
  ])('%s → %s', (text, expected) => expect(isAbusive(text)).toBe(expected));
});

describeEachDialect('pests', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  async function ticketFor(email: string, text: string) {
    return (await agent.post('/api/v1/tickets', { subject: 'Complaint', customer: { email }, message: { text } })).body as { id: string; customer: { id: string } };
  }

  it('lists customers above the threshold with reasons, and leaves them untouched', async () => {
    // Pest: 5 tickets, 3 abusive, half an hour of handle time and two remedies, no recorded value.
    const pestTickets = [];
    for (const text of ['You are useless idiots', 'Still broken, morons', 'f*ck this', 'Where is my refund', 'Any news?']) pestTickets.push(await ticketFor('pest@example.com', text));
    await agent.post(`/api/v1/tickets/${pestTickets[0]!.id}/handle-time`, { seconds: 1800 });
    await agent.post(`/api/v1/tickets/${pestTickets[0]!.id}/remedies`, { type: 'credit', value: 10 });
    await agent.post(`/api/v1/tickets/${pestTickets[1]!.id}/remedies`, { type: 'credit', value: 10 });
    // A valuable customer who writes often is not a pest.
    let valuable = await ticketFor('loyal@example.com', 'Question 0');
    await agent.request('PUT', `/api/v1/customers/${valuable.customer.id}/value`, { revenueToDate: 100000, orders: 80, expectedFutureValue: 0 });
    for (let index = 1; index < 10; index++) valuable = await ticketFor('loyal@example.com', `Question ${index}`);
    // Rude once is not enough on its own.
    const rude = await ticketFor('rude@example.com', 'You idiots');
    await agent.post(`/api/v1/tickets/${rude.id}/messages`, { kind: 'inbound', text: 'Useless, stupid' });

    expect((await agent.get('/api/v1/pests')).status).toBe(403);
    const eventsBefore = await server.context.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const pests = await owner.get('/api/v1/pests');
    expect(pests.status).toBe(200);
    expect(pests.body.threshold).toBe(50);
    expect(pests.body.items).toHaveLength(1);
    const [pest] = pests.body.items;
    // 40 (cost 35 vs value 0) + 10 (5 tickets) + 8 (2 remedies) + 20 (3 abusive messages).
    expect(pest).toMatchObject({ customer: { email: 'pest@example.com', tier: 'standard' }, score: 78, costToServe: 35, tickets: 5, remedies: 2, abusiveMessages: 3 });
    expect(pest.reasons.map((reason: { code: string }) => reason.code)).toEqual(['cost_exceeds_value', 'abusive_language', 'frequent_contact', 'frequent_remedies']);
    expect(pest.reasons.map((reason: { message: string }) => reason.message)).toEqual(['Cost to serve 35 with no recorded lifetime value', 'Abusive language in 3 messages', '5 tickets in the last 90 days', '2 remedies asked for in the last 90 days']);
    expect([...pest.ticketIds].sort()).toEqual(pestTickets.map((ticket) => ticket.id).sort());

    const lowered = await owner.get('/api/v1/pests?minScore=15');
    expect(lowered.body.items.map((item: { customer: { email: string }; score: number }) => [item.customer.email, item.score])).toEqual([
      ['pest@example.com', 78],
      ['loyal@example.com', 20],
      ['rude@example.com', 15.3],
    ]);
    const eventsAfter = await server.context.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(eventsAfter.count)).toBe(Number(eventsBefore.count));
    expect((await owner.get('/api/v1/pests?days=0')).status).toBe(400);
  });
});
