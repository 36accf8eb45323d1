import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDemoWorkspace, generateDemoData } from '../src/modules/demo/index.js';
import { ApiClient, setUpWorkspace } from './client.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';

/**
 * The demo generator writes tickets in bulk, bypassing the API, and takes their numbers from the
 * same allocator as the API (a counter on SQLite, a per-workspace sequence on PostgreSQL): tickets
 * created afterwards must continue the numbering, and the demo data must be searchable and listable.
 */
describeEachDialect('demo data', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  const tickets = 600;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const setup = await setUpWorkspace(server.url);
    owner = setup.owner;
    const session = await owner.get('/api/v1/auth/session');
    // More than one generator batch, so numbers are taken several times.
    await generateDemoData(server.database.handle, { workspaceId: setup.workspaceId, ownerStaffId: session.body.workspace.staffId, tickets, seed: 3 });
  });
  afterAll(() => server.close());

  it('numbers the demo tickets 1..n without gaps, and API tickets continue after them', async () => {
    const rows = await server.database.handle.db.selectFrom('tickets').select('number').execute();
    const numbers = rows.map((row) => Number(row.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: tickets }, (_, index) => index + 1));
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, index) => owner.post('/api/v1/tickets', { subject: `after the demo ${index}`, customer: { email: `after${index}@example.com` } })),
    );
    expect(created.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(created.map((response) => response.body.number as number).sort((a, b) => a - b)).toEqual([tickets + 1, tickets + 2, tickets + 3, tickets + 4, tickets + 5]);
  });

  it('serves the demo tickets through the list and search routes', async () => {
    const open = await owner.get('/api/v1/tickets?statusCategory=new,open&limit=50');
    expect(open.status).toBe(200);
    expect(open.body.items.length).toBeGreaterThan(0);
    const subject = String(open.body.items[0].subject);
    const word = subject.match(/\p{L}{4,}/u)![0];
    const found = await owner.get(`/api/v1/search?q=${encodeURIComponent(word)}`);
    expect(found.status).toBe(200);
    expect(found.body.items.length).toBeGreaterThan(0);
  });
});

/**
 * `npm start -- --demo` must show a living desk: every ticket of the demo workspace is lived through
 * the real services, so every report has figures of its own making, in the oldest weeks as in the
 * last. A smaller desk than the real demo (the same stories, fewer routine tickets) keeps the test
 * quick on both databases.
 */
