import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import type { ApiClient } from '../../../test/client.js';
import { orderTicketsByAgitation } from './feelings.repo.js';
import { labelledCustomerMessages } from './feelings.labelled-set.js';
import { scoreFeelings } from './feelings.score.js';
import { inUnitOfWork } from '../../events/events.js';
import { agitatedThreshold, recordMessagesFeelings } from './feelings.service.js';

describe('feelings scoring', () => {
  // Ordering, not exact numbers: the model and the signal weights may be tuned.
  const angry = ['This is ABSOLUTELY unacceptable!!! I want my money back NOW.', 'Third time I write. Still waiting, this is ridiculous and your service is useless.', 'Oh great, another broken parcel. Just perfect.'];
  const neutral = ['Can you tell me when my order will be delivered?', 'I would like to change the delivery address to 12 Baker Street.', 'What are your opening hours on Saturday?'];
  const grateful = ['Thank you so much, you have been amazing!', 'Thanks a lot for the quick help, I really appreciate it.', 'Brilliant service, cheers for sorting it out so fast.'];

  it('orders angry < neutral < grateful on sentiment, and angry above the rest on agitation', () => {
    const score = (texts: string[]) => texts.map((text) => scoreFeelings(text));
    const [a, n, g] = [score(angry), score(neutral), score(grateful)];
    expect(Math.max(...a.map((f) => f.sentiment))).toBeLessThan(Math.min(...n.map((f) => f.sentiment)));
    expect(Math.max(...n.map((f) => f.sentiment))).toBeLessThan(Math.min(...g.map((f) => f.sentiment)));
    expect(Math.min(...a.map((f) => f.agitation))).toBeGreaterThan(Math.max(...n.map((f) => f.agitation), ...g.map((f) => f.agitation)));
  });

  it('holds precision and recall for agitation and negative sentiment, and tone accuracy, on the labelled customer messages', () => {
    const agitation = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
    const negative = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
    const tally = (counts: typeof agitation, predicted: boolean, actual: boolean) => {
      if (predicted && actual) counts.truePositives++;
      else if (predicted) counts.falsePositives++;
      else if (actual) counts.falseNegatives++;
    };
    let toneRight = 0;
    for (const { text, isAgitated, tone } of labelledCustomerMessages) {
      const feelings = scoreFeelings(text);
      tally(agitation, feelings.agitation >= agitatedThreshold, isAgitated);
      const scoredTone = feelings.sentiment <= -0.1 ? 'negative' : feelings.sentiment >= 0.1 ? 'positive' : 'neutral';
      tally(negative, scoredTone === 'negative', tone === 'negative');
      if (scoredTone === tone) toneRight++;
    }
    const precision = (counts: typeof agitation) => counts.truePositives / (counts.truePositives + counts.falsePositives);
    const recall = (counts: typeof agitation) => counts.truePositives / (counts.truePositives + counts.falseNegatives);
    const toneAccuracy = toneRight / labelledCustomerMessages.length;
    console.log(
      `feelings on ${labelledCustomerMessages.length} customer messages: agitation precision ${precision(agitation).toFixed(2)}, recall ${recall(agitation).toFixed(2)}; ` +
        `negative sentiment precision ${precision(negative).toFixed(2)}, recall ${recall(negative).toFixed(2)}; tone accuracy ${toneAccuracy.toFixed(2)}`,
    );
    expect(labelledCustomerMessages.length).toBeGreaterThanOrEqual(200);
    // Agitation decides who is served first and opens recoveries. Putting a calm customer first
    // costs little; leaving an angry one in the queue is what the product exists to prevent, so
    // recall is held high, and precision too, or "agitated first" stops meaning anything. Both sit
    // a few points under what the scorer reaches (0.98 / 0.97) so a tweak that loses more than a
    // handful of sentences fails, while one new hard sentence does not.
    expect(precision(agitation)).toBeGreaterThanOrEqual(0.92);
    expect(recall(agitation)).toBeGreaterThanOrEqual(0.9);
    // Negative sentiment only shades agitation and the trend an agent reads; the lexicon misreads
    // terse factual complaints ("My order came without the charger") as neutral, so recall is held
    // lower than precision: a wrong "negative" would colour a calm customer's ticket.
    expect(precision(negative)).toBeGreaterThanOrEqual(0.88);
    expect(recall(negative)).toBeGreaterThanOrEqual(0.8);
    // Three-way tone: polite requests carry "please" and read slightly positive, so it is held lowest.
    expect(toneAccuracy).toBeGreaterThanOrEqual(0.75);
  });

  it('raises agitation with repeated contacts, capitals and exclamation runs, and says why', () => {
    const once = scoreFeelings('Where is my order?', { recentContacts: 1 });
    const third = scoreFeelings('Where is my order?', { recentContacts: 3 });
    expect(third.agitation).toBeGreaterThan(once.agitation);
    expect(third.reasons[0]).toBe('3rd contact in 2 days');
    const shouted = scoreFeelings('WHERE IS MY ORDER?!?! I NEED IT!!');
    expect(shouted.agitation).toBeGreaterThan(once.agitation);
    expect(shouted.reasons).toEqual(expect.arrayContaining(['writing in capitals', 'exclamation marks']));
    expect(scoreFeelings('Please send the PDF to the IT team of our UK office.').reasons).not.toContain('writing in capitals');
    expect(scoreFeelings('')).toEqual({ sentiment: 0, agitation: 0, reasons: [] });
  });
});

