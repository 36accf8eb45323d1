import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../server/test/client.js';
import { startSmtpSink, type SmtpSink } from '../../server/src/modules/email/email.testing.js';
import { expectAccessible, launchBrowser, openPage, screenshot, signIn } from './browser.js';

// SQLite only, like the other browser tests: surveys, mail and themes are tested on both dialects.
describe('listening in the browser: a customer rates through the emailed link, the manager hears it and acts on a theme', () => {
  let server: TestServer;
  let browser: Browser;
  let sink: SmtpSink;
  let owner: ApiClient;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startTestServer('sqlite');
    server.worker.start();
    browser = await launchBrowser();
    ({ owner } = await setUpWorkspace(server.url));
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support', relayUrl: `smtp://127.0.0.1:${sink.port}` })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sink?.close();
  });

  /** The survey mail the sink received for this customer, waited for while the worker runs the stage and delivery jobs. */
  async function surveyMailTo(address: string) {
    await expect.poll(() => sink.messages.some((message) => message.to.includes(address)), { timeout: 20_000 }).toBe(true);
    return simpleParser(sink.messages.find((message) => message.to.includes(address))!.raw);
  }
  /** Links carry RAVING_PUBLIC_URL (a proxy's address in production); the test server answers the same path. */
  const onTestServer = (link: string) => server.url + new URL(link).pathname + new URL(link).search;

  it('rates from the email, shows the rating to the manager, alerts at the third customer and records an action', async () => {
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Cannot pay', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'Payment fails.' } });
    expect(ticket.status).toBe(201);
    // Solving the ticket is a survey stage (on by default: CSAT).
    expect((await owner.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'reply', text: 'Fixed: please try again.', status: 'solved' })).status).toBe(201);
    const mail = await surveyMailTo('maya@example.com');
    expect(mail.subject).toBe('Acme: how did we do?');
    const fourStars = /^\s+4: (\S+)$/m.exec(mail.text ?? '')?.[1];
    expect(fourStars).toMatch(/\/survey\/[^?]+\?score=4$/);

    // The customer, with no account, opens the link from the mail: the rating is chosen, nothing is recorded yet.
    // The survey page's CSP forbids every script; bypassed in this browser only so axe can run on it.
    const customer = { page: await (await browser.newContext({ viewport: { width: 420, height: 860 }, bypassCSP: true })).newPage(), consoleErrors: [] as string[] };
    customer.page.on('pageerror', (error) => customer.consoleErrors.push(error.message));
    await customer.page.goto(onTestServer(fourStars!));
    await customer.page.getByRole('heading', { name: 'Acme: your opinion' }).waitFor();
    expect(await customer.page.getByRole('radio', { name: '4' }).first().isChecked()).toBe(true);
    expect((await owner.get('/api/v1/surveys/responses')).body.items).toHaveLength(0);
    await screenshot(customer.page, 'survey-page');
    await expectAccessible(customer.page, 'the survey page');
    await customer.page.getByRole('checkbox', { name: 'grateful' }).check();
    await customer.page.getByLabel('Anything you would like to tell us?').fill('Kind people, but the checkout times out every time I pay.');
    await customer.page.getByRole('button', { name: 'Send' }).click();
    await customer.page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await screenshot(customer.page, 'survey-thanks');
    // Following the link again (or a scanner doing so) answers that it is already done.
    await customer.page.goto(onTestServer(fourStars!));
    await customer.page.getByRole('heading', { name: 'Already answered' }).waitFor();
    const tampered = onTestServer(fourStars!).replace(/\?score=4$/, '').slice(0, -2) + 'xx';
    await customer.page.goto(tampered);
    await customer.page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await screenshot(customer.page, 'survey-invalid-link');
    await expectAccessible(customer.page, 'the invalid-link page');

    // The manager sees the rating with its ticket.
    const manager = await openPage(browser);
    await signIn(manager.page, server.url);
    // The sign-in page's session check answers 401 before signing in; errors count from here.
    manager.consoleErrors.length = 0;
    await manager.page.goto(server.url + '/listening/surveys');
    const answer = manager.page.getByTestId('survey-response').filter({ hasText: 'checkout times out' });
    await answer.getByText('4 / 5').waitFor();
    await answer.getByText('grateful').waitFor();
    await manager.page.getByText('4 / 5').first().waitFor();
    await screenshot(manager.page, 'listening-surveys');
    await expectAccessible(manager.page, 'the surveys page');

    // Two more customers say the same in other words; the third voice alerts the manager live.
    await manager.page.goto(server.url + '/listening/feedback');
    await manager.page.getByTestId('feedback-item').first().waitFor();
    expect(await manager.page.getByTestId('theme-alert-banner').count()).toBe(0);
    await owner.post('/api/v1/reviews', { source: 'google', sourceId: 'g-1', author: 'Ben', authorEmail: 'ben@example.com', rating: 2, text: 'Timeout at checkout, twice this week.' });
    expect(await manager.page.getByTestId('theme-alert-banner').count()).toBe(0);
    await owner.post('/api/v1/reviews', { source: 'trustpilot', sourceId: 't-1', author: 'Cat', authorEmail: 'cat@example.com', rating: 1, text: 'The check-out page keeps timing out.', url: 'https://trustpilot.example/r/1' });
    const banner = manager.page.getByTestId('theme-alert-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('checkout');
    // The alert also reaches managers outside the listening pages: an app-wide notice, here too.
    const notice = manager.page.getByTestId('notice').filter({ hasText: 'Heard three times' });
    await notice.getByRole('link', { name: 'Respond to the theme' }).waitFor();
    await screenshot(manager.page, 'listening-feedback');
    await expectAccessible(manager.page, 'the feedback page');
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();

    await banner.getByRole('link', { name: 'Record an action' }).click();
    const card = manager.page.getByTestId('theme-card').first();
    await card.getByText('3 distinct voices').waitFor();
    // The trend: three mentions, all this week.
    await card.getByTestId('theme-trend').getByText('3 mentions in 12 weeks, 3 this week').waitFor();
    await screenshot(manager.page, 'listening-themes');
    await expectAccessible(manager.page, 'the themes page');
    await card.getByLabel('Action (you own it)').fill('Raise the payment gateway timeout and watch the error rate');
    await card.getByRole('button', { name: 'Record action' }).click();
    await manager.page.getByText('No themes here.').waitFor();
    const themes = (await owner.get('/api/v1/themes?status=actioned')).body.items;
    expect(themes).toHaveLength(1);
    expect(themes[0]).toMatchObject({ status: 'actioned', action: { description: 'Raise the payment gateway timeout and watch the error rate' } });

    // The other listening pages render and pass axe.
    await owner.post('/api/v1/staff-voice', { body: 'The refund form needs three approvals; customers wait days.', anonymous: true });
    await manager.page.goto(server.url + '/listening/reviews');
    await manager.page.getByTestId('review-card').first().waitFor();
    await screenshot(manager.page, 'listening-reviews');
    await expectAccessible(manager.page, 'the reviews page');
    await manager.page.goto(server.url + '/listening/staff-voice');
    await manager.page.getByTestId('staff-note').first().waitFor();
    await screenshot(manager.page, 'listening-staff-voice');
    await expectAccessible(manager.page, 'the staff voice page');

    // A mystery shopper, sent from the page, fills the form through the link; the report shows the score.
    await manager.page.goto(server.url + '/listening/mystery-shopping');
    await manager.page.getByLabel('Shopper').fill('Sam Shopper');
    await manager.page.getByLabel('Channel (optional)').fill('phone');
    await manager.page.getByRole('button', { name: 'Create link' }).click();
    const shopperLink = await manager.page.getByTestId('shopper-link').textContent();
    await screenshot(manager.page, 'listening-mystery-shopping');
    await expectAccessible(manager.page, 'the mystery shopping page');
    await customer.page.goto(onTestServer(shopperLink!));
    for (const criterion of await customer.page.locator('fieldset:has(input[type=radio])').all()) await criterion.getByRole('radio', { name: '4' }).check();
    await customer.page.getByLabel('What happened, in your words').fill('Friendly and quick, no follow-up afterwards.');
    await customer.page.getByRole('button', { name: 'Submit' }).click();
    await customer.page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await manager.page.getByTestId('evaluation').filter({ hasText: 'Sam Shopper' }).getByText('75 / 100').waitFor();

    await manager.page.goto(server.url + '/reports/listening');
    await manager.page.setViewportSize({ width: 1280, height: 1400 });
    await manager.page.getByRole('heading', { name: 'Listening report' }).waitFor();
    await manager.page.getByTestId('survey-breakdown').getByText('No agent').waitFor();
    await manager.page.locator('label').filter({ hasText: /^Channel$/ }).click();
    await manager.page.getByTestId('survey-breakdown').getByText('api').waitFor();
    // Every chart has data (surveys, reviews, the shopper's score) but NPS, which nobody was asked.
    expect(await manager.page.getByText('Nothing measured yet.').count()).toBe(1);
    await screenshot(manager.page, 'listening-report');
    await expectAccessible(manager.page, 'the listening report');
    expect(manager.consoleErrors).toEqual([]);
    expect(customer.consoleErrors).toEqual([]);
  }, 120_000);
});
