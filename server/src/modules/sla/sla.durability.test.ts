import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, setUpWorkspace } from '../../../test/client.js';
import { freePort, repositoryRoot, startChildServer, type ChildServer } from '../../../test/child-server.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../../test/harness.js';
import { startRecordingSmtpSink, type RecordingSmtpSink } from '../../../test/smtp-sink.js';

/**
 * SLA timers are durable jobs. Real server processes (started as `npm start` would, with their
 * clock moved forward by a preloaded fixture so "30 minutes later" is now) are killed with SIGKILL
 * while 200 breach timers are due; after a restart each breach is recorded once and each breach's
 * reminder to the customer (an automation: sla.breached → send_email) is mailed once. On PostgreSQL
 * two processes then share the database, and no job is claimed by both.
 */
const shiftedClock = path.join(repositoryRoot, 'server/test/fixtures/shifted-clock.ts');
const minute = 60_000;
const reminderText = 'Sorry {{customer.first_name}}, ticket {{ticket.number}} is taking us longer than promised: a person will write to you shortly.';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMilliseconds = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeEachDialect('SLA timers under SIGKILL', (dialect) => {
  let database: TestDatabase;
  let relay: RecordingSmtpSink;
  let token: string;
  const servers: ChildServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    relay = await startRecordingSmtpSink();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop('SIGKILL');
    await relay.close();
    await database.dispose();
  });

  const serverArguments = ['--import', 'tsx', '--import', shiftedClock, 'server/src/main.ts'];
  const serverEnvironment = (clockOffsetMilliseconds: number, clockJumpMilliseconds = 0) => ({
    ...database.environment,
    RAVING_MAIL_RELAY_URL: relay.url,
    RAVING_WORKER_POLL_MS: '50',
    FIXTURE_CLOCK_OFFSET_MS: String(clockOffsetMilliseconds),
    FIXTURE_CLOCK_JUMP_MS: String(clockJumpMilliseconds),
  });

  async function startServer(clockOffsetMilliseconds: number, clockJumpMilliseconds = 0): Promise<ChildServer> {
    const server = await startChildServer({ command: process.execPath, args: serverArguments, environment: serverEnvironment(clockOffsetMilliseconds, clockJumpMilliseconds), port: await freePort() });
    servers.push(server);
    return server;
  }

  /** A server process not waited for: its worker starts on due timers before it even listens. */
  function spawnServer(clockOffsetMilliseconds: number): ChildProcess {
    return spawn(process.execPath, serverArguments, {
      cwd: repositoryRoot,
      env: { ...process.env, RAVING_LOG_LEVEL: 'warn', RAVING_SMTP_ENABLED: '0', HOST: '127.0.0.1', PORT: '0', ...serverEnvironment(clockOffsetMilliseconds) },
      stdio: 'ignore',
    });
  }

  const db = () => database.handle.db;
  const breachesOf = async (ticketIds: string[]) => (await db().selectFrom('events').select('ticket_id').where('type', '=', 'sla.breached').where('ticket_id', 'in', ticketIds).execute()).map((row) => row.ticket_id!);
  const countBreaches = async () => Number((await db().selectFrom('events').select((eb) => eb.fn.countAll<number>().as('count')).where('type', '=', 'sla.breached').executeTakeFirstOrThrow()).count);
  const remindersOf = (ticketIds: string[]) => db().selectFrom('outbound_emails').select(['ticket_id', 'status', 'email_message_id']).where('purpose', '=', 'notification').where('ticket_id', 'in', ticketIds).execute();
  const mailedReminders = (prefix: string) => relay.received.filter((mail) => mail.to[0]!.startsWith(prefix) && mail.text.includes('taking us longer than promised'));
  /** Jobs due by `clock` (the processes' shifted time) that are not finished yet. */
  const unfinishedDue = async (clock: number) =>
    Number((await db().selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('count')).where('status', 'in', ['queued', 'running']).where('run_at', '<=', new Date(clock).toISOString()).executeTakeFirstOrThrow()).count);

  async function createTickets(server: ChildServer, prefix: string, clockOffsetMilliseconds: number): Promise<string[]> {
    const client = new ApiClient(server.url).withToken(token);
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, index) => client.post('/api/v1/tickets', { subject: `Order ${prefix}${batch * 20 + index} is late`, channel: 'email', customer: { email: `${prefix}${batch * 20 + index}@example.com`, name: `Customer ${prefix}${batch * 20 + index}` }, message: { text: 'Where is it?' } })),
      );
      ids.push(...created.map((response) => response.body.id as string));
    }
    expect(new Set(ids).size).toBe(200);
    // Each new ticket is evaluated once by a job, which sets its warning and breach timers.
    await waitFor('the tickets to be evaluated', async () => (await unfinishedDue(Date.now() + clockOffsetMilliseconds)) === 0);
    return ids;
  }

  it('SIGKILL while 200 breach timers are due, then a restart: every breach recorded once, no reminder mailed twice', { timeout: 240_000 }, async () => {
    const first = await startServer(0);
    const { owner } = await setUpWorkspace(first.url);
    token = (await owner.post('/api/v1/api-tokens', { name: 'Load', scopes: ['write'] })).body.token;
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support' })).status).toBe(201);
    expect((await owner.post('/api/v1/sla-policies', { name: 'Answer within 30 minutes', targets: { firstResponse: 30 } })).status).toBe(201);
    expect((await owner.post('/api/v1/automations', { name: 'Late: tell the customer', trigger: 'sla.breached', actions: [{ type: 'send_email', text: reminderText }] })).status).toBe(201);
    const ids = await createTickets(first, 'k', 0);
    await first.stop('SIGTERM');
    const timers = await db().selectFrom('jobs').select('id').where('type', '=', 'sla.evaluate').where('status', '=', 'queued').execute();
    expect(timers.length).toBe(400); // a warning and a breach timer per ticket

    // The relay is down while the doomed process runs (421, so its mail waits for a retry): the kill
    // lands in the timers, the automation and the mail queue, not inside an SMTP conversation,
    // whose hand-off is at-least-once by nature (a retry reuses the Message-ID).
    relay.accepting = false;
    let breachesAtKill = 0;
    let heldAtKill = 0;
    for (let attempt = 0; heldAtKill === 0 && breachesAtKill < 200 && attempt < 3; attempt++) {
      const doomed = spawnServer(31 * minute);
      const exited = new Promise((resolve) => doomed.once('exit', resolve));
      // Killed as soon as breaches are being recorded: the worker gets through them fast.
      await waitFor('breaches to start being recorded', async () => (await countBreaches()) > breachesAtKill, 60_000);
      doomed.kill('SIGKILL');
      await exited;
      // PostgreSQL may still run a COMMIT the dead process had sent: wait until nothing moves.
      await waitFor('the database to settle', async () => {
        const before = (await breachesOf(ids)).length;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return before === (await breachesOf(ids)).length;
      });
      breachesAtKill = (await breachesOf(ids)).length;
      heldAtKill = (await db().selectFrom('jobs').select('id').where('status', '=', 'running').execute()).length;
    }
    expect(breachesAtKill).toBeLessThan(200);
    expect(heldAtKill, 'the kill landed while the dead process held jobs').toBeGreaterThan(0);
    console.log(`SLA timers [${dialect}]: killed with ${breachesAtKill} of 200 breaches recorded and ${heldAtKill} jobs in hand`);

    // The restart comes after the dead process's leases ran out (they last a minute), so what it
    // held is claimed again.
    relay.accepting = true;
    const restarted = await startServer(34 * minute);
    await waitFor('every reminder to be mailed', async () => mailedReminders('k').length >= 200 && (await unfinishedDue(Date.now() + 34 * minute)) === 0, 120_000);
    await restarted.stop('SIGTERM');

    const breaches = await breachesOf(ids);
    expect(breaches).toHaveLength(200);
    expect(new Set(breaches)).toEqual(new Set(ids));
    const reminders = await remindersOf(ids);
    expect(reminders).toHaveLength(200);
    expect(new Set(reminders.map((row) => row.ticket_id))).toEqual(new Set(ids));
    expect(reminders.every((row) => row.status === 'sent')).toBe(true);
    const mailed = mailedReminders('k');
    expect(mailed).toHaveLength(200);
    expect(new Set(mailed.map((mail) => mail.messageId)).size).toBe(200);
    expect(new Set(mailed.map((mail) => mail.to[0]))).toEqual(new Set(ids.map((_, index) => `k${index}@example.com`)));
    expect(await db().selectFrom('jobs').select('id').where('status', '=', 'failed').execute()).toEqual([]);
  });

  // Several server processes share a database only on PostgreSQL (SQLite is one process's file), so this exists there alone.
  if (dialect === 'postgres') it('two server processes on one database never run the same job twice', { timeout: 240_000 }, async () => {
    const creator = await startServer(40 * minute);
    const ids = await createTickets(creator, 'p', 40 * minute);
    await creator.stop('SIGTERM');

    // Both processes start while nothing is due, then their clocks jump past the due times together.
    const pair = await Promise.all([startServer(40 * minute, 31 * minute), startServer(40 * minute, 31 * minute)]);
    for (const server of pair) process.kill(server.child.pid!, 'SIGUSR2');
    await waitFor('every reminder to be mailed', async () => mailedReminders('p').length >= 200 && (await unfinishedDue(Date.now() + 71 * minute)) === 0, 120_000);
    await Promise.all(pair.map((server) => server.stop('SIGTERM')));

    const workers = pair.map((server) => `${os.hostname()}:${server.child.pid}:1`);
    const jobs = await db().selectFrom('jobs').select(['id', 'type', 'status', 'attempts', 'claimed_by']).where('claimed_by', 'in', workers).execute();
    expect(jobs.length).toBeGreaterThanOrEqual(800); // timers, automation runs and deliveries
    // A claim is the only way to run a job and it counts an attempt: one attempt each means no job
    // was run by both processes (nor twice by one).
    expect(jobs.filter((job) => job.status !== 'done' || job.attempts !== 1)).toEqual([]);
    expect(new Set(jobs.map((job) => job.claimed_by))).toEqual(new Set(workers));
    expect(new Set(await breachesOf(ids))).toEqual(new Set(ids));
    expect(await breachesOf(ids)).toHaveLength(200);
    expect(await remindersOf(ids)).toHaveLength(200);
    expect(new Set(mailedReminders('p').map((mail) => mail.messageId)).size).toBe(200);
    expect(mailedReminders('p')).toHaveLength(200);
  });
});
