import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('reviews and mentions', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let integration: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    const token = await owner.post('/api/v1/api-tokens', { name: 'Reviews feed', scopes: ['write'] });
    integration = owner.withToken(token.body.token);
    await owner.post('/api/v1/customers', { name: 'Dana Known', email: 'dana@example.com' });
  });
  afterAll(() => server.close());

  it('receives a review through the API once per source id, matched to the customer, with an event', async () => {
    const review = { source: 'Google', sourceId: 'g-1', author: 'Dana K.', authorEmail: 'Dana@Example.com', rating: 1, text: 'The parcel never arrived and nobody answered my emails.', url: 'https://maps.example/r/1', postedAt: '2026-11-20T10:00:00Z' };
    const first = await integration.post('/api/v1/reviews', review);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source: 'google', sourceId: 'g-1', rating: 1, isNegative: true, reply: { status: 'none' } });
    expect(first.body.customerId).toBeTruthy();
    const again = await integration.post('/api/v1/reviews', { ...review, text: 'edited text' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, text: review.text });
    expect((await owner.get('/api/v1/reviews?source=google')).body.items).toHaveLength(1);
    const { db } = server.database.handle;
    const events = await db.selectFrom('events').select(['type', 'payload', 'actor_type']).where('type', '=', 'review.received').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ rating: 1, sentiment: 'negative', customerId: first.body.customerId });
    expect(events[0]!.actor_type).toBe('token');
    const feedback = await owner.get(`/api/v1/feedback?source=review&customerId=${first.body.customerId}`);
    expect(feedback.body.items).toHaveLength(1);
    expect(feedback.body.items[0].sentimentLabel).toBe('negative');

    expect((await integration.post('/api/v1/reviews', { ...review, sourceId: 'g-2', url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await owner.withToken('rvg_not_a_token').post('/api/v1/reviews', { ...review, sourceId: 'g-3' })).status).toBe(401);
  });

  it('opens a ticket for a negative review, and tracks the drafted then posted reply', async () => {
    const created = await integration.post('/api/v1/reviews', { source: 'trustpilot', sourceId: 'tp-9', author: 'Eve Stranger', rating: 2, text: 'Support was slow and rude.' });
    expect(created.body.customerId).toBeNull();
    const opened = await owner.post(`/api/v1/reviews/${created.body.id}/open-ticket`);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ channel: 'social', priority: 'high', tags: expect.arrayContaining(['review', 'negative-review']) });
    expect((await owner.post(`/api/v1/reviews/${created.body.id}/open-ticket`)).status).toBe(409);
    const drafted = await owner.post(`/api/v1/reviews/${created.body.id}/reply`, { text: 'We are sorry, Eve: we have opened a case and will call you today.' });
    expect(drafted.body).toMatchObject({ ticketId: opened.body.id, reply: { status: 'drafted' } });
    const posted = await owner.post(`/api/v1/reviews/${created.body.id}/reply`, { text: drafted.body.reply.text, status: 'posted' });
    expect(posted.body.reply.status).toBe('posted');
    expect((await owner.get('/api/v1/reviews?replyStatus=posted')).body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
  });

  it('imports CSV with hostile cells: quoted newlines, formulas, markup and bad rows reported, re-import changes nothing', async () => {
    const csv = [
      '\uFEFFsource,source_id,author,email,rating,text,url,date',
      'yelp,y-1,"Smith, John",,5,"Lovely staff,\nquick ""fix""",https://yelp.example/1,2026-11-01',
      'yelp,y-2,=HYPERLINK("http://evil"),,4,=1+2,,2026-11-02',
      'yelp,y-3,<script>alert(1)</script>,,3,<img src=x onerror=alert(1)>,,not a date',
      'yelp,y-4,Bob,,seven,Bad rating cell,,2026-11-03',
      'yelp,,Nobody,,2,No id,,2026-11-03',
      'yelp,y-5,Zed,,1,ok,javascript:alert(1),2026-11-03',
      'yelp,y-6,Bell\u0007Escape\u001b,,2,Text with a \u0008 backspace,,2026-11-03',
    ].join('\r\n');
    const imported = await owner.post('/api/v1/reviews/import', { csv });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.created).toBe(3);
    expect(imported.body.errors.map((error: { row: number }) => error.row)).toEqual([4, 5, 6, 7]);
    const stored = (await owner.get('/api/v1/reviews?source=yelp')).body.items;
    const byId = Object.fromEntries(stored.map((item: { sourceId: string }) => [item.sourceId, item]));
    expect(byId['y-1']).toMatchObject({ author: 'Smith, John', text: 'Lovely staff,\nquick "fix"', rating: 5 });
    expect(byId['y-2']).toMatchObject({ author: '=HYPERLINK("http://evil")', text: '=1+2' });
    expect(byId['y-6']).toMatchObject({ author: 'BellEscape', text: 'Text with a  backspace' });
    expect((await owner.post('/api/v1/reviews/import', { csv: 'source,source_id,text\nx,1,a\u0000b' })).status).toBe(400);
    const again = await owner.post('/api/v1/reviews/import', { csv });
    expect(again.body).toMatchObject({ created: 0, unchanged: 3 });
    expect((await owner.post('/api/v1/reviews/import', { csv: 'just,some,columns\n1,2,3' })).body.errors[0].message).toContain('header');
    const ratings = await owner.get('/api/v1/reviews/ratings');
    expect(ratings.body.items).toContainEqual({ source: 'yelp', month: '2026-11', reviews: 3, averageRating: 3.67 });
  });
});
