import { describe, expect, it } from 'vitest';
import { ownerPassword } from '../../server/test/client.js';
import { expectAccessible, openPage, screenshot, useBrowserTestServer } from './browser.js';

// The UI runs against SQLite only: the count and waiting-time queries are tested on both dialects in modules/tickets.
describe('inbox: exact view counts and how long each customer has waited', () => {
  const env = useBrowserTestServer();

  it('counts past 100 exactly, shows "waiting 3 h", sorts by the longest wait and follows a reply live', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 104; index++) {
      const created = await env.owner.post('/api/v1/tickets', { subject: `Order ${index + 1} question`, customer: { email: `customer${index % 20}@example.com`, name: `Customer ${index % 20}` }, message: { text: 'Hello?' } });
      ids.push(created.body.id);
    }
    const answered = await env.owner.post(`/api/v1/tickets/${ids[103]}/messages`, { kind: 'reply', text: 'Answered.' });
    expect(answered.body.ticket.waitingSince).toBeNull();
    // The API cannot move the clock: one customer's wait is set back three hours in the database, to see the column count hours.
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    await env.server.context.database.db.updateTable('tickets').set({ waiting_since: threeHoursAgo }).where('id', '=', ids[40]!).execute();

    const { page, consoleErrors } = await openPage(env.browser);
    await page.goto(env.server.url + '/sign-in');
    await page.getByLabel('Email').fill('owner@acme.example');
    await page.getByRole('textbox', { name: 'Password' }).fill(ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();
    // The sign-in page's session probe answers 401 by design; from here on nothing may fail.
    consoleErrors.length = 0;

    await page.getByTestId('view-open').getByText('104', { exact: true }).waitFor();
    await page.getByTestId('view-unassigned').getByText('104', { exact: true }).waitFor();
    await page.getByTestId('view-count').filter({ hasText: /^104$/ }).waitFor();

    await page.getByRole('combobox', { name: 'Sort tickets' }).click();
    await page.getByRole('option', { name: 'Waiting longest' }).click();
    const rows = page.getByTestId('ticket-row');
    await rows.first().filter({ hasText: 'Order 41 question' }).filter({ hasText: 'waiting 3 h' }).waitFor();
    await rows.nth(1).filter({ hasText: 'Order 1 question' }).filter({ hasText: /waiting (now|1 min)/ }).waitFor();
    await screenshot(page, 'inbox-waiting');
    await expectAccessible(page, 'inbox sorted by waiting time');

    // A colleague answers the longest-waiting customer: the row says so and drops to the end, and the counts stay exact.
    await env.owner.post(`/api/v1/tickets/${ids[40]}/messages`, { kind: 'reply', text: 'Sorry for the wait.' });
    await rows.first().filter({ hasText: 'Order 1 question' }).waitFor({ timeout: 3000 });
    await env.owner.post(`/api/v1/tickets/${ids[0]}/messages`, { kind: 'reply', text: 'Done.', status: 'solved' });
    await page.getByTestId('view-open').getByText('103', { exact: true }).waitFor({ timeout: 3000 });
    await page.getByTestId('view-solved').getByText('1', { exact: true }).waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