describeEachDialect('demo desk', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  const since = new Date(Date.now() - 12 * 7 * 86_400_000).toISOString();
  const now = () => new Date(Date.now() + 60_000).toISOString();

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const demo = await ensureDemoWorkspace(server.app, server.context, { tickets: 110, customers: 40 });
    owner = new ApiClient(server.url);
    const signIn = await owner.post('/api/v1/auth/sign-in', { email: demo!.email, password: demo!.password });
    expect(signIn.status).toBe(200);
  }, 240_000);
  afterAll(() => server.close());

  it('makes no second demo once a workspace exists', async () => {
    expect(await ensureDemoWorkspace(server.app, server.context)).toBeNull();
  });

  it('reads a ticket a customer wrote as the customer\'s, and a phone ticket as the agent\'s who logged it', async () => {
    const creators = async (channel: string) => {
      const { body } = await owner.get(`/api/v1/tickets?channel=${channel}&statusCategory=solved&limit=5`);
      expect(body.items.length).toBeGreaterThan(0);
      return Promise.all(body.items.map(async (ticket: { id: string }) => (await owner.get(`/api/v1/tickets/${ticket.id}/events`)).body.items.find((event: { type: string }) => event.type === 'ticket.created').actor.type));
    };
    expect(new Set([...(await creators('email')), ...(await creators('web'))])).toEqual(new Set(['customer']));
    expect(new Set(await creators('phone'))).toEqual(new Set(['staff']));
  });

  it('gives the oldest tickets SLA clocks and feelings like the newest', async () => {
    const { body } = await owner.get('/api/v1/tickets?statusCategory=solved&sort=createdAt&limit=10');
    const oldest = body.items.filter((ticket: { createdAt: string }) => Date.parse(ticket.createdAt) < Date.now() - 8 * 7 * 86_400_000);
    expect(oldest.length).toBeGreaterThan(0);
    for (const ticket of oldest) {
      const sla = await owner.get(`/api/v1/tickets/${ticket.id}/sla`);
      expect(sla.body.targets.find((target: { metric: string }) => target.metric === 'first_response').status).toMatch(/met|breached/);
      expect((await owner.get(`/api/v1/tickets/${ticket.id}/feelings`)).body.latest).not.toBeNull();
    }
  });

  it('lists a few plausible pests: low value, frequent contact and remedies, not every small customer', async () => {
    const { body } = await owner.get('/api/v1/pests');
    expect(body.items.length).toBeGreaterThanOrEqual(1);
    expect(body.items.length).toBeLessThanOrEqual(3);
    for (const pest of body.items) {
      expect(pest.tickets).toBeGreaterThanOrEqual(5);
      expect(pest.remedies).toBeGreaterThanOrEqual(2);
    }
  });

  it('has business hours, SLA policies, automations and a playbook in the settings', async () => {
    expect((await owner.get('/api/v1/business-hours')).body.items.length).toBeGreaterThan(0);
    expect((await owner.get('/api/v1/sla-policies')).body.items.length).toBe(3);
    expect((await owner.get('/api/v1/automations')).body.items.length).toBeGreaterThanOrEqual(3);
    expect((await owner.get('/api/v1/playbooks')).body.items.length).toBeGreaterThan(0);
  });

  it('floats agitated customers to the top of the inbox in its default "most urgent first" order', async () => {
    const inbox = await owner.get('/api/v1/tickets?statusCategory=new,open&sort=urgency&limit=50');
    expect(inbox.status).toBe(200);
    const agitation = async (ticketId: string) => Number((await owner.get(`/api/v1/tickets/${ticketId}/feelings`)).body.latest?.agitation ?? 0);
    expect(await agitation(inbox.body.items[0].id)).toBeGreaterThanOrEqual(0.6);
  });

  it('fills the consistency report: SLA attainment, percentiles and tickets outside the standard', async () => {
    const report = await owner.get(`/api/v1/reports/consistency?from=${since}&to=${now()}&groupBy=week`);
    expect(report.status).toBe(200);
    expect(report.body.overall.tickets).toBeGreaterThan(100);
    expect(report.body.overall.firstResponseMinutes.p50).toBeGreaterThan(0);
    expect(JSON.stringify(report.body.overall.attainment)).toMatch(/\d/);
    expect(report.body.outsideStandard.length).toBeGreaterThan(0);
    expect(report.body.groups.length).toBeGreaterThanOrEqual(12);
  });

  it('fills the empowerment report: remedies, an approved and a pending exception, promises, escalations', async () => {
    const report = await owner.get(`/api/v1/reports/empowerment?from=${since}&to=${now()}&groupBy=week`);
    expect(report.status).toBe(200);
    expect(report.body.total.empowermentRate).toBeGreaterThan(0.8);
    expect(report.body.total.resolved.count).toBeGreaterThan(0);
    expect(report.body.total.escalations.count).toBeGreaterThanOrEqual(2);
    expect(report.body.total.remedies.count).toBeGreaterThan(3);
    const { approvals, promises } = report.body.total;
    expect([approvals.requested.count, approvals.approved.count, approvals.pending.count]).toEqual([2, 1, 1]);
    expect([promises.keptEarly.count, promises.broken.count]).toEqual([1, 1]);
    const pending = await owner.get('/api/v1/approvals');
    expect(pending.body.items.filter((item: { status: string }) => item.status === 'pending')).toHaveLength(1);
    const value = await owner.get('/api/v1/reports/customer-value');
    expect(value.body.costToServe).toBeGreaterThan(0);
    // A customer page shows what they bought, adding up to their lifetime value.
    const customer = (await owner.get('/api/v1/customers?limit=1')).body.items[0];
    const worth = (await owner.get(`/api/v1/customers/${customer.id}/value`)).body;
    expect(worth.revenueToDate).toBeGreaterThan(0);
    expect(worth.orders).toBeGreaterThan(0);
    expect(worth.revenueToDate + worth.expectedFutureValue).toBe(worth.lifetimeValue);
  });

  it('fills the moments report: misery and magic, recoveries recovered and open, a problem with a preventive action', async () => {
    const report = await owner.get(`/api/v1/reports/moments?from=${since}&to=${now()}`);
    expect(report.status).toBe(200);
    expect(report.body.weeks.length).toBeGreaterThanOrEqual(12);
    expect(report.body.recovery.recovered).toBeGreaterThan(0);
    expect(report.body.topRootCauses.length).toBeGreaterThan(0);
    const text = JSON.stringify(report.body.weeks);
    expect(text).toMatch(/misery/);
    expect(text).toMatch(/magic/);
    const open = await owner.get('/api/v1/recoveries?status=open');
    expect(open.body.items.length).toBeGreaterThan(0);
    const problems = await owner.get('/api/v1/problems');
    expect(JSON.stringify(problems.body)).toMatch(/second carrier/);
  });

  it('fills listening: CSAT, NPS and CES answers, reviews from two sources, a mystery shop, staff voice and a theme past the Three Times Rule', async () => {
    const summary = await owner.get(`/api/v1/surveys/summary?since=${since}`);
    expect(summary.body.csat.responses).toBeGreaterThan(5);
    expect(summary.body.nps.responses).toBeGreaterThan(2);
    expect(summary.body.ces.responses).toBeGreaterThan(0);
    const ratings = await owner.get('/api/v1/reviews/ratings');
    expect(new Set(ratings.body.items.map((item: { source: string }) => item.source)).size).toBe(2);
    const scores = await owner.get('/api/v1/mystery-shop/scores');
    expect(scores.body.items.length).toBeGreaterThan(0);
    const voice = await owner.get('/api/v1/staff-voice');
    expect(voice.body.items.length).toBe(3);
    expect(voice.body.items.filter((note: { isAnonymous: boolean; author: unknown }) => note.isAnonymous && note.author === null)).toHaveLength(1);
    const themes = await owner.get('/api/v1/themes?limit=50');
    const checkout = themes.body.items.find((theme: { label: string }) => /checkout/.test(theme.label));
    expect(checkout).toBeDefined();
    expect(checkout.status).toBe('actioned');
  });
});
