import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import nodemailer from 'nodemailer';
import { ApiClient, ownerPassword } from '../../server/test/client.js';
import { startEmailTestServer, type EmailTestServer } from '../../server/src/modules/email/email.testing.js';
import { expectAccessible, launchBrowser, openPage, screenshot } from './browser.js';

const onePixelPng = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

// The UI runs against SQLite only: the data paths it uses are tested on both dialects elsewhere.
describe('agent web app: setup → inbox → reply with a macro → live answer → solve → search', () => {
  let server: EmailTestServer;
  let browser: Browser;

  beforeAll(async () => {
    // With its SMTP receiver and job worker: the customer's answer arrives as an email.
    server = await startEmailTestServer('sqlite');
    server.worker.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // The longest walk in the suite: on a loaded 2-core machine it has come within seconds of the default limit.
  it('walks the whole journey of one ticket, live, without a reload', { timeout: 180_000 }, async () => {
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
    // A forgotten password: the request is acknowledged, and a bad link is refused in a sentence.
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill('owner@acme.example');
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('status').filter({ hasText: 'a link is on its way' }).waitFor();
    await page.goto(server.url + '/reset-password?token=' + 'x'.repeat(43));
    await page.getByLabel('New password').fill('a brand new password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown, used or expired' }).waitFor();
    await page.getByRole('link', { name: 'Back to sign in' }).click();
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
    // A newer ticket above it, for j/k to walk to.
    await integration.post('/api/v1/tickets', { subject: 'Gift wrapping question', customer: { email: 'li@example.com', name: 'Li Wei' }, message: { text: 'Do you gift wrap?' } });
    await page.getByTestId('ticket-row').filter({ hasText: 'Gift wrapping question' }).waitFor({ timeout: 3000 });
    // Newest first: an order that background jobs touching the tickets cannot change.
    await page.getByRole('combobox', { name: 'Sort tickets' }).click();
    await page.getByRole('option', { name: 'Newest' }).click();
    await page.locator('[data-testid="inbox-rows"][aria-busy="false"]').waitFor();
    await page.getByTestId('ticket-row').first().filter({ hasText: 'Gift wrapping question' }).waitFor();
    await screenshot(page, 'inbox');
    await expectAccessible(page, 'inbox');

    await row.click();
    await page.getByTestId('ticket-subject').filter({ hasText: 'Where is my parcel zebra' }).waitFor();
    await page.getByRole('button', { name: 'Show quoted text' }).waitFor();
    await page.getByTestId('macro-select').click();
    await page.getByRole('option', { name: 'Parcel on its way' }).click();
    const composer = page.getByLabel('Reply to the customer');
    await expect.poll(() => composer.inputValue(), { timeout: 5000 }).toBe('Hi Maya, your parcel left our warehouse today.');
    // A file goes with the reply: uploaded when picked, sent with the email, downloadable from the message.
    await page.getByTestId('attach-input').setInputFiles({ name: 'tracking.txt', mimeType: 'text/plain', buffer: Buffer.from('Tracking number RV123456') });
    await page.getByTestId('uploads').getByText('tracking.txt').waitFor();
    await page.getByTestId('send').click();
    const sentReply = page.getByTestId('message').filter({ hasText: 'your parcel left our warehouse' });
    await sentReply.getByTestId('attachment').filter({ hasText: 'tracking.txt' }).waitFor();
    await page.getByTestId('uploads').waitFor({ state: 'detached' });
    await page.locator('.status-badge', { hasText: 'pending' }).first().waitFor();

    // The customer answers by email, with a photo in the text and a receipt attached: it appears without
    // a reload, the photo in place, the receipt as a download.
    expect((await api.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support' })).status).toBe(201);
    const receipt = Buffer.from('%PDF-1.4\n% receipt 4711\n');
    const customerMail = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true });
    await customerMail.sendMail({
      from: 'Maya Patel <maya@example.com>',
      to: 'support@acme.example',
      subject: `Re: Where is my parcel zebra [#${created.body.number}]`,
      text: 'Great, thank you kindly!',
      html: '<p>Great, thank you kindly!</p><p><img src="cid:parcel-photo" alt="The parcel"></p>',
      attachments: [
        { filename: 'parcel.png', content: Buffer.from(onePixelPng, 'base64'), cid: 'parcel-photo' },
        { filename: 'receipt.pdf', content: receipt },
      ],
    });
    customerMail.close();
    const answer = page.getByTestId('message').filter({ has: page.getByTestId('attachment').filter({ hasText: 'receipt.pdf' }) });
    await answer.waitFor({ timeout: 20_000 });
    await page.frameLocator('iframe.message-frame').last().getByText('Great, thank you kindly!').waitFor();
    await expect.poll(() => page.frameLocator('iframe.message-frame').last().getByAltText('The parcel').evaluate((image: HTMLImageElement) => image.naturalWidth), { timeout: 5000 }).toBe(1);
    const download = answer.getByTestId('attachment');
    await expect.poll(async () => (await download.allTextContents()).map((text) => text.trim()), { timeout: 5000 }).toEqual(['receipt.pdf']);
    const downloaded = await page.request.get(server.url + (await download.getAttribute('href'))!);
    expect(downloaded.headers()['content-disposition']).toMatch(/^attachment/);
    expect(Buffer.from(await downloaded.body())).toEqual(receipt);
    await screenshot(page, 'ticket');
    await expectAccessible(page, 'ticket');

    // The shortcuts are listed on '?' and do what they say: k/j walk the inbox's order, n/r open the
    // composer, a assigns to me, s solves.
    await page.getByLabel('Reply to the customer').press('Escape');
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const action of ['Next / previous ticket', 'Reply', 'Internal note', 'Assign to me', 'Solve']) await help.getByRole('cell', { name: action, exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('k');
    await page.getByTestId('ticket-subject').filter({ hasText: 'Gift wrapping question' }).waitFor();
    await page.keyboard.press('j');
    await page.getByTestId('ticket-subject').filter({ hasText: 'Where is my parcel zebra' }).waitFor();
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await page.keyboard.press('n');
    await expect.poll(focusedLabel, { timeout: 5000 }).toBe('Internal note');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await expect.poll(focusedLabel, { timeout: 5000 }).toBe('Reply to the customer');
    await page.keyboard.press('Escape');
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('assignee-select').inputValue(), { timeout: 5000 }).toBe('Olivia Owner');
    await page.keyboard.press('s');
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
    await page.goto(server.url + '/settings/mailboxes');
    await page.getByTestId('mailboxes').getByText('support@acme.example').waitFor();
    await expectAccessible(page, 'settings mailboxes');
    await page.getByRole('link', { name: 'Outbox' }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    await page.getByRole('link', { name: 'Quarantine' }).click();
    await page.getByText('Nothing in quarantine').waitFor();


    // Phone-sized and dark: the same inbox still shows its rows.
    const phone = await openPage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await phone.context.addCookies(await page.context().cookies());
    await phone.page.goto(server.url + '/views/solved');
    await phone.page.getByTestId('ticket-row').first().waitFor();
    await screenshot(phone.page, 'inbox-phone-dark');
    await expectAccessible(phone.page, 'inbox on a phone, dark');
    await phone.page.goto(`${server.url}/tickets/${created.body.id}`);
    await phone.page.getByTestId('message').first().waitFor();
    await screenshot(phone.page, 'ticket-phone-dark');
    await expectAccessible(phone.page, 'ticket on a phone, dark');
    await phone.context.close();

    expect(dialogs).toEqual([]);
    expect(consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });
});
