import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { ApiClient, ownerPassword } from '../../server/test/client.js';
import { expectAccessible, launchBrowser, openPage, screenshot } from './browser.js';

// The UI runs against SQLite only: the data paths it uses are tested on both dialects elsewhere.
describe('agent web app: setup → inbox → reply with a macro → live answer → solve → search', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('walks the whole journey of one ticket, live, without a reload', async () => {
    const { page, dialogs, consoleErrors } = await openPage(browser);
    await page.goto(server.url + '/');
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Workspace name').fill('Acme Support');
    await page.getByLabel('Your name').fill('Olivia Owner');
    await page.getByLabel('Email').fill('owner@acme.example');
    await page.getByRole('textbox', { name: 'Password' }).fill('short');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    // The API's refusal appears as a sentence next to the password field.
    await page.getByText(/at least 10 characters/i).first().waitFor();
    await page.getByRole('textbox', { name: 'Password' }).fill(ownerPassword);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();

    // Sign out and back in.
    await page.getByTestId('account-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill('owner@acme.example');
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByRole('textbox', { name: 'Password' }).fill(ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();

    // The integration side: an API token, a macro.
    const api = new ApiClient(server.url);
    await api.post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: ownerPassword });
    const token = (await api.post('/api/v1/api-tokens', { name: 'shop', scopes: ['write'] })).body.token as string;
    const integration = api.withToken(token);
    const macro = await api.post('/api/v1/macros', { name: 'Parcel on its way', body: 'Hi {{customer.first_name}}, your parcel left our warehouse today.', setStatus: 'pending' });
    expect(macro.status).toBe(201);

    const created = await integration.post('/api/v1/tickets', { subject: 'Where is my parcel zebra', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'I ordered a week ago.\n\nOn Monday, Shop wrote:\n> Thanks for your order' } });
    expect(created.status).toBe(201);
    const row = page.getByTestId('ticket-row').filter({ hasText: 'Where is my parcel zebra' });
    await row.waitFor({ timeout: 3000 });
    await screenshot(page, 'inbox');
    await expectAccessible(page, 'inbox');

    await row.click();
    await page.getByTestId('ticket-subject').filter({ hasText: 'Where is my parcel zebra' }).waitFor();
    await page.getByRole('button', { name: 'Show quoted text' }).waitFor();
    await page.getByTestId('macro-select').click();
    await page.getByRole('option', { name: 'Parcel on its way' }).click();
    const composer = page.getByLabel('Reply to the customer');
    await expect.poll(() => composer.inputValue()).toBe('Hi Maya, your parcel left our warehouse today.');
    await page.getByTestId('send').click();
    await page.getByTestId('message').filter({ hasText: 'your parcel left our warehouse' }).waitFor();
    await page.locator('.status-badge', { hasText: 'pending' }).first().waitFor();

    // The customer answers through the API: it appears without a reload.
    const answer = await integration.post(`/api/v1/tickets/${created.body.id}/messages`, { kind: 'inbound', text: 'Great, thank you kindly!' });
    expect(answer.status).toBe(201);
    await page.getByTestId('message').filter({ hasText: 'Great, thank you kindly!' }).waitFor({ timeout: 3000 });
    await screenshot(page, 'ticket');
    await expectAccessible(page, 'ticket');

    await page.getByTestId('solve').click();
    await page.locator('.status-badge', { hasText: 'solved' }).first().waitFor();

    await page.getByTestId('customer-link').click();
    await page.getByTestId('customer-name').filter({ hasText: 'Maya Patel' }).waitFor();
    await page.getByTestId('customer-tickets').getByText('Where is my parcel zebra').waitFor();
    await screenshot(page, 'customer');
    await expectAccessible(page, 'customer');

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search' }).fill('zebra');
    await page.getByTestId('search-hit').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-subject').filter({ hasText: 'Where is my parcel zebra' }).waitFor();
    await page.locator('.status-badge', { hasText: 'solved' }).first().waitFor();

    await page.goto(server.url + '/settings/macros');
    await page.getByTestId('macro').filter({ hasText: 'Parcel on its way' }).waitFor();
    await screenshot(page, 'settings-macros');
    await expectAccessible(page, 'settings');
    await page.goto(server.url + '/settings/staff');
    await page.getByRole('heading', { name: 'Staff & invitations' }).waitFor();
    await expectAccessible(page, 'settings staff');

    // Phone-sized and dark: the same inbox still shows its rows.
    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await phone.context.addCookies(await page.context().cookies());
    await phone.page.goto(server.url + '/views/solved');
    await phone.page.getByTestId('ticket-row').first().waitFor();
    await screenshot(phone.page, 'inbox-phone-dark');
    await phone.page.goto(`${server.url}/tickets/${created.body.id}`);
    await phone.page.getByTestId('message').first().waitFor();
    await screenshot(phone.page, 'ticket-phone-dark');
    await phone.context.close();

    expect(dialogs).toEqual([]);
    expect(consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });
});
