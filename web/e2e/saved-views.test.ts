import { describe, expect, it } from 'vitest';
import { addStaff } from '../../server/test/client.js';
import { expectAccessible, openPage, screenshot, signIn, useBrowserTestServer } from './browser.js';

describe('saved inbox views live on the server, per staff member, and managers share them', () => {
  const env = useBrowserTestServer();

  it('a manager saves a shared view, an agent sees it live with its count, keeps a private one across browsers, and loses the shared one when it is deleted', async () => {
    await addStaff(env.owner, 'agent@acme.example', 'agent', 'Ana Agent');
    const customer = { email: 'maya@example.com', name: 'Maya Patel' };
    await env.owner.post('/api/v1/tickets', { subject: 'Card charged twice', customer, priority: 'urgent', tags: ['billing'] });
    await env.owner.post('/api/v1/tickets', { subject: 'Refund please', customer, priority: 'urgent', tags: ['billing'] });
    await env.owner.post('/api/v1/tickets', { subject: 'Password help', customer, priority: 'low' });

    const manager = await openPage(env.browser);
    await signIn(manager.page, env.server.url);
    const agent = await openPage(env.browser);
    await signIn(agent.page, env.server.url, 'agent@acme.example');
    manager.consoleErrors.length = 0;
    agent.consoleErrors.length = 0;

    await manager.page.getByRole('button', { name: 'Save view…' }).click();
    await manager.page.getByRole('button', { name: 'Save', exact: true }).click();
    // Refused by the server, said next to the field.
    await manager.page.locator('input[aria-invalid="true"]').waitFor();
    // Chromium logs that refused request (400 by design); nothing else may fail.
    manager.consoleErrors.length = 0;
    await manager.page.getByLabel('Name').fill('Urgent billing');
    await manager.page.getByRole('textbox', { name: 'Tag' }).fill('Billing');
    await manager.page.getByLabel('Share with the workspace').check();
    await manager.page.getByRole('button', { name: 'Save', exact: true }).click();
    await manager.page.getByRole('heading', { name: 'Urgent billing' }).waitFor();
    await manager.page.getByTestId('view-count').filter({ hasText: /^2$/ }).waitFor();
    const views = (await env.owner.get('/api/v1/views')).body.items;
    expect(views).toEqual([expect.objectContaining({ name: 'Urgent billing', shared: true, filters: { statusCategory: 'new,open', tag: 'billing' } })]);
    const sharedId = views[0].id;
    expect(await manager.page.evaluate(() => localStorage.getItem('raving-custom-views'))).toBeNull();

    // The agent's screen learns of the shared view over the socket, with its count, but may not delete it.
    const sharedLink = agent.page.getByTestId(`view-${sharedId}`);
    await sharedLink.getByText('2', { exact: true }).waitFor({ timeout: 5000 });
    await sharedLink.click();
    await agent.page.getByRole('heading', { name: 'Urgent billing' }).waitFor();
    await agent.page.getByTestId('ticket-row').filter({ hasText: 'Refund please' }).waitFor();
    expect(await agent.page.getByRole('button', { name: 'Delete view' }).count()).toBe(0);
    expect(await agent.page.getByLabel('Share with the workspace').count()).toBe(0);
    await screenshot(agent.page, 'inbox-shared-view');
    await expectAccessible(agent.page, 'inbox with a shared view');

    // An agent's own view: private, and still there in a fresh browser (nothing kept in localStorage).
    await agent.page.getByRole('link', { name: /All open/ }).click();
    await agent.page.getByRole('button', { name: 'Save view…' }).click();
    await agent.page.getByLabel('Name').fill('Low ones');
    await agent.page.getByRole('combobox', { name: 'Priority' }).click();
    await agent.page.getByRole('option', { name: 'low' }).click();
    await agent.page.getByRole('button', { name: 'Save', exact: true }).click();
    await agent.page.getByRole('heading', { name: 'Low ones' }).waitFor();
    await agent.page.getByTestId('ticket-row').filter({ hasText: 'Password help' }).waitFor();
    const elsewhere = await openPage(env.browser);
    await signIn(elsewhere.page, env.server.url, 'agent@acme.example');
    await elsewhere.page.getByRole('link', { name: /Low ones/ }).getByText('1', { exact: true }).waitFor();
    await elsewhere.context.close();
    await manager.page.reload();
    await manager.page.getByRole('heading', { name: 'Urgent billing' }).waitFor();
    expect(await manager.page.getByRole('link', { name: /Low ones/ }).count()).toBe(0);

    // A new urgent billing ticket raises the shared view's count on both screens.
    await env.owner.post('/api/v1/tickets', { subject: 'Invoice missing', customer, priority: 'urgent', tags: ['billing'] });
    await sharedLink.getByText('3', { exact: true }).waitFor({ timeout: 5000 });

    await manager.page.getByRole('button', { name: 'Delete view' }).click();
    await manager.page.getByRole('heading', { name: 'All open' }).waitFor();
    await sharedLink.waitFor({ state: 'detached', timeout: 5000 });
    expect([...manager.consoleErrors, ...agent.consoleErrors]).toEqual([]);
    await manager.context.close();
    await agent.context.close();
  });

  it('a saved view keeps the order it was saved in, and its owner can keep another one', async () => {
    const customer = { email: 'lee@example.com', name: 'Lee Park' };
    for (const subject of ['First in line', 'Second in line', 'Third in line']) await env.owner.post('/api/v1/tickets', { subject, customer, tags: ['ordering'] });
    const { page, context, consoleErrors } = await openPage(env.browser);
    await signIn(page, env.server.url);
    // The sign-in page's session check answers 401 by design.
    consoleErrors.length = 0;
    const subjects = () => page.getByTestId('ticket-row').filter({ hasText: 'in line' }).locator('.ticket-subject').allTextContents();
    const sortBox = page.getByRole('combobox', { name: 'Sort tickets' });

    await sortBox.click();
    await page.getByRole('option', { name: 'Oldest', exact: true }).click();
    await page.getByRole('button', { name: 'Save view…' }).click();
    await page.getByText('sorted “Oldest”').waitFor();
    await page.getByLabel('Name').fill('Queue order');
    await page.getByRole('textbox', { name: 'Tag' }).fill('ordering');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Queue order' }).waitFor();
    await page.getByTestId('ticket-row').filter({ hasText: 'Third in line' }).waitFor();
    expect(await subjects()).toEqual(['First in line', 'Second in line', 'Third in line']);
    const [saved] = (await env.owner.get('/api/v1/views')).body.items.filter((view: { name: string }) => view.name === 'Queue order');
    expect(saved).toMatchObject({ sort: 'createdAt', filters: { tag: 'ordering' } });

    // Another view shows in its own order; coming back, the saved one is sorted as it was saved.
    await page.getByRole('link', { name: /All open/ }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();
    expect(await sortBox.inputValue()).toBe('Most urgent first');
    await page.getByTestId(`view-${saved.id}`).click();
    await page.getByRole('heading', { name: 'Queue order' }).waitFor();
    expect(await sortBox.inputValue()).toBe('Oldest');

    // Picking another order offers to keep it; kept, it survives a reload.
    expect(await page.getByRole('button', { name: 'Keep this order' }).count()).toBe(0);
    await sortBox.click();
    await page.getByRole('option', { name: 'Newest', exact: true }).click();
    await page.getByRole('button', { name: 'Keep this order' }).click();
    await page.getByRole('button', { name: 'Keep this order' }).waitFor({ state: 'detached' });
    expect((await env.owner.get(`/api/v1/views/${saved.id}`)).body.sort).toBe('-createdAt');
    await page.reload();
    await page.getByRole('heading', { name: 'Queue order' }).waitFor();
    await page.getByTestId('ticket-row').filter({ hasText: 'First in line' }).waitFor();
    expect(await sortBox.inputValue()).toBe('Newest');
    expect(await subjects()).toEqual(['Third in line', 'Second in line', 'First in line']);
    await screenshot(page, 'inbox-saved-view-order');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
