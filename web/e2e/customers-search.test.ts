import { describe, expect, it } from 'vitest';
import { expectAccessible, openPage, screenshot, signIn, useBrowserTestServer } from './browser.js';

describe('the customers page searches, counts and says when nothing matches', () => {
  const env = useBrowserTestServer();

  it('a search narrows the list and the count; a phone keeps the table in its own sideways-scrolling box', async () => {
    for (const [name, email] of [['Maya Patel', 'maya@example.com'], ['Mayank Rao', 'mrao@example.com'], ['Omar 100% Haddad', 'omar@example.com'], ['Lena Fischer', 'lena@example.com']]) {
      expect((await env.owner.post('/api/v1/customers', { name, email })).status).toBe(201);
    }
    const { page, consoleErrors } = await openPage(env.browser);
    await signIn(page, env.server.url);
    // The session check before signing in answers 401 by design; nothing after it may fail.
    consoleErrors.length = 0;
    await page.goto(env.server.url + '/customers');
    const count = page.getByTestId('customer-count');
    const rows = page.getByRole('region', { name: 'Customers' }).locator('tbody tr');
    await count.filter({ hasText: /^4 customers$/ }).waitFor();
    expect(await rows.count()).toBe(4);

    await page.getByRole('searchbox', { name: 'Search' }).fill('MAY');
    await count.filter({ hasText: /^2 customers$/ }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Customers"] tbody tr').length === 2);
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('Mayank Rao'), expect.stringContaining('Maya Patel')]);

    // A percent sign is a character to find, not a wildcard.
    await page.getByRole('searchbox', { name: 'Search' }).fill('0%');
    await count.filter({ hasText: /^1 customer$/ }).waitFor();
    await rows.filter({ hasText: 'Omar 100% Haddad' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search' }).fill('nobody');
    await count.filter({ hasText: /^0 customers$/ }).waitFor();
    await page.getByText('No customers match “nobody”.').waitFor();
    expect(await rows.count()).toBe(0);
    await expectAccessible(page, 'customers with no match');

    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await count.filter({ hasText: /^4 customers$/ }).waitFor();
    await screenshot(page, 'customers-light');

    const phone = await openPage(env.browser, { width: 390, height: 844 });
    await signIn(phone.page, env.server.url);
    phone.consoleErrors.length = 0;
    await phone.page.goto(env.server.url + '/customers');
    await phone.page.getByTestId('customer-count').filter({ hasText: /^4 customers$/ }).waitFor();
    // The page itself never scrolls sideways; only the table's own box does.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = phone.page.getByRole('region', { name: 'Customers' });
    expect(await box.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await screenshot(phone.page, 'customers-phone');
    expect(consoleErrors).toEqual([]);
    expect(phone.consoleErrors).toEqual([]);
  });
});
