import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { ApiClient, ownerPassword, setUpWorkspace } from '../../../test/client.js';

describeEachDialect('the feedback inbox', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let workspaceId: string;
  let other: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner, workspaceId } = await setUpWorkspace(server.url));
    const otherWorkspace = await owner.post('/api/v1/workspaces', { name: 'Other' });
    other = new ApiClient(server.url);
    await other.post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: ownerPassword, workspaceId: otherWorkspace.body.id });
  });
  afterAll(() => server.close());

  const ticketFor = async (client: ApiClient, subject: string) => {
    const created = await client.post('/api/v1/tickets', { subject, customer: { email: 'dana@example.com' }, message: { text: 'Hello' } });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, number: created.body.number as number };
  };
  const recordItem = (ticketId: string | null, text: string) =>
    server.database.handle.db
      .insertInto('feedback_items')
      .values({ id: randomUUID(), workspace_id: workspaceId, source: 'complaint', source_id: randomUUID(), source_key: randomUUID(), customer_id: null, ticket_id: ticketId, text, sentiment: -0.5, sentiment_label: 'negative', created_at: new Date().toISOString() })
      .execute();

  it("names each item's ticket by number and subject, and never a ticket of another workspace", async () => {
    const ticket = await ticketFor(owner, 'Lost parcel');
    const foreign = await ticketFor(other, 'Secret subject elsewhere');
    await recordItem(ticket.id, 'Where is my parcel?');
    await recordItem(null, 'No ticket for this one.');
    // Not reachable through the API; proves the join itself is bound to the caller's workspace.
    await recordItem(foreign.id, 'Points at a ticket of another workspace.');
    const items = (await owner.get('/api/v1/feedback?source=complaint')).body.items as Array<{ text: string; ticketId: string | null; ticket: unknown }>;
    const byText = (text: string) => items.find((item) => item.text === text);
    expect(byText('Where is my parcel?')).toMatchObject({ ticketId: ticket.id, ticket: { number: ticket.number, subject: 'Lost parcel' } });
    expect(byText('No ticket for this one.')).toMatchObject({ ticketId: null, ticket: null });
    expect(byText('Points at a ticket of another workspace.')).toMatchObject({ ticket: null });
    expect(JSON.stringify(items)).not.toContain('Secret subject elsewhere');
  });
});
