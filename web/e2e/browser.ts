import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ownerPassword, type ApiClient } from '../../server/test/client.js';
import { useTestWorkspace, type TestServer } from '../../server/test/harness.js';

const require = createRequire(import.meta.url);
export const screenshotDirectory = path.resolve('test-output/screenshots');

/** Debian's Chromium (CI installs it); CHROMIUM_PATH overrides. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
}

export interface BrowserTestServer {
  server: TestServer;
  browser: Browser;
  owner: ApiClient;
}

/** Registers beforeAll/afterAll for the usual browser test: a SQLite server with a workspace, and Chromium; read the fields inside tests. */
export function useBrowserTestServer(): BrowserTestServer {
  const env = {} as BrowserTestServer;
  useTestWorkspace('sqlite', ({ server, owner }) => Object.assign(env, { server, owner }));
  beforeAll(async () => {
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
  });
  return env;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  dialogs: string[];
  consoleErrors: string[];
}

/** A page whose dialogs and console errors are recorded, so a test can prove nothing ran. */
export async function openPage(browser: Browser, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.setDefaultTimeout(10_000);
  return { page, context, dialogs, consoleErrors };
}

/** Signs in through the sign-in page (every test user shares the owner's password) and waits for the inbox. */
export async function signIn(page: Page, url: string, email = 'owner@acme.example'): Promise<void> {
  await page.goto(url + '/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ownerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'All open' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDirectory, { recursive: true });
  const file = path.join(screenshotDirectory, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page and fails on serious or critical violations, naming them. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
  });
  expect(violations, `accessibility on ${where}`).toEqual([]);
}
