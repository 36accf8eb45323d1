import { afterEach, expect, it, vi } from 'vitest';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import type { ApiClient } from '../../../test/client.js';

describeEachDialect('moments', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let workspaceId: string;

  useTestWorkspace(dialect, (setup) => ({ server, owner, workspaceId } = setup));
  afterEach(() => {
    vi.useRealTimers();
  });

  /** What other modules (SLA, empowerment, listening) append; the moments module listens by type name. */
  async function appendEvent(type: string, subjectId: string, ticketId: string | null, payload: Record<string, unknown>) {
    await inUnitOfWork(server.context.database.db, server.context.bus, (uow) =>
      server.context.bus.append(uow, { workspaceId, actor: systemActor, type, subjectType: type.split('.')[0]!, subjectId, ticketId, payload }),
    );
  }
  const moments = async (ticketId: string) => (await owner.get(`/api/v1/tickets/${ticketId}/moments`)).body.items as Array<{ id: string; kind: string; rule: string; customerId: string | null; detail: Record<string, unknown> }>;
  const rulesOf = (items: Array<{ kind: string; rule: string }>, kind: string) => items.filter((item) => item.kind === kind).map((item) => item.rule).sort();

  // Complaint, reopen, agitation spike, praise and recovered misery come from their real producers
  // here (tags, status changes, scored messages, the recovery); the events of other modules are
  // appended by type name, twice, and the next test has those modules produce them for real.
  it('records each misery and magic rule exactly once for its cause', async () => {
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Broken kettle', customer: { email: 'kate@example.com' }, message: { text: 'My kettle arrived broken.' }, tags: ['complaint'] });
    const ticketId = ticket.body.id;
    const customerId = ticket.body.customer.id;

    for (let seen = 0; seen < 2; seen++) {
      await appendEvent('sla.breached', ticketId, ticketId, { metric: 'first_response' });
      await appendEvent('commitment.broken', 'commitment-1', ticketId, { customerId });
      await appendEvent('commitment.kept_early', 'commitment-2', ticketId, { customerId });
      await appendEvent('survey.answered', 'response-low', ticketId, { kind: 'csat', score: 1, comment: 'awful', customerId });
      await appendEvent('survey.answered', 'response-high', ticketId, { kind: 'csat', score: 5, comment: 'Wonderful help, thank you!', customerId });
      await appendEvent('survey.answered', 'response-bare', ticketId, { kind: 'csat', score: 5, comment: null, customerId });
      await appendEvent('review.received', 'review-bad', null, { rating: 1, isNegative: true, customerId });
      await appendEvent('review.received', 'review-good', null, { rating: 5, isNegative: false, customerId });
    }
    // A second breach of another target, or of the same target in a later cycle, is another misery.
    await appendEvent('sla.breached', ticketId, ticketId, { metric: 'resolution' });
    await appendEvent('sla.breached', ticketId, ticketId, { metric: 'first_response', dueAt: '2026-12-01T10:00:00.000Z' });
    // Asked for explicitly after the tag: still one complaint for this ticket.
    const explicit = await owner.post(`/api/v1/tickets/${ticketId}/moments`, { kind: 'misery', rule: 'complaint', note: 'Called to complain' });
    expect(explicit.status).toBe(200);
    const manual = await owner.post(`/api/v1/tickets/${ticketId}/moments`, { kind: 'magic', rule: 'magic_other', note: 'Drove the parcel over' });
    expect(manual.status).toBe(201);
    expect((await owner.post(`/api/v1/tickets/${ticketId}/moments`, { kind: 'truth' })).status).toBe(400);

    await owner.patch(`/api/v1/tickets/${ticketId}`, { status: 'solved' });
    await owner.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'inbound', text: 'It is still broken.' });
    await owner.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'inbound', text: 'Thank you so much, you have been amazing!' });
    await owner.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'inbound', text: 'THIS IS RIDICULOUS!!! Third time I write, it is unacceptable and useless.' });
    await server.worker.drain();
    await server.worker.drain();

    const items = await moments(ticketId);
    expect(rulesOf(items, 'misery')).toEqual(['agitation_spike', 'commitment_broken', 'complaint', 'csat_low', 'reopened', 'sla_breached', 'sla_breached', 'sla_breached']);
    // The CSAT 5 closed the recovery the first misery opened: a recovered misery is magic too.
    expect(rulesOf(items, 'magic')).toEqual(['commitment_kept_early', 'csat_delighted', 'magic_other', 'misery_recovered', 'praise']);
    // Every inbound and outbound message and every survey answer is a moment of truth.
    expect(rulesOf(items, 'truth')).toEqual(['message_inbound', 'message_inbound', 'message_inbound', 'message_inbound', 'survey_answered', 'survey_answered', 'survey_answered']);
    // Including the first message's, whose customer comes from the ticket.created event of the same transaction.
    expect(items.filter((item) => item.customerId !== customerId)).toEqual([]);

    const customerMoments = (await owner.get(`/api/v1/customers/${customerId}/moments?kind=misery`)).body.items.map((item: { rule: string }) => item.rule);
    expect(customerMoments.filter((rule: string) => rule === 'review_negative')).toHaveLength(1);
    expect((await owner.get(`/api/v1/customers/${customerId}/moments?kind=magic`)).body.items.map((item: { rule: string }) => item.rule)).toContain('review_positive');

    const recorded = (await owner.get(`/api/v1/tickets/${ticketId}/events`)).body.items.filter((event: { type: string }) => event.type === 'moment.recorded');
    expect(recorded).toHaveLength(13);
    expect((await owner.get('/api/v1/customers/nobody/moments')).status).toBe(404);
    expect((await owner.get(`/api/v1/tickets/${ticketId}/moments?limit=0`)).status).toBe(400);
  });
  it('gets SLA, promise, review and CSAT moments from the modules that really produce them, once per cause', async () => {
    // Only Date is faked: SLA clocks, promise due checks and the job queue move with it.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const minutesPass = async (minutes: number) => {
      vi.setSystemTime(Date.now() + minutes * 60_000);
      await server.worker.drain();
      await server.worker.drain();
    };
    expect((await owner.post('/api/v1/sla-policies', { name: 'Fast', position: 0, conditions: { tags: ['fast'] }, targets: { firstResponse: 30 } })).status).toBe(201);
    const created = await owner.post('/api/v1/tickets', { subject: 'Lost parcel', customer: { email: 'ravi@example.com' }, message: { text: 'Where is my parcel?' }, tags: ['fast'] });
    const ticketId = created.body.id as string;
    const customerId = created.body.customer.id as string;
    const broken = await owner.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Call back within the hour', dueAt: new Date(Date.now() + 60 * 60_000).toISOString() });
    const early = await owner.post(`/api/v1/tickets/${ticketId}/commitments`, { description: 'Refund within 10 days', dueAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    expect([broken.status, early.status]).toEqual([201, 201]);
    expect((await owner.post(`/api/v1/commitments/${early.body.id}/keep`)).status).toBe(200);
    // The SLA job and the promise's due check run, and run again: one breach, one broken promise.
    await minutesPass(31);
    await minutesPass(31);
    await minutesPass(1);

    const review = { source: 'google', kind: 'review', authorEmail: 'ravi@example.com' };
    for (let seen = 0; seen < 2; seen++) {
      await owner.post('/api/v1/reviews', { ...review, sourceId: 'g-bad', rating: 1, text: 'Lost my parcel and nobody called.' });
      await owner.post('/api/v1/reviews', { ...review, sourceId: 'g-good', rating: 5, text: 'They found it in the end, great people.' });
    }

    // Each CSAT answer on its own ticket, since a customer is asked once in a while; each link used twice.
    const answer = async (subject: string, score: string, comment: string) => {
      const ticket = await owner.post('/api/v1/tickets', { subject, customer: { email: `${score}@survey.example` }, message: { text: 'Hello.' } });
      const sent = await owner.post('/api/v1/surveys/send', { customerId: ticket.body.customer.id, ticketId: ticket.body.id, kind: 'csat' });
      expect(sent.status).toBe(201);
      const path = new URL(sent.body.invitation.link).pathname;
      const post = () => fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q1: score, comment }).toString() });
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(409);
      await server.worker.drain();
      return ticket.body.id as string;
    };
    const unhappy = await answer('Unhappy', '1', 'Slow and unhelpful.');
    const delighted = await answer('Delighted', '5', 'Wonderful help, thank you so much!');

    const items = await moments(ticketId);
    expect(rulesOf(items, 'misery')).toEqual(['commitment_broken', 'sla_breached']);
    expect(rulesOf(items, 'magic')).toEqual(['commitment_kept_early']);
    expect(rulesOf(await moments(unhappy), 'misery')).toEqual(['csat_low']);
    expect(rulesOf(await moments(delighted), 'magic')).toEqual(['csat_delighted']);
    const ofCustomer = (await owner.get(`/api/v1/customers/${customerId}/moments`)).body.items as Array<{ kind: string; rule: string }>;
    expect(ofCustomer.filter((item) => item.rule === 'review_negative')).toHaveLength(1);
    expect(ofCustomer.filter((item) => item.rule === 'review_positive')).toHaveLength(1);

    // A ticket opened for the negative review takes its moments, and a recovery opens on it.
    const badReview = (await owner.get('/api/v1/reviews')).body.items.find((item: { sourceId: string }) => item.sourceId === 'g-bad');
    const reviewTicket = await owner.post(`/api/v1/reviews/${badReview.id}/open-ticket`);
    expect(reviewTicket.status).toBe(201);
    await server.worker.drain();
    const reviewMoments = await moments(reviewTicket.body.id);
    expect(rulesOf(reviewMoments, 'misery')).toContain('review_negative');
    const [recovery] = (await owner.get(`/api/v1/tickets/${reviewTicket.body.id}/recoveries`)).body.items;
    expect(recovery).toMatchObject({ status: 'open', momentId: reviewMoments.find((item) => item.rule === 'review_negative')!.id });
    const afterLinking = (await owner.get(`/api/v1/customers/${customerId}/moments?kind=misery`)).body.items as Array<{ rule: string }>;
    expect(afterLinking.filter((item) => item.rule === 'review_negative')).toHaveLength(1);
  });
});
