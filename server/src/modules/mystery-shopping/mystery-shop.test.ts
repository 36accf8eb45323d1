import { expect, it } from 'vitest';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, type ApiClient } from '../../../test/client.js';

describeEachDialect('mystery shopping', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));

  const page = (path: string, init?: RequestInit) => fetch(server.url + path, init).then(async (response) => ({ status: response.status, html: await response.text() }));

  it('an outside shopper fills the default form through a signed link once; a manager fills one directly; scores over time', async () => {
    const forms = await owner.get('/api/v1/mystery-shop/forms');
    expect(forms.body.items).toHaveLength(1);
    expect(forms.body.items[0].criteria.map((criterion: { key: string }) => criterion.key)).toContain('ownership');
    const agent = (await addStaff(owner, 'agent@acme.example', 'agent')).client;
    expect((await agent.post('/api/v1/mystery-shop/evaluations', { shopperName: 'Sam' })).status).toBe(403);

    const assigned = await owner.post('/api/v1/mystery-shop/evaluations', { shopperName: 'Sam Shopper', channel: 'chat' });
    expect(assigned.status).toBe(201);
    const path = new URL(assigned.body.link).pathname;
    const shown = await page(path);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Took ownership');
    const tampered = await page(path.replace(/.$/, (last) => (last === 'a' ? 'b' : 'a')));
    expect(tampered.status).toBe(400);

    const body = new URLSearchParams({ greeting: '5', feelings: '4', ownership: '3', speed: '1', note: 'Friendly, but the checkout timed out while I was paying.' });
    const bad = await page(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'greeting=9' });
    expect(bad.status).toBe(400);
    const submitted = await page(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(submitted.status).toBe(200);
    expect((await page(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() })).status).toBe(409);

    const second = await owner.post('/api/v1/mystery-shop/evaluations', { shopperName: 'Mia Manager', channel: 'phone' });
    const filled = await owner.post(`/api/v1/mystery-shop/evaluations/${second.body.id}/submit`, { scores: { greeting: 5, speed: 5 } });
    expect(filled.status).toBe(200);
    expect(filled.body).toMatchObject({ score: 100, submittedBy: 'manager', link: null });
    expect((await owner.post(`/api/v1/mystery-shop/evaluations/${second.body.id}/submit`, { scores: { nonsense: 3 } })).status).toBe(400);

    const listed = await owner.get('/api/v1/mystery-shop/evaluations');
    const bySam = listed.body.items.find((item: { shopperName: string }) => item.shopperName === 'Sam Shopper');
    // (4 + 3 + 2 + 0) / 16 quarters of the scale = 56.25 → 56.3 of 100.
    expect(bySam).toMatchObject({ score: 56.3, submittedBy: 'shopper', scores: { greeting: 5, feelings: 4, ownership: 3, speed: 1 } });
    const scores = await owner.get('/api/v1/mystery-shop/scores?interval=week');
    expect(scores.body.items).toHaveLength(1);
    expect(scores.body.items[0]).toMatchObject({ evaluations: 2, averageScore: 78.15, criteria: { greeting: 5, speed: 3 } });
    const feedback = await owner.get('/api/v1/feedback?source=mystery_shop');
    expect(feedback.body.items).toHaveLength(1);
    expect(feedback.body.items[0].text).toContain('checkout timed out');
  });
});