describeEachDialect('feelings', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));

  it('scores every inbound message once, keeps the ticket latest and trend, and explains why', async () => {
    const calm = await owner.post('/api/v1/tickets', { subject: 'Order', customer: { email: 'repeat@example.com' }, message: { text: 'Hello, where is my order?' } });
    expect(calm.status).toBe(201);
    await server.worker.drain();
    let feelings = await owner.get(`/api/v1/tickets/${calm.body.id}/feelings`);
    expect(feelings.status).toBe(200);
    expect(feelings.body.messages).toHaveLength(1);
    const first = feelings.body.latest.agitation;

    await owner.post(`/api/v1/tickets/${calm.body.id}/messages`, { kind: 'reply', text: 'We are looking into it.' });
    await owner.post(`/api/v1/tickets/${calm.body.id}/messages`, { kind: 'inbound', text: 'Still nothing. This is unacceptable!!' });
    await owner.post(`/api/v1/tickets/${calm.body.id}/messages`, { kind: 'inbound', text: 'THIRD TIME I WRITE. WHERE IS IT?!' });
    await server.worker.drain();
    feelings = await owner.get(`/api/v1/tickets/${calm.body.id}/feelings`);
    // Outbound replies are not scored: only what the customer wrote.
    expect(feelings.body.messages).toHaveLength(3);
    expect(feelings.body.latest.agitation).toBeGreaterThan(first);
    expect(feelings.body.latest.reasons[0]).toBe('3rd contact in 2 days');
    expect(feelings.body.latest.messages).toBe(3);

    const events = (await owner.get(`/api/v1/tickets/${calm.body.id}/events`)).body.items.map((event: { type: string }) => event.type);
    expect(events.filter((type: string) => type === 'feelings.scored')).toHaveLength(3);
    expect(events.filter((type: string) => type === 'feelings.agitation_spike').length).toBeGreaterThanOrEqual(1);

    const other = await owner.post('/api/v1/tickets', { subject: 'Hours', customer: { email: 'calm@example.com' }, message: { text: 'What are your opening hours?' } });
    await server.worker.drain();
    const workspaceId = (await server.context.database.db.selectFrom('tickets').select('workspace_id').where('id', '=', other.body.id).executeTakeFirstOrThrow()).workspace_id;
    expect(await orderTicketsByAgitation(server.context.database.db, workspaceId, [other.body.id, calm.body.id])).toEqual([calm.body.id, other.body.id]);
    expect((await owner.get('/api/v1/tickets/nope/feelings')).status).toBe(404);
  });

  it('scores messages of one ticket out of order and in one batch as it scores them one by one in order', async () => {
    // Three inbound messages a second apart; the newest is scored first, then the other two together.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    try {
      const created = await owner.post('/api/v1/tickets', { subject: 'Out of order', customer: { email: 'order@example.com' }, message: { text: 'Where is my parcel? I need it today.' } });
      vi.setSystemTime(start + 1000);
      const angry = await owner.post(`/api/v1/tickets/${created.body.id}/messages`, { kind: 'inbound', text: 'THIS IS UNACCEPTABLE!!! Where is it?' });
      vi.setSystemTime(start + 2000);
      const calm = await owner.post(`/api/v1/tickets/${created.body.id}/messages`, { kind: 'inbound', text: 'Thanks, it just arrived.' });
      const { db } = server.context.database;
      const opening = await db.selectFrom('messages').select(['id', 'workspace_id']).where('ticket_id', '=', created.body.id).orderBy('created_at').executeTakeFirstOrThrow();
      const ids = [opening.id, angry.body.message.id, calm.body.message.id] as string[];
      const workspaceId = opening.workspace_id;
      const score = (messageIds: string[]) => inUnitOfWork(db, server.context.bus, (uow) => recordMessagesFeelings(uow, server.context.bus, workspaceId, messageIds));
      await score([ids[2]!]);
      await score([ids[1]!, ids[0]!, ids[2]!]);
      await server.worker.drain();

      const feelings = (await owner.get(`/api/v1/tickets/${created.body.id}/feelings`)).body;
      expect(feelings.messages.map((message: { messageId: string }) => message.messageId)).toEqual(ids);
      const [first, second, third] = feelings.messages as Array<{ agitation: number; sentiment: number }>;
      // The latest is the newest message's, whatever the order of scoring; every message counted once.
      expect(feelings.latest).toMatchObject({ agitation: third!.agitation, sentiment: third!.sentiment, messages: 3, trend: { agitation: 0, sentiment: 0 } });
      const scored = (await owner.get(`/api/v1/tickets/${created.body.id}/events`)).body.items.filter((event: { type: string }) => event.type === 'feelings.scored');
      const previousOf = new Map(scored.map((event: { payload: { messageId: string; previousAgitation: number } }) => [event.payload.messageId, event.payload.previousAgitation]));
      // Scored first, the newest had nothing before it; the middle one's predecessor was scored in the same batch.
      expect([previousOf.get(ids[0]), previousOf.get(ids[1]), previousOf.get(ids[2])]).toEqual([0, first!.agitation, 0]);
      expect(first!.agitation).toBeGreaterThan(0);
      expect(second!.agitation).toBeGreaterThan(first!.agitation);
    } finally {
      vi.useRealTimers();
    }
  });

  it('orders the inbox with the most agitated customers first, page by page', async () => {
    const texts = ['Thanks, all good now!', 'THIS IS UNACCEPTABLE!!! Fix it NOW.', 'When will it ship?', 'Still waiting, this is ridiculous.'];
    for (const [index, text] of texts.entries()) await owner.post('/api/v1/tickets', { subject: `Queue ${index}`, customer: { email: `queue${index}@example.com` }, message: { text }, tags: ['queue'] });
    await server.worker.drain();
    const order: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ subject: string }>; nextCursor: string | null } } = await owner.get(`/api/v1/tickets?tag=queue&sort=-agitation&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      order.push(...page.body.items.map((ticket) => ticket.subject));
      cursor = page.body.nextCursor;
    } while (cursor);
    // The shouting customer, then the exasperated one; the calm two (both 0) follow, newest first.
    expect(order).toEqual(['Queue 1', 'Queue 3', 'Queue 2', 'Queue 0']);
    expect((await owner.get('/api/v1/tickets?sort=-agitation&cursor=bogus')).status).toBe(400);
  });

  describe('the inbox default order (sort=urgency)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('puts agitated customers first among equal SLA urgency, then the nearest deadline, then the longest wait, then the newest ticket', async () => {
      // Only Date is faked, so the SLA clocks, the job queue and the sort's "now" move together.
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = Date.now();
      const at = (minutes: number) => vi.setSystemTime(new Date(start + minutes * 60_000));
      expect((await owner.post('/api/v1/sla-policies', { name: 'Urgent', position: 0, conditions: { priorities: ['urgent'] }, targets: { firstResponse: 30 }, warningPercent: 50 })).status).toBe(201);
      expect((await owner.post('/api/v1/sla-policies', { name: 'Normal', position: 1, conditions: { priorities: ['normal'] }, targets: { firstResponse: 600 } })).status).toBe(201);
      const open = async (minute: number, subject: string, priority: string, text: string) => {
        at(minute);
        const created = await owner.post('/api/v1/tickets', { subject, priority, customer: { email: `${subject.toLowerCase()}@example.com` }, message: { text }, tags: ['urgency'] });
        expect(created.status).toBe(201);
        return created.body.id as string;
      };
      const answer = async (ticketId: string) => expect((await owner.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', text: 'Done, thanks for asking.' })).status).toBe(201);
      await open(0.01, 'CalmNormal', 'normal', 'When will it ship?');
      await open(0.02, 'AngryNormal', 'normal', 'THIS IS UNACCEPTABLE!!! Fix it NOW.');
      await open(0.03, 'CalmUrgent', 'urgent', 'Can you check my order?');
      await open(0.04, 'AngryUrgent', 'urgent', 'Still waiting, this is ridiculous.');
      await open(0.05, 'CalmLow', 'low', 'Thanks, all good now!');
      await open(0.055, 'CalmLowNewer', 'low', 'What are your opening hours?');
      await open(0.06, 'AngryLow', 'low', 'I am furious. Nobody has answered me in a week!!');
      const answered = await open(0.07, 'CalmLowAnswered', 'low', 'Do you ship to Norway?');
      const answeredNewer = await open(0.08, 'CalmLowAnsweredNewer', 'low', 'Can I change my address?');
      at(0.09);
      await answer(answered);
      await answer(answeredNewer);
      await open(20, 'CalmUrgentLater', 'urgent', 'Could you send the invoice?');
      await open(39, 'CalmUrgentLatest', 'urgent', 'Is the blue one in stock?');
      at(40);
      await server.worker.drain();

      const order: string[] = [];
      let cursor: string | null = null;
      do {
        // Five a page: the last two (equal keys) straddle a page boundary, so the cursor's tie-break is used.
        const page: { status: number; body: { items: Array<{ subject: string }>; nextCursor: string | null } } = await owner.get(`/api/v1/tickets?tag=urgency&sort=urgency&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status).toBe(200);
        order.push(...page.body.items.map((ticket) => ticket.subject));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(order).toEqual([
        // Overdue (due at minute 30): the agitated customer first.
        'AngryUrgent',
        'CalmUrgent',
        // Inside the warning window (due at 50, warned from 35): a calm customer here still beats an angry one with time left.
        'CalmUrgentLater',
        // Running: agitated first, then the nearest deadline (69 minutes) before the older ticket (600).
        'AngryNormal',
        'CalmUrgentLatest',
        'CalmNormal',
        // No SLA running: agitated first; then the customer waiting longest; nobody waiting last, newest first.
        'AngryLow',
        'CalmLow',
        'CalmLowNewer',
        'CalmLowAnsweredNewer',
        'CalmLowAnswered',
      ]);
    });
  });
});
