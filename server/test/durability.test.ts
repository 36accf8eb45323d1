import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, setUpWorkspace } from './client.js';
import { freePort, serverCommand, startChildServer, type ChildServer } from './child-server.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './harness.js';

/**
 * Ticket creation survives SIGKILL: 500 concurrent creations against the real server process,
 * killed midway, restarted. Every acknowledged ticket is there with its event, first message and
 * search document, and no ticket exists half-written.
 */
describeEachDialect('ticket creation durability under SIGKILL', (dialect) => {
  let database: TestDatabase;
  let server: ChildServer | undefined;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    port = await freePort();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await database.dispose();
  });

  const start = () => startChildServer({ ...serverCommand(), environment: database.environment, port });

  it('keeps every acknowledged ticket, complete, and nothing half-written', { timeout: 120_000 }, async () => {
    server = await start();
    const { owner } = await setUpWorkspace(server.url);
    const token = (await owner.post('/api/v1/api-tokens', { name: 'Load', scopes: ['write'] })).body.token;
    const client = new ApiClient(server.url).withToken(token);

    const total = 500;
    const killAfter = 60;
    const acknowledged = new Map<string, { id: string; number: number }>();
    let failures = 0;
    let killed: Promise<number | null> | undefined;
    const requests = Array.from({ length: total }, async (_, index) => {
      const subject = `durable ${index}`;
      try {
        const response = await client.post('/api/v1/tickets', { subject, customer: { email: `buyer${index}@example.com`, name: `Buyer ${index}` }, message: { text: `Order ${index} never came` } });
        if (response.status === 201) {
          acknowledged.set(subject, { id: response.body.id, number: response.body.number });
          if (acknowledged.size === killAfter) killed = server!.stop('SIGKILL');
        } else failures++;
      } catch {
        failures++;
      }
    });
    // Acknowledgements can lag behind commits (PostgreSQL commits faster than this process reads
    // 500 responses), so the kill also fires on the server's own progress, to land mid-stream.
    const watcher = (async () => {
      while (!killed) {
        const row = await database.handle.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirst();
        if (Number(row?.count ?? 0) >= 250 && acknowledged.size >= 10) killed = server!.stop('SIGKILL');
        else await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await Promise.all(requests);
    await watcher;
    expect(killed, 'the server was killed midway').toBeDefined();
    await killed;
    expect(acknowledged.size).toBeGreaterThanOrEqual(10);

    server = await start();
    const db = database.handle.db;
    const tickets = await db.selectFrom('tickets').select(['id', 'subject', 'number', 'customer_id']).where('subject', 'like', 'durable %').execute();
    const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    for (const [subject, ticket] of acknowledged) {
      expect(byId.get(ticket.id), `acknowledged ${subject} is missing`).toMatchObject({ subject, number: ticket.number });
    }
    const ids = tickets.map((ticket) => ticket.id);
    const created = new Set((await db.selectFrom('events').select('subject_id').where('type', '=', 'ticket.created').where('subject_id', 'in', ids).execute()).map((row) => row.subject_id));
    const withMessage = new Set((await db.selectFrom('messages').select('ticket_id').where('ticket_id', 'in', ids).execute()).map((row) => row.ticket_id));
    const indexed = new Set((await db.selectFrom('search_documents').select('ref_id').where('kind', '=', 'ticket').where('ref_id', 'in', ids).execute()).map((row) => row.ref_id));
    const customers = new Set((await db.selectFrom('customers').select('id').execute()).map((row) => row.id));
    for (const ticket of tickets) {
      expect(created.has(ticket.id), `${ticket.subject} has no ticket.created event`).toBe(true);
      expect(withMessage.has(ticket.id), `${ticket.subject} has no first message`).toBe(true);
      expect(indexed.has(ticket.id), `${ticket.subject} is not in the search index`).toBe(true);
      expect(customers.has(ticket.customer_id), `${ticket.subject} has no customer`).toBe(true);
    }
    const numbers = tickets.map((ticket) => ticket.number);
    expect(new Set(numbers).size).toBe(numbers.length);

    // The restarted server serves them and keeps numbering after the highest one (a workspace
    // counter on SQLite, a sequence on PostgreSQL: both must have survived the kill).
    const again = await client.get(`/api/v1/tickets/${[...acknowledged.values()][0]!.id}`);
    expect(again.status).toBe(200);
    const next = await client.post('/api/v1/tickets', { subject: 'after restart', customer: { email: 'after@example.com' } });
    expect(next.status).toBe(201);
    expect(next.body.number).toBeGreaterThan(Math.max(...numbers));
    console.log(`durability [${dialect}]: ${acknowledged.size} acknowledged, ${tickets.length} stored, ${failures} cut off`);
    await server.stop('SIGTERM');
    server = undefined;
  });
});
