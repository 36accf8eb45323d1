import zlib from 'node:zlib';
import { generateDemoData } from '../server/src/modules/demo/index.js';
import { startTestServer } from '../server/test/harness.js';
import { ownerPassword, setUpWorkspace } from '../server/test/client.js';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../web/e2e/browser.js';

/** Signs the owner in and waits (patiently: a large desk) for the first ticket row of the inbox. */
async function signInToInbox(page: Page, url: string): Promise<void> {
  await page.goto(url + '/sign-in');
  await page.getByLabel('Email').fill('owner@acme.example');
  await page.getByRole('textbox', { name: 'Password' }).fill(ownerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('ticket-row').first().waitFor({ timeout: 60_000 });
}

export interface WebBenchResult {
  tickets: number;
  /** Gzipped bytes of every JavaScript file the first page (the inbox) loads. */
  firstPageJsGzipBytes: number;
  firstPageJsFiles: number;
  /** From navigation start to the first inbox rows on screen, headless Chromium on loopback (median of runs). */
  timeToFirstRowsMs: number;
  runs: number[];
}

/**
 * Serves the built web app (run `npm run build:web` first) over an inbox of `tickets` demo tickets
 * and measures what a newcomer's browser pays: JavaScript weight and time to the first rows.
 */
export async function measureWebApp(options: { tickets?: number; runs?: number } = {}): Promise<WebBenchResult> {
  const tickets = options.tickets ?? 10_000;
  const server = await startTestServer('sqlite');
  const browser = await launchBrowser();
  try {
    const { owner, workspaceId } = await setUpWorkspace(server.url);
    const session = await owner.get('/api/v1/auth/session');
    await generateDemoData(server.database.handle, { workspaceId, ownerStaffId: session.body.workspace.staffId, tickets });

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInToInbox(page, server.url);

    // A cold tab: JavaScript weighed as it crosses the wire, compressed as a server would send it.
    const cold = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await context.storageState() });
    const coldPage = await cold.newPage();
    const scripts = new Map<string, number>();
    coldPage.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const body = await response.body().catch(() => null);
      if (body) scripts.set(response.url(), zlib.gzipSync(body, { level: 9 }).length);
    });
    await coldPage.goto(server.url + '/');
    await coldPage.getByTestId('ticket-row').first().waitFor({ timeout: 60_000 });
    await coldPage.waitForLoadState('networkidle');
    await cold.close();

    const runs: number[] = [];
    for (let run = 0; run < (options.runs ?? 5); run++) {
      const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await context.storageState() });
      const tab = await fresh.newPage();
      await tab.goto(server.url + '/views/open', { waitUntil: 'commit' });
      await tab.waitForFunction(() => document.querySelectorAll('[data-testid="ticket-row"]').length >= 10, undefined, { timeout: 60_000, polling: 'raf' });
      runs.push(await tab.evaluate(() => performance.now()));
      await fresh.close();
    }
    await context.close();
    const sorted = [...runs].sort((a, b) => a - b);
    return {
      tickets,
      firstPageJsGzipBytes: [...scripts.values()].reduce((sum, size) => sum + size, 0),
      firstPageJsFiles: scripts.size,
      timeToFirstRowsMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      runs: runs.map(Math.round),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export interface LiveUpdateBenchResult {
  /** From the API call that adds a message to the message on an open ticket page in another session (median). */
  messageShownMs: number;
  runs: number[];
}

/**
 * Live updates as an agent sees them: a ticket page is open in Chromium, a customer's message is
 * added through the API, and the clock stops when the page shows it (both clocks are this machine's).
 */
export async function measureLiveUpdates(options: { runs?: number } = {}): Promise<LiveUpdateBenchResult> {
  const server = await startTestServer('sqlite');
  const browser = await launchBrowser();
  try {
    const { owner } = await setUpWorkspace(server.url);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Live update probe', customer: { email: 'probe@example.com', name: 'Pat Probe' }, message: { text: 'First message' } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInToInbox(page, server.url);
    await page.goto(`${server.url}/tickets/${ticket.body.id}`);
    await page.getByTestId('message').first().waitFor({ timeout: 60_000 });

    const runs: number[] = [];
    for (let run = 0; run < (options.runs ?? 7); run++) {
      const text = `Live probe number ${run}`;
      const shown = page.waitForFunction((expected) => [...document.querySelectorAll('[data-testid="message"]')].some((element) => element.textContent?.includes(expected)) && Date.now(), text, { timeout: 60_000, polling: 'raf' });
      const started = Date.now();
      await owner.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'inbound', text });
      runs.push(Number(await (await shown).jsonValue()) - started);
    }
    await context.close();
    const sorted = [...runs].sort((a, b) => a - b);
    return { messageShownMs: sorted[Math.floor(sorted.length / 2)]!, runs };
  } finally {
    await browser.close();
    await server.close();
  }
}
