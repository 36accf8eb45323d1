import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateDemoData } from '../../server/src/modules/demo/index.js';
import { expectAccessible, openPage, screenshot, signIn, useBrowserTestServer } from './browser.js';

const reports = [
  { path: '/reports/consistency', name: 'consistency', heading: /Consistency/ },
  { path: '/reports/empowerment', name: 'empowerment', heading: /Empowerment/ },
  { path: '/reports/moments', name: 'moments', heading: /Moments/ },
  { path: '/reports/listening', name: 'listening', heading: /Listening/ },
];

/** Elements that stick out past the right edge of the screen without a scrolling box around them. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (element: Element) => {
      for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
        const overflowX = getComputedStyle(node).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') return true;
      }
      return false;
    };
    const found: string[] = [];
    for (const element of document.querySelectorAll('#main *')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1 && !clipped(element)) found.push(`${element.tagName.toLowerCase()}.${[...element.classList].slice(0, 2).join('.')} right=${Math.round(box.right)} of ${width}`);
    }
    return found.slice(0, 8);
  });
}

/** Scrolls the page's own scrolling box (the frame's main area) to the bottom, a step at a time, for screenshots of long reports. */
async function screenshotsDown(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-top`);
  await page.evaluate(() => document.querySelector('#main')?.scrollBy(0, 700));
  await page.evaluate(() => window.scrollBy(0, 700));
  await screenshot(page, `${name}-more`);
}

describe('report pages in the dark theme and on a phone', () => {
  const env = useBrowserTestServer();

  it('every report fits a phone screen and reads in the dark theme (axe contrast included)', { timeout: 240_000 }, async () => {
    const session = await env.owner.get('/api/v1/auth/session');
    await generateDemoData(env.server.database.handle, { workspaceId: session.body.workspace.id, ownerStaffId: session.body.workspace.staffId, tickets: 300 });
    // Every page and size is looked at before failing, so one run names all that is broken.
    const problems: string[] = [];
    for (const viewport of [{ width: 390, height: 844, label: 'phone' }, { width: 1280, height: 800, label: 'desktop' }]) {
      const { page, context, consoleErrors } = await openPage(env.browser, { width: viewport.width, height: viewport.height, colorScheme: 'dark' });
      page.setDefaultTimeout(20_000);
      await signIn(page, env.server.url);
      consoleErrors.length = 0;
      for (const report of reports) {
        await page.goto(env.server.url + report.path);
        await page.getByRole('heading', { name: report.heading, level: 2 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await screenshotsDown(page, `report-${report.name}-dark-${viewport.label}`);
        if (viewport.label === 'phone') problems.push(...(await overflowing(page)).map((problem) => `${report.path} on a phone: ${problem}`));
        await expectAccessible(page, `${report.path} in the dark theme (${viewport.label})`).catch((error: Error & { actual?: unknown }) => problems.push(`${error.message}: ${JSON.stringify(error.actual)}`));
      }
      problems.push(...consoleErrors);
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
