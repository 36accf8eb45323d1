import { expect, it } from 'vitest';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, ApiClient, ownerPassword } from '../../../test/client.js';
import { backfillWaitingSince } from '../../db/migrations/2026-12-03T1000-ticket-waiting-since.js';

/** What the inbox needs beyond the list: since when a customer waits, and exact counts per view. */
describeEachDialect('tickets: waiting since and view counts', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));

  const messagesOf = async (ticketId: string) => (await owner.get(`/api/v1/tickets/${ticketId}/messages`)).body.items as Array<{ id: string; createdAt: string }>;
  const lastMessageAt = async (ticketId: string) => (await messagesOf(ticketId)).at(-1)!.createdAt;
  const say = (ticketId: string, kind: 'inbound' | 'reply' | 'note', extra: Record<string, unknown> = {}) => owner.post(`/api/v1/tickets/${ticketId}/messages`, { kind, text: `${kind} text`, ...extra });
  /** The ticket as both the detail and the list show it, which must agree. */
  async function waitingSince(ticketId: string, tag: string): Promise<string | null> {
    const detail = await owner.get(`/api/v1/tickets/${ticketId}`);
    const list = await owner.get(`/api/v1/tickets?tag=${tag}&limit=200`);
    const listed = list.body.items.find((ticket: { id: string }) => ticket.id === ticketId);
    expect(listed.waitingSince).toBe(detail.body.waitingSince);
    return detail.body.waitingSince;
  }

  it('waits from the first unanswered customer message: notes keep the wait, a reply ends it, the next message starts it again', async () => {
    const created = await owner.post('/api/v1/tickets', { subject: 'Broken zip', customer: { email: 'wait@example.com' }, message: { text: 'The zip is broken' }, tags: ['waiting'] });
    expect(created.status).toBe(201);
    const firstAt = await lastMessageAt(created.body.id);
    expect(created.body.waitingSince).toBe(firstAt);
    expect(await waitingSince(created.body.id, 'waiting')).toBe(firstAt);

    expect((await say(created.body.id, 'note')).body.ticket.waitingSince).toBe(firstAt);
    expect((await say(created.body.id, 'inbound')).body.ticket.waitingSince).toBe(firstAt);

    const reply = await say(created.body.id, 'reply');
    expect(reply.body.ticket.waitingSince).toBeNull();
    expect(await waitingSince(created.body.id, 'waiting')).toBeNull();
    expect((await say(created.body.id, 'note')).body.ticket.waitingSince).toBeNull();

    const again = await say(created.body.id, 'inbound');
    expect(again.body.ticket.waitingSince).toBe(again.body.message.createdAt);
    expect(again.body.ticket.waitingSince > firstAt).toBe(true);
    expect(await waitingSince(created.body.id, 'waiting')).toBe(again.body.message.createdAt);
  });

  it('nobody waits on a solved ticket; a customer writing again reopens it and waits from that message', async () => {
    const created = await owner.post('/api/v1/tickets', { subject: 'Solve me', customer: { email: 'solved@example.com' }, message: { text: 'Help' }, tags: ['waiting'] });
    const solved = await owner.patch(`/api/v1/tickets/${created.body.id}`, { status: 'solved' });
    expect(solved.body).toMatchObject({ statusCategory: 'solved', waitingSince: null });
    const answer = await say(created.body.id, 'inbound');
    expect(answer.body.ticket).toMatchObject({ statusCategory: 'open', waitingSince: answer.body.message.createdAt });
  });

  it('reopening a ticket solved without an answer shows the customer still waiting on their message', async () => {
    const created = await owner.post('/api/v1/tickets', { subject: 'Never answered', customer: { email: 'reopen@example.com' }, message: { text: 'Anyone?' }, tags: ['waiting'] });
    await owner.patch(`/api/v1/tickets/${created.body.id}`, { status: 'solved' });
    const reopened = await owner.patch(`/api/v1/tickets/${created.body.id}`, { status: 'open' });
    expect(reopened.body.waitingSince).toBe(created.body.waitingSince);
  });

  it('a ticket the agent opens with a reply, with no message, or created solved keeps nobody waiting', async () => {
    const outbound = await owner.post('/api/v1/tickets', { subject: 'We reach out', customer: { email: 'out@example.com' }, message: { kind: 'outbound', text: 'Your order shipped' } });
    expect(outbound.body.waitingSince).toBeNull();
    const empty = await owner.post('/api/v1/tickets', { subject: 'Phone call', customer: { email: 'call@example.com' } });
    expect(empty.body.waitingSince).toBeNull();
    const imported = await owner.post('/api/v1/tickets', { subject: 'Old conversation', customer: { email: 'old@example.com' }, message: { text: 'Thanks, all good' }, status: 'solved' });
    expect(imported.body).toMatchObject({ statusCategory: 'solved', waitingSince: null });
    expect((await owner.get(`/api/v1/tickets/${imported.body.id}`)).body.waitingSince).toBeNull();
  });

  it("merging brings the source's waiting customer to the target", async () => {
    const target = await owner.post('/api/v1/tickets', { subject: 'First mail', customer: { email: 'merge@example.com' }, message: { text: 'Hello' } });
    await say(target.body.id, 'reply');
    const source = await owner.post('/api/v1/tickets', { subject: 'Second mail', customer: { email: 'merge@example.com' }, message: { text: 'Me again' } });
    const merged = await owner.post(`/api/v1/tickets/${source.body.id}/merge`, { targetTicketId: target.body.id });
    expect(merged.body.waitingSince).toBe(source.body.waitingSince);
    expect((await owner.get(`/api/v1/tickets/${source.body.id}`)).body.waitingSince).toBeNull();
  });

  it('sort=waitingSince pages the longest-waiting customers first, tickets nobody waits on last, each ticket once', async () => {
    const ids: string[] = [];
    for (const [index, kind] of ['inbound', 'inbound', 'outbound', 'inbound', 'outbound'].entries()) {
      const created = await owner.post('/api/v1/tickets', { subject: `Queue ${index}`, customer: { email: `queue${index}@example.com` }, message: { kind, text: 'Hi' }, tags: ['queue'] });
      ids.push(created.body.id);
    }
    // The first customer answered and wrote again: now the newest wait, behind the others.
    await say(ids[0]!, 'reply');
    await say(ids[0]!, 'inbound');
    const seen: Array<{ id: string; waitingSince: string | null }> = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: typeof seen; nextCursor: string | null } } = await owner.get(`/api/v1/tickets?tag=queue&sort=waitingSince&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 3).map((ticket) => ticket.id)).toEqual([ids[1], ids[3], ids[0]]);
    expect(new Set(seen.slice(3).map((ticket) => ticket.id))).toEqual(new Set([ids[2], ids[4]]));
    expect(seen.slice(3).every((ticket) => ticket.waitingSince === null)).toBe(true);
  });

  it('the migration backfills existing tickets as the messages have kept them', async () => {
    const { db } = server.context.database;
    const kept = await db.selectFrom('tickets').select(['id', 'subject', 'waiting_since']).orderBy('id').execute();
    expect(kept.filter((ticket) => ticket.waiting_since !== null).length).toBeGreaterThanOrEqual(4);
    await db.updateTable('tickets').set({ waiting_since: null }).execute();
    await backfillWaitingSince(db);
    const backfilled = await db.selectFrom('tickets').select(['id', 'subject', 'waiting_since']).orderBy('id').execute();
    // The one known difference: history cannot tell that a solve ended the wait on the never-answered
    // first message, so the backfill waits from that message rather than from the customer's later one.
    const solveMe = (rows: typeof kept) => rows.filter((ticket) => ticket.subject !== 'Solve me');
    expect(solveMe(backfilled)).toEqual(solveMe(kept));
  });

  it('counts each view exactly, only in the caller\'s workspace, and refuses bad filters with a 400', async () => {
    // A fresh workspace of hand-counted tickets; the tickets of the tests above are in the first one.
    const workspace = await owner.post('/api/v1/workspaces', { name: 'Counted' });
    expect(workspace.status).toBe(201);
    const counted = new ApiClient(server.url);
    await counted.post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: ownerPassword, workspaceId: workspace.body.id });
    const me = (await counted.get('/api/v1/auth/session')).body.workspace.staffId as string;
    const { staffId: colleague } = await addStaff(counted, 'colleague@counted.example', 'agent');
    const make = async (fields: Record<string, unknown>) => (await counted.post('/api/v1/tickets', { subject: 'Counted', customer: { email: 'c@example.com' }, ...fields })).body;
    await make({}); // new, unassigned
    await make({ assigneeId: me }); // new, mine
    await make({ assigneeId: colleague, status: 'open' }); // open, the colleague's
    await make({ assigneeId: me, status: 'pending' }); // pending, mine
    await make({ assigneeId: me, status: 'on_hold' }); // on hold, mine
    await make({ status: 'solved' }); // solved, unassigned
    await make({ status: 'closed', assigneeId: colleague }); // closed
    await make({ priority: 'urgent', tags: ['vip'] }); // new, unassigned, urgent vip
    await make({ priority: 'urgent', tags: ['vip'], status: 'solved' }); // solved urgent vip

    const count = async (filters: string) => {
      const response = await counted.get(`/api/v1/tickets/count?${filters}`);
      expect(response.status).toBe(200);
      return response.body.count as number;
    };
    expect(await count('assigneeId=me&statusCategory=new,open,pending,on_hold')).toBe(3);
    expect(await count('assigneeId=none&statusCategory=new,open')).toBe(2);
    expect(await count('statusCategory=new,open')).toBe(4);
    expect(await count('statusCategory=pending,on_hold')).toBe(2);
    expect(await count('statusCategory=solved,closed')).toBe(3);
    expect(await count('priority=urgent&tag=VIP')).toBe(2);
    expect(await count('priority=urgent&tag=vip&statusCategory=new,open')).toBe(1);
    expect(await count(`assigneeId=${colleague}`)).toBe(2);
    expect(await count('')).toBe(9);
    // The first workspace holds more tickets than this one; none of them is counted here, and none of these there.
    const first = (await owner.get('/api/v1/tickets/count')).body.count as number;
    expect(first).toBeGreaterThan(9);
    expect((await owner.get('/api/v1/tickets/count?tag=vip')).body.count).toBe(0);

    for (const bad of ['priority=extreme', 'statusCategory=' + 'x'.repeat(101), 'statusCategory=open,nope', 'limit=5', 'sort=number']) {
      const response = await counted.get(`/api/v1/tickets/count?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
