import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { addStaff, setUpWorkspace } from '../../server/test/client.js';
import { launchBrowser, openPage, screenshot, signIn } from './browser.js';

// SQLite only, like the other browser tests: the limits themselves are tested on both dialects.
describe('empowerment in the browser: grant within limit while replying; an exception approved live', () => {
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

  it('grants in one step, and the manager approves an exception the agent sees without a reload', async () => {
    const { owner } = await setUpWorkspace(server.url);
    const { client: agentApi, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent', 'Alex Agent');
    await addStaff(owner, 'manager@acme.example', 'manager', 'Mina Manager');
    const ticket = await agentApi.post('/api/v1/tickets', { subject: 'Kettle leaks', customer: { email: 'maya@example.com', name: 'Maya Patel' }, message: { text: 'My kettle leaks.' } });
    expect(ticket.status).toBe(201);

    const agent = await openPage(browser);
    // Two browsers and a server on two shared cores: be patient, not flaky.
    agent.page.setDefaultTimeout(20_000);
    await signIn(agent.page, server.url, 'agent@acme.example');
    // The remedy controls sit under the ticket page's reply composer.
    await agent.page.goto(`${server.url}/tickets/${ticket.body.id}`);
    await agent.page.getByTestId('remedy-toggle').click();
    await agent.page.getByTestId('remedy-limit').filter({ hasText: '$100' }).waitFor();

    // Within the limit: one click grants the refund and sends the reply.
    await agent.page.getByLabel('Reply to the customer').fill('I have refunded your kettle; it should reach you within 3 days.');
    await agent.page.getByLabel('Value', { exact: true }).fill('40');
    await agent.page.getByTestId('grant-and-send').click();
    await agent.page.getByRole('status').filter({ hasText: 'Granted: refund $40' }).waitFor();
    const messages = await agentApi.get(`/api/v1/tickets/${ticket.body.id}/messages`);
    expect(messages.body.items.map((message: { kind: string; text: string }) => [message.kind, message.text])).toContainEqual(['outbound', 'I have refunded your kettle; it should reach you within 3 days.']);
    expect((await agentApi.get(`/api/v1/tickets/${ticket.body.id}/remedies`)).body.items).toMatchObject([{ type: 'refund', value: 40, status: 'granted' }]);

    // Above the limit: it becomes an exception request, and the reply written with it waits for the decision.
    const heldReply = 'A new kettle is on its way by express delivery.';
    await agent.page.getByLabel('Reply to the customer').fill(heldReply);
    await agent.page.getByLabel('Value', { exact: true }).fill('250');
    await agent.page.getByLabel('Note', { exact: true }).fill('New kettle, express');
    await agent.page.getByRole('button', { name: 'Ask a manager, reply when approved' }).click();
    await agent.page.getByRole('status').filter({ hasText: 'Sent to a manager for approval with your reply' }).waitFor();
    await agent.page.getByTestId('remedy-list').getByText('awaiting approval').waitFor();
    await agent.page.getByTestId('remedy-list').getByText('reply waits for approval').waitFor();
    expect(await agent.page.getByLabel('Reply to the customer').inputValue()).toBe('');
    expect((await agentApi.get(`/api/v1/tickets/${ticket.body.id}/messages`)).body.items.map((message: { text: string }) => message.text)).not.toContain(heldReply);
    await screenshot(agent.page, 'ticket-remedy-waiting');

    // The manager, in another browser context, approves it with a reason.
    const manager = await openPage(browser);
    manager.page.setDefaultTimeout(20_000);
    await signIn(manager.page, server.url, 'manager@acme.example');
    await manager.page.goto(`${server.url}/approvals`);
    const card = manager.page.getByTestId('approval-card').filter({ hasText: 'Kettle leaks' });
    await card.waitFor();
    await card.getByTestId('held-reply').getByText(heldReply, { exact: false }).waitFor();
    await card.getByText('Asked by Alex Agent').waitFor();
    await card.getByLabel(/Reason/).fill('Third failure: replace it');
    await screenshot(manager.page, 'approvals-queue');
    await card.getByRole('button', { name: 'Approve' }).click();
    await manager.page.getByTestId('approvals-empty').waitFor();
    await screenshot(manager.page, 'approvals');

    // The agent sees the decision live, with the manager's reason.
    await agent.page.getByTestId('remedy-list').getByText('“Third failure: replace it”').waitFor({ timeout: 5000 });
    // The agent is told wherever they are in the app: an app-wide notice names the decision and links to the ticket.
    const notice = agent.page.getByTestId('notice').filter({ hasText: 'Your exception was approved' });
    await notice.getByText('#1 Kettle leaks. “Third failure: replace it”', { exact: false }).waitFor();
    await screenshot(agent.page, 'notice-exception-approved');
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();
    await notice.waitFor({ state: 'detached' });
    await agent.page.getByTestId('remedy-list').getByText('granted').nth(1).waitFor();
    // The held reply went out with the approval and shows in the conversation without a reload.
    await agent.page.getByTestId('remedy-list').getByText('reply sent on approval').waitFor({ timeout: 5000 });
    await agent.page.getByText(heldReply).first().waitFor({ timeout: 5000 });
    // Both remedies now count in the customer's cost to serve, shown live beside them.
    await agent.page.getByLabel('Customer value').getByText('$290').first().waitFor({ timeout: 5000 });
    await screenshot(agent.page, 'remedies');
    await agent.page.getByTestId('remedy-list').scrollIntoViewIfNeeded();
    await screenshot(agent.page, 'remedies-decided');
    // The explicit escalation, with its reason, is recorded on the ticket.
    await agent.page.getByLabel('Escalate to a manager').fill('Customer asks for the head of service');
    await agent.page.getByRole('button', { name: 'Escalate' }).click();
    await agent.page.getByRole('status').filter({ hasText: 'Escalated' }).waitFor();
    expect((await agentApi.get(`/api/v1/tickets/${ticket.body.id}/escalations`)).body.items).toMatchObject([{ reason: 'Customer asks for the head of service', staffId: agentId }]);
    // Leaving the ticket records the time the agent had it open as handle time (cost to serve).
    await agent.page.getByRole('link', { name: 'Customers' }).click();
    await expect.poll(async () => (await agentApi.get(`/api/v1/customers/${ticket.body.customer.id}/value`)).body.handleSeconds, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    // Alex resolves this ticket (it needed an approval) and another one alone: 1 of 2 empowered, 50%.
    // A rule that asks for Alex reaches Alex on whatever page is open, linking to the ticket.
    expect((await owner.post('/api/v1/automations', { name: 'Parcels to Alex', trigger: 'ticket.created', conditions: { subjectContains: 'parcel' }, actions: [{ type: 'notify_staff', staffIds: [agentId], message: 'A parcel question came in' }] })).status).toBe(201);
    const alone = await agentApi.post('/api/v1/tickets', { subject: 'Where is my parcel?', customer: { email: 'sam@example.com' }, message: { text: 'Late.' }, assigneeId: agentId });
    await server.worker.drain();
    const ruleNotice = agent.page.getByTestId('notice').filter({ hasText: 'A parcel question came in' });
    await ruleNotice.getByText('#2 Where is my parcel?').waitFor();
    await screenshot(agent.page, 'notice-rule');
    await ruleNotice.getByRole('link', { name: 'Open the ticket' }).click();
    await agent.page.getByRole('heading', { name: 'Where is my parcel?' }).waitFor();
    expect(await agent.page.getByTestId('notice').count()).toBe(0);
    for (const id of [ticket.body.id, alone.body.id]) expect((await agentApi.patch(`/api/v1/tickets/${id}`, { assigneeId: agentId, status: 'solved' })).status).toBe(200);
    // The manager's report counts both remedies and the rate against the 95% line.
    await manager.page.goto(`${server.url}/reports/empowerment`);
    await manager.page.getByRole('button', { name: /Remedies granted: \$290/ }).waitFor();
    await manager.page.getByRole('button', { name: /Empowerment rate: 50%/ }).waitFor();
    await manager.page.getByRole('button', { name: /Escalations: 1/ }).waitFor();
    await manager.page.getByRole('table', { name: 'Empowerment by group' }).getByRole('row', { name: /Alex Agent/ }).getByText('50%').waitFor();
    await manager.page.getByLabel('Cost to serve against lifetime value').getByText('Best customers').first().waitFor();
    await manager.page.getByLabel('Customers to review').waitFor();
    await screenshot(manager.page, 'empowerment-report');
    await manager.page.setViewportSize({ width: 1280, height: 2200 });
    await screenshot(manager.page, 'empowerment-report-full');

    // Limits are set on the settings page, where customer values are imported too.
    await manager.page.goto(`${server.url}/settings/empowerment`);
    await manager.page.getByLabel('agent limit per remedy').fill('150');
    await manager.page.getByRole('button', { name: 'Save' }).click();
    await manager.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await agentApi.get('/api/v1/empowerment/settings')).body.limits.roles.agent).toEqual({ perRemedy: 150, perMonth: 1000 });
    // One person's limits replace the role's: start from the role's, raise one.
    await manager.page.getByPlaceholder('Set limits for…').click();
    await manager.page.getByRole('option', { name: 'Alex Agent' }).click();
    await manager.page.getByLabel('Alex Agent limit per remedy').fill('300');
    await manager.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await agentApi.get('/api/v1/empowerment/settings')).body.limits.agents[agentId], { timeout: 10_000 }).toEqual({ perRemedy: 300, perMonth: 1000 });
    await manager.page.locator('input[type=file]').setInputFiles({ name: 'values.csv', mimeType: 'text/csv', buffer: Buffer.from('email,name,revenue to date,orders\r\nmaya@example.com,Maya Patel,5000,12\r\nnot-an-email,X,1,1\r\n') });
    await manager.page.getByRole('button', { name: 'Import' }).click();
    await manager.page.getByRole('status').filter({ hasText: '2 rows: 0 new customers, 1 updated, 0 unchanged' }).getByText('Line 3: email is missing or not an email address').waitFor();
    await screenshot(manager.page, 'empowerment-settings');

    // Refused requests (the session probe before sign-in) log as 4xx; anything else is a bug.
    expect(agent.consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
    expect(manager.consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });
});
