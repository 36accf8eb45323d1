import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('themes and the Three Times Rule', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let managerId: string;
  let sequence = 0;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ staffId: managerId } = await addStaff(owner, 'manager@acme.example', 'manager'));
  });
  afterAll(() => server.close());

  const review = (authorEmail: string, text: string, source = 'google') => owner.post('/api/v1/reviews', { source, sourceId: `r-${++sequence}`, authorEmail, author: authorEmail.split('@')[0], rating: 2, text });
  const alertEvents = () => server.database.handle.db.selectFrom('events').select(['subject_id', 'payload', 'actor_type']).where('type', '=', 'theme.alerted').execute();
  const themeOf = async (feedbackId: string) => {
    const items = (await owner.get('/api/v1/feedback?limit=200')).body.items as Array<{ id: string; sourceId: string; themes: Array<{ id: string }> }>;
    return items.find((item) => item.sourceId === feedbackId)!.themes.map((theme) => theme.id);
  };

  it('groups differently worded phrases into one theme, keeps unrelated ones apart, and alerts exactly at the third distinct customer', async () => {
    for (const email of ['ann@example.com', 'ben@example.com', 'cat@example.com']) await owner.post('/api/v1/customers', { name: email.split('@')[0], email });

    // One customer saying it three times, through three channels, is still one voice.
    const complaint = await owner.post('/api/v1/tickets', { subject: 'Cannot pay', customer: { email: 'ann@example.com' }, message: { text: 'The checkout times out.' }, tags: ['complaint'] });
    expect(complaint.status).toBe(201);
    await server.worker.drain();
    const first = await review('ann@example.com', 'Timeout at checkout, again.');
    const second = await review('ann@example.com', 'Check-out page timing out when I pay by card!', 'trustpilot');
    const [themeId] = await themeOf(first.body.id);
    expect(themeId).toBeTruthy();
    expect(await themeOf(second.body.id)).toEqual([themeId]);
    const complaintFeedback = (await owner.get('/api/v1/feedback?source=complaint')).body.items;
    expect(complaintFeedback).toHaveLength(1);
    expect(complaintFeedback[0]).toMatchObject({ ticketId: complaint.body.id, themes: [{ id: themeId }] });
    expect((await owner.get(`/api/v1/themes/${themeId}`)).body).toMatchObject({ status: 'watching', mentionCount: 3, distinctSourcesInWindow: 1 });

    // Unrelated phrases, one of them sharing a word, stay in themes of their own.
    const unrelated = ['The delivery driver was rude.', 'My refund took too long.', 'The checkout button is missing on mobile.'];
    for (const [index, text] of unrelated.entries()) {
      const other = await review(`other${index}@example.com`, text);
      const themes = await themeOf(other.body.id);
      expect(themes).toHaveLength(1);
      expect(themes).not.toContain(themeId);
    }

    const secondCustomer = await review('ben@example.com', 'Checkout timed out twice before the payment went through.');
    expect(await themeOf(secondCustomer.body.id)).toEqual([themeId]);
    expect(await alertEvents()).toHaveLength(0);
    expect((await owner.get(`/api/v1/themes/${themeId}`)).body).toMatchObject({ status: 'watching', distinctSourcesInWindow: 2 });

    const thirdCustomer = await review('cat@example.com', 'checkout times out', 'twitter');
    expect(await themeOf(thirdCustomer.body.id)).toEqual([themeId]);
    const alerts = await alertEvents();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject_id).toBe(themeId);
    expect(JSON.parse(alerts[0]!.payload)).toMatchObject({ distinctSources: 3, windowDays: 30 });

    // A fourth voice does not alert again.
    await review('dan@example.com', 'Your checkout keeps timing out');
    expect(await alertEvents()).toHaveLength(1);

    const listed = await owner.get('/api/v1/themes?status=alerted');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ id: themeId, distinctSourcesInWindow: 4, sources: { complaint: 1, review: 5 } });
    expect(listed.body.items[0].examples).toHaveLength(3);
    expect(listed.body.items[0].ticketIds).toEqual([complaint.body.id]);
    // Twelve weeks of trend on the list, zeros included, this week's six mentions last.
    expect(listed.body.items[0].recentWeeks.map((week: { mentions: number }) => week.mentions)).toEqual([...Array(11).fill(0), 6]);

    const agentClient = (await addStaff(owner, 'agent@acme.example', 'agent')).client;
    expect((await agentClient.post(`/api/v1/themes/${themeId}/respond`, { dismissReason: 'not mine' })).status).toBe(403);
    const responded = await owner.post(`/api/v1/themes/${themeId}/respond`, { action: { description: 'Raise the payment gateway timeout and add a retry', ownerId: managerId, dueAt: '2026-12-01T00:00:00Z' } });
    expect(responded.status).toBe(200);
    expect(responded.body).toMatchObject({ status: 'actioned', action: { ownerId: managerId, dueAt: '2026-12-01T00:00:00.000Z' } });
    const detail = await owner.get(`/api/v1/themes/${themeId}`);
    expect(detail.body.trend.reduce((sum: number, week: { mentions: number }) => sum + week.mentions, 0)).toBe(6);
  });

  it('old feedback (an import of last year\'s reviews) builds history but never alerts', async () => {
    const old = (email: string, index: number) => owner.post('/api/v1/reviews', { source: 'import', sourceId: `old-${index}`, authorEmail: email, rating: 1, text: 'The gift wrapping was torn', postedAt: '2025-01-0' + (index + 1) + 'T10:00:00Z' });
    for (const [index, email] of ['o1@example.com', 'o2@example.com', 'o3@example.com', 'o4@example.com'].entries()) expect((await old(email, index)).status).toBe(201);
    const themes = (await owner.get('/api/v1/themes?limit=100')).body.items as Array<{ label: string; status: string; mentionCount: number; distinctSourcesInWindow: number; recentWeeks: Array<{ mentions: number }> }>;
    const wrapping = themes.find((theme) => theme.label.includes('wrapping'));
    expect(wrapping).toMatchObject({ status: 'watching', mentionCount: 4, distinctSourcesInWindow: 0 });
    expect(wrapping!.recentWeeks.map((week) => week.mentions)).toEqual(Array(12).fill(0));
  });

  it('regrouping rebuilds the same themes from all feedback and keeps responses', async () => {
    const before = (await owner.get('/api/v1/themes?status=actioned')).body.items;
    expect(before).toHaveLength(1);
    const all = async () => ((await owner.get('/api/v1/themes?limit=100')).body.items as Array<{ id: string; mentionCount: number; status: string }>).map((theme) => `${theme.id}:${theme.mentionCount}:${theme.status}`).sort();
    const incremental = await all();
    const started = await owner.post('/api/v1/themes/regroup');
    expect(started.status).toBe(202);
    await server.worker.drain();
    const after = (await owner.get('/api/v1/themes?status=actioned')).body.items;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0].id, mentionCount: before[0].mentionCount, action: before[0].action });
    // Same grouping rule in memory as incrementally: the same themes (same seeds keep their ids) and counts.
    expect(await all()).toEqual(incremental);
    const regrouped = await server.database.handle.db.selectFrom('events').select('payload').where('type', '=', 'themes.regrouped').execute();
    expect(regrouped).toHaveLength(1);
  });

  it('a change of the Three Times settings applies to the very next item (settings are cached by their stored text)', async () => {
    const alertsBefore = (await alertEvents()).length;
    expect((await owner.patch('/api/v1/listening/settings', { themes: { alertAt: 2 } })).status).toBe(200);
    await review('gia@example.com', 'The gift card balance vanished.');
    await review('hal@example.com', 'Gift card balance vanished overnight.');
    expect((await alertEvents()).length).toBe(alertsBefore + 1);
    expect((await owner.patch('/api/v1/listening/settings', { themes: { alertAt: 3 } })).status).toBe(200);
    await review('ivy@example.com', 'The loyalty points disappeared.');
    await review('jon@example.com', 'Loyalty points disappeared from my account.');
    expect((await alertEvents()).length).toBe(alertsBefore + 1);
  });

  it('complaints processed together (one batch of jobs) are recorded in order, once each, and alert once at three customers', async () => {
    const alertsBefore = (await alertEvents()).length;
    const texts = ['The coupon code is rejected at checkout.', 'Coupon code rejected again!', 'My coupon code gets rejected.'];
    const tickets = [];
    for (const [index, text] of texts.entries()) tickets.push((await owner.post('/api/v1/tickets', { subject: 'Coupon', customer: { email: `coupon${index}@example.com` }, message: { text }, tags: ['complaint'] })).body.id);
    // Claimed together by one drain: the complaint jobs run as one batch.
    await server.worker.drain();
    const items = (await owner.get('/api/v1/feedback?source=complaint&limit=200')).body.items as Array<{ ticketId: string; themes: Array<{ id: string }> }>;
    const ours = tickets.map((ticketId) => items.filter((item) => item.ticketId === ticketId));
    expect(ours.map((found) => found.length)).toEqual([1, 1, 1]);
    const themeIds = new Set(ours.map((found) => found[0]!.themes[0]?.id));
    expect(themeIds.size).toBe(1);
    const alerts = await alertEvents();
    expect(alerts).toHaveLength(alertsBefore + 1);
    // Events are read without an order: the new alert is found by its theme.
    expect(alerts.filter((alert) => alert.subject_id === [...themeIds][0])).toHaveLength(1);
  });
});
