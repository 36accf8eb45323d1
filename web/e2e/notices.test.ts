import { describe, expect, it } from 'vitest';
import { addStaff } from '../../server/test/client.js';
import { openPage, signIn, useBrowserTestServer } from './browser.js';

describe('app-wide notices: only the screen a notice is for reads its details', () => {
  const env = useBrowserTestServer();

  it("a rule's notification reaches the named agent; a colleague's screen neither shows it nor fetches the ticket's events", async () => {
    const { staffId: agentId } = await addStaff(env.owner, 'agent@acme.example', 'agent', 'Alex Agent');
    const rule = await env.owner.post('/api/v1/automations', { name: 'Parcels to Alex', trigger: 'ticket.created', conditions: { subjectContains: 'parcel' }, actions: [{ type: 'notify_staff', staffIds: [agentId], message: 'A parcel question came in' }] });
    expect(rule.status).toBe(201);

    const agent = await openPage(env.browser);
    await signIn(agent.page, env.server.url, 'agent@acme.example');
    const colleague = await openPage(env.browser);
    await signIn(colleague.page, env.server.url);
    // The sign-in page's session probe answers 401 by design; from here on nothing may fail.
    agent.consoleErrors.length = 0;
    colleague.consoleErrors.length = 0;
    const fetchedByColleague: string[] = [];
    colleague.page.on('request', (request) => fetchedByColleague.push(new URL(request.url()).pathname));
    const fetchedByAgent: string[] = [];
    agent.page.on('request', (request) => fetchedByAgent.push(new URL(request.url()).pathname));

    const ticket = await env.owner.post('/api/v1/tickets', { subject: 'Where is my parcel?', customer: { email: 'sam@example.com' }, message: { text: 'Late.' } });
    await env.server.worker.drain();
    await agent.page.getByTestId('notice').filter({ hasText: 'A parcel question came in' }).getByText('#1 Where is my parcel?').waitFor();
    expect(fetchedByAgent).toContain(`/api/v1/tickets/${ticket.body.id}/events`);
    // The colleague's inbox refreshed for the new ticket (so its socket heard the events), yet read no timeline.
    await colleague.page.getByTestId('ticket-row').filter({ hasText: 'Where is my parcel?' }).waitFor();
    await colleague.page.waitForTimeout(500);
    expect(fetchedByColleague.filter((path) => path.endsWith('/events'))).toEqual([]);
    expect(await colleague.page.getByTestId('notice').count()).toBe(0);
    expect([...agent.consoleErrors, ...colleague.consoleErrors]).toEqual([]);
    await agent.context.close();
    await colleague.context.close();
  });
});
