import { describe, expect, it } from 'vitest';
import { openPage, screenshot, signIn, useBrowserTestServer } from './browser.js';

// SQLite only, like the other browser tests: the guard itself is tested on both dialects.
describe('blame guard in the composer', () => {
  const env = useBrowserTestServer();

  it('flags "that\'s not our problem" while the agent types and the suggestion replaces it', async () => {
    const ticket = await env.owner.post('/api/v1/tickets', { subject: 'Parcel lost', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'My parcel is lost.' } });
    expect(ticket.status).toBe(201);

    const { page } = await openPage(env.browser);
    page.setDefaultTimeout(20_000);
    await signIn(page, env.server.url);
    await page.goto(`${env.server.url}/tickets/${ticket.body.id}`);

    const composer = page.getByLabel('Reply to the customer');
    await composer.fill("Sorry, but that's not our problem, ask the courier.");
    const guard = page.getByTestId('blame-guard');
    await guard.getByText('“not our problem” → “something we\'ll sort out for you”').waitFor();
    await screenshot(page, 'blame-guard');
    await guard.getByRole('button', { name: 'Use suggestion' }).click();
    await expect.poll(() => composer.inputValue()).toBe("Sorry, but that's something we'll sort out for you, ask the courier.");
    await guard.waitFor({ state: 'detached' });
  });
  it('lets a manager set recovery to "proposed", add a playbook step and a phrase of their own, which the composer then flags', async () => {
    const { page } = await openPage(env.browser);
    page.setDefaultTimeout(20_000);
    await signIn(page, env.server.url);
    await page.goto(env.server.url + '/settings/recovery');
    await page.getByText('Propose one to the agent').click();
    await page.getByLabel('New step').fill('Call the customer');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const settings = (await env.owner.get('/api/v1/recovery/settings')).body;
    expect(settings.mode).toBe('proposed');
    expect(settings.playbook.at(-1)).toEqual({ key: 'call_the_customer', label: 'Call the customer' });

    await page.goto(env.server.url + '/settings/blame-guard');
    await page.getByLabel('Phrase').fill('read the FAQ');
    await page.getByLabel('Suggested wording').fill('here is the answer');
    await page.getByRole('button', { name: 'Add phrase' }).click();
    await page.getByRole('button', { name: 'Remove “read the faq”' }).waitFor();
    await screenshot(page, 'blame-guard-settings');

    const ticket = await env.owner.post('/api/v1/tickets', { subject: 'Sizes', customer: { email: 'sam@example.com' }, message: { text: 'Which size should I take?' } });
    await page.goto(`${env.server.url}/tickets/${ticket.body.id}`);
    await page.getByLabel('Reply to the customer').fill('Please read the FAQ first.');
    await page.getByTestId('blame-guard').getByText('“read the FAQ” → “here is the answer”').waitFor();
  });

  it("shows a customer's misery and magic across tickets on the customer page, and a new one without a reload", async () => {
    const complaint = await env.owner.post('/api/v1/tickets', { subject: 'Broken lamp', tags: ['complaint'], customer: { email: 'lee@example.com', name: 'Lee Chen' }, message: { text: 'The lamp arrived broken.' } });
    expect(complaint.status).toBe(201);
    expect((await env.owner.post(`/api/v1/tickets/${complaint.body.id}/moments`, { kind: 'magic', rule: 'magic_other', note: 'Sent a new lamp the same day' })).status).toBe(201);
    const { page } = await openPage(env.browser);
    page.setDefaultTimeout(20_000);
    await signIn(page, env.server.url);
    await page.goto(`${env.server.url}/customers/${complaint.body.customer.id}`);
    const moments = page.getByTestId('customer-moments');
    await moments.getByText('Complaint').waitFor();
    await moments.getByText('“Sent a new lamp the same day”').waitFor();
    await moments.getByText('1 misery').waitFor();
    // A second ticket's moment arrives over the socket while the page is open.
    const later = await env.owner.post('/api/v1/tickets', { subject: 'Late delivery', customer: { email: 'lee@example.com' }, message: { text: 'Still waiting.' } });
    expect((await env.owner.post(`/api/v1/tickets/${later.body.id}/moments`, { kind: 'misery', rule: 'misery_other', note: 'Delivery a week late' })).status).toBe(201);
    await moments.getByText('“Delivery a week late”').waitFor();
    await moments.getByText('2 misery').waitFor();
    await screenshot(page, 'customer-moments');
  });
});
