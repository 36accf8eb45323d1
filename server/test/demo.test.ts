import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateDemoData } from '../src/modules/demo/index.js';
import { setUpWorkspace, type ApiClient } from './client.js';
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
