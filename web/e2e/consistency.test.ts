import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { ownerPassword, setUpWorkspace } from '../../server/test/client.js';
import { expectAccessible, launchBrowser, openPage, screenshot } from './browser.js';

// SQLite only, like the other browser tests: SLA arithmetic, timers and automations are tested on both dialects.
describe('consistency settings in the browser: SLA policy and automation, seen on a ticket', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    // Automations run as jobs: the worker runs them as it would in production.
    server.worker.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Mantine's Select: open it by its label (typing to narrow a searchable one), then pick the option. */
  async function choose(page: Page, label: string, option: string, search = false): Promise<void> {
    const input = page.getByRole('combobox', { name: label, exact: true });
    await input.click();
    if (search) await input.fill(option);
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  /** A screenshot of the settings page from its top (saving scrolls the form into view). */
  async function settingsScreenshot(page: Page, heading: string, name: string): Promise<void> {
    await page.getByRole('heading', { name: heading, level: 2 }).evaluate((element) => {
      let node = element.parentElement;
      while (node && node.scrollHeight <= node.clientHeight) node = node.parentElement;
      node?.scrollTo(0, 0);
    });
    await screenshot(page, name);
  }

  it('creates a policy and a rule in settings; the ticket shows its countdown and the rule’s action', { timeout: 150_000 }, async () => {
    const { owner } = await setUpWorkspace(server.url);
    // Created before the rule exists, so "test against last week" has a ticket to find.
    const earlier = await owner.post('/api/v1/tickets', { subject: 'Refund for a late parcel', customer: { email: 'sam@example.com', name: 'Sam Lee' }, message: { text: 'Still waiting.' } });
    expect(earlier.status).toBe(201);

    const { page, consoleErrors } = await openPage(browser);
    page.setDefaultTimeout(20_000);
    await page.goto(server.url + '/sign-in');
    await page.getByLabel('Email').fill('owner@acme.example');
    await page.locator('input[type=password]').fill(ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();

    // Business hours: a wrong interval is refused with a sentence beside that day; the corrected calendar saves.
    await page.goto(`${server.url}/settings/business-hours`);
    const settingsNav = page.getByRole('navigation', { name: 'Settings' });
    for (const label of ['Business hours', 'SLA policies', 'Automations', 'Routing', 'Playbooks']) await settingsNav.getByRole('link', { name: label }).waitFor();
    await page.getByLabel('Name').fill('Office hours');
    await choose(page, 'Time zone', 'Europe/Paris', true);
    await page.getByLabel('Monday opens at').fill('17:00');
    await page.getByLabel('Monday closes at').fill('09:00');
    await page.getByLabel('Holidays (closed all day)').fill('2026-12-25');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByRole('button', { name: 'Create calendar' }).click();
    await page.getByTestId('hours-Monday').getByRole('alert').filter({ hasText: 'End must be after start.' }).waitFor();
    await page.getByTestId('hours-Monday').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-business-hours-error');
    await page.getByLabel('Monday opens at').fill('09:00');
    await page.getByLabel('Monday closes at').fill('17:00');
    await page.getByRole('button', { name: 'Create calendar' }).click();
    const calendar = page.getByTestId('calendar').filter({ hasText: 'Office hours' });
    await calendar.getByText('Mon–Fri 09:00–17:00').waitFor();
    await calendar.getByText('Europe/Paris · holidays: 2026-12-25').waitFor();
    await settingsScreenshot(page, 'Business hours', 'settings-business-hours');
    await expectAccessible(page, 'business hours settings');
    // The countdown below is checked against round-the-clock time: this test must not depend on the hour it runs.
    await calendar.getByRole('button', { name: 'Delete' }).click();
    await calendar.waitFor({ state: 'detached' });

    // An SLA policy: first response in 60 minutes, resolution in 8 hours.
    await page.goto(`${server.url}/settings/sla`);
    await page.getByLabel('Name').fill('Standard');
    await page.getByLabel('First response', { exact: true }).fill('60');
    await page.getByRole('button', { name: 'Create policy' }).click();
    const policy = page.getByTestId('sla-policy-row').filter({ hasText: 'Standard' });
    await policy.getByRole('cell', { name: '60 min' }).waitFor();
    await policy.getByRole('cell', { name: '8 h' }).waitFor();
    await settingsScreenshot(page, 'SLA policies', 'settings-sla');
    await expectAccessible(page, 'SLA policy settings');

    // An automation: when a ticket is created with "refund" in its subject, set priority urgent and tag it.
    await page.goto(`${server.url}/settings/automations`);
    await page.getByLabel('Name').fill('Refunds are urgent');
    await page.getByLabel('Subject contains').fill('refund');
    await choose(page, 'Action 1: priority', 'urgent');
    await page.getByRole('button', { name: 'Add action' }).click();
    await page.getByLabel('Action 2: tag').fill('refund');
    await page.getByRole('button', { name: 'Test against last week' }).click();
    const result = page.getByTestId('rule-test-result');
    await result.getByText('1 match since').waitFor();
    await result.getByRole('link', { name: `#${earlier.body.number} Refund for a late parcel` }).waitFor();
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-automations-test');
    await page.getByRole('button', { name: 'Create rule' }).click();
    const row = page.getByTestId('rule-row').filter({ hasText: 'Refunds are urgent' });
    await row.getByText('When a ticket is created and subject contains “refund”, then set priority urgent; add tag refund.').waitFor();
    await expect.poll(() => row.getByRole('switch', { name: 'Refunds are urgent enabled' }).isChecked()).toBe(true);
    await settingsScreenshot(page, 'Automations', 'settings-automations');
    await expectAccessible(page, 'automation settings');

    // Routing and playbooks: the method is kept, an agent's capacity and skills saved, a checklist created.
    await page.goto(`${server.url}/settings/routing`);
    await page.getByRole('radio', { name: 'By load' }).click();
    await expect.poll(() => page.getByRole('radio', { name: 'By load' }).isChecked()).toBe(true);
    await expect.poll(async () => (await owner.get('/api/v1/routing/settings')).body.method).toBe('load');
    const agent = page.getByTestId('agent-row').filter({ hasText: 'Olivia Owner' });
    await agent.getByRole('switch', { name: 'Olivia Owner is available' }).check({ force: true });
    await agent.getByLabel("Olivia Owner's capacity").fill('12');
    await agent.getByLabel("Olivia Owner's skills").fill('language:fr');
    await agent.getByLabel("Olivia Owner's skills").press('Enter');
    await agent.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await owner.get('/api/v1/routing/availability')).body.items).toMatchObject([{ available: true, capacity: 12, skills: ['language:fr'] }]);
    await settingsScreenshot(page, 'Routing', 'settings-routing');
    await expectAccessible(page, 'routing settings');
    // Routing by load would assign the next ticket to Olivia, which the timeline check below does not need.
    await page.getByRole('radio', { name: 'Off' }).click();
    await expect.poll(async () => (await owner.get('/api/v1/routing/settings')).body.method).toBe('off');

    await page.goto(`${server.url}/settings/playbooks`);
    await page.getByLabel('Name').fill('Refund a damaged order');
    await page.getByLabel('Step 1', { exact: true }).fill('Check the photo of the damage');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Step 2', { exact: true }).fill('Issue the refund');
    await page.getByTestId('playbook-step').nth(1).getByLabel('Required').check();
    await page.getByRole('button', { name: 'Create playbook' }).click();
    await page.getByTestId('playbook').filter({ hasText: 'Refund a damaged order' }).getByText('required').waitFor();
    await settingsScreenshot(page, 'Playbooks', 'settings-playbooks');
    await expectAccessible(page, 'playbook settings');

    // Ticket types: one that gives that playbook to every ticket of the type.
    await page.goto(`${server.url}/settings/ticket-types`);
    await page.getByLabel('Name').fill('Damaged order');
    await expect.poll(() => page.getByRole('textbox', { name: 'Key' }).inputValue()).toBe('damaged-order');
    await choose(page, 'Playbook', 'Refund a damaged order');
    await page.getByRole('button', { name: 'Create type' }).click();
    await page.getByTestId('ticket-type').filter({ hasText: 'Damaged order' }).getByText('Refund a damaged order').waitFor();
    await settingsScreenshot(page, 'Ticket types', 'settings-ticket-types');
    await expectAccessible(page, 'ticket type settings');

    // A new ticket: the SLA countdown shows on its page, and the rule's actions appear on its timeline.
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Refund for a broken kettle', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'The kettle arrived broken.' } });
    expect(ticket.status).toBe(201);
    await page.goto(`${server.url}/tickets/${ticket.body.id}`);
    await page.getByLabel('SLA: Standard').getByText(/^First response: (59 min|60 min|1 h) left$/).waitFor();
    await page.getByLabel('SLA: Standard').getByText(/^Resolution: [\d.]+ (min|h|d) left$/).waitFor();
    const timeline = page.getByTestId('timeline-event');
    await timeline.filter({ hasText: 'Raving set the priority to urgent' }).waitFor();
    await timeline.filter({ hasText: 'Raving changed the tags' }).waitFor();
    await timeline.filter({ hasText: 'Rule “Refunds are urgent” applied: set priority' }).waitFor();
    await screenshot(page, 'ticket-sla-automation');
    // The type, set in the properties panel, brings its checklist; a step is ticked there.
    await choose(page, 'Type', 'Damaged order');
    const checklist = page.getByTestId('checklist').filter({ hasText: 'Refund a damaged order' });
    await checklist.getByText('Issue the refund').waitFor();
    await timeline.filter({ hasText: 'set the type to damaged-order' }).waitFor();
    // Ticked once the server has it (the box shows the saved state).
    await checklist.getByRole('checkbox', { name: 'Check the photo of the damage' }).click();
    await expect.poll(async () => (await owner.get(`/api/v1/tickets/${ticket.body.id}/playbooks`)).body.items[0].steps.map((step: { done: boolean }) => step.done)).toEqual([true, false]);
    expect((await owner.get('/api/v1/tickets?type=damaged-order')).body.items.map((item: { id: string }) => item.id)).toEqual([ticket.body.id]);
    await expect.poll(() => checklist.getByRole('checkbox', { name: 'Check the photo of the damage' }).isChecked()).toBe(true);
    await screenshot(page, 'ticket-type-checklist');
    await expectAccessible(page, 'ticket with a type and its checklist');
    const events = await owner.get(`/api/v1/tickets/${ticket.body.id}/events`);
    const applied = events.body.items.filter((event: { type: string }) => event.type === 'automation.action_applied');
    expect(applied.map((event: { payload: { ruleName: string; action: { type: string } } }) => [event.payload.ruleName, event.payload.action.type])).toEqual([
      ['Refunds are urgent', 'set_priority'],
      ['Refunds are urgent', 'add_tag'],
    ]);

    // Order and enable from the list: a second rule moved above the first, then the first switched off.
    const second = await owner.post('/api/v1/automations', { name: 'Tag chat tickets', trigger: 'ticket.created', conditions: { channels: ['chat'] }, actions: [{ type: 'add_tag', tag: 'chat' }] });
    expect(second.status).toBe(201);
    await page.goto(`${server.url}/settings/automations`);
    await page.getByRole('button', { name: 'Move Tag chat tickets up' }).click();
    await expect.poll(async () => (await owner.get('/api/v1/automations')).body.items.map((rule: { name: string }) => rule.name)).toEqual(['Tag chat tickets', 'Refunds are urgent']);
    await page.getByTestId('rule-row').first().getByText('Tag chat tickets').waitFor();
    await page.getByRole('switch', { name: 'Refunds are urgent enabled' }).click({ force: true });
    await expect.poll(async () => (await owner.get('/api/v1/automations')).body.items.map((rule: { isActive: boolean }) => rule.isActive)).toEqual([true, false]);

    // The report per agent, week by week under each agent.
    await page.goto(`${server.url}/reports/consistency`);
    await page.locator('label', { hasText: /^Agent$/ }).click();
    await page.getByRole('cell', { name: /^Unassigned, week of \d{4}-\d{2}-\d{2}$/ }).waitFor();
    await screenshot(page, 'consistency-by-agent-weekly');
    await expectAccessible(page, 'consistency report per agent and week');

    // 4xx answers are expected (the session check before sign-in, the refused calendar); scripts must not fail.
    expect(consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });
});
