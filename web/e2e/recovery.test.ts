import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { ownerPassword, setUpWorkspace } from '../../server/test/client.js';
import { launchBrowser, openPage, screenshot } from './browser.js';

// SQLite only, like the other browser tests: the guard itself is tested on both dialects.
describe('blame guard in the composer', () => {
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

  it('flags "that\'s not our problem" while the agent types and the suggestion replaces it', async () => {
    const { owner } = await setUpWorkspace(server.url);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Parcel lost', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'My parcel is lost.' } });
    expect(ticket.status).toBe(201);

    const { page } = await openPage(browser);
    page.setDefaultTimeout(20_000);
    await page.goto(server.url + '/sign-in');
    await page.getByLabel('Email').fill('owner@acme.example');
    await page.locator('input[type=password]').fill(ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();
    await page.goto(`${server.url}/tickets/${ticket.body.id}`);

    const composer = page.getByLabel('Reply to the customer');
    await composer.fill("Sorry, but that's not our problem, ask the courier.");
    const guard = page.getByTestId('blame-guard');
    await guard.getByText('“not our problem” → “something we\'ll sort out for you”').waitFor();
    await screenshot(page, 'blame-guard');
    await guard.getByRole('button', { name: 'Use suggestion' }).click();
    await expect.poll(() => composer.inputValue()).toBe("Sorry, but that's something we'll sort out for you, ask the courier.");
    await guard.waitFor({ state: 'detached' });
  });
});
