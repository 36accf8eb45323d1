import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueJob } from '../../jobs/queue.js';
import { addMilliseconds, nowIso } from '../../lib/ids.js';
import { describeEachDialect } from '../../../test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { recoverUnprocessedEmails } from './email.handle.js';
import { storeInboundEmail } from './email.repo.js';
import { deliverOutboundJob, expireUploadsJob } from './email.jobs.js';
import { storedPathOf } from './email.storage.js';
import { sendRaw, startEmailTestServer, startSmtpSink, type EmailTestServer, type SmtpSink } from './email.testing.js';

const mail = (id: string, from = `From: Lee <lee@example.com>\r\n`) => `${from}To: support@acme.example\r\nSubject: Mail ${id}\r\nMessage-ID: <${id}@example.com>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nBody of ${id}.\r\n`;

describeEachDialect('email jobs across restarts, and expiry of unused uploads', (dialect) => {
  let server: EmailTestServer;
  let sink: SmtpSink;
  let owner: ApiClient;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startEmailTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support', relayUrl: `smtp://127.0.0.1:${sink.port}` })).status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    await sink.close();
  });

  const db = () => server.database.handle.db;
  const jobsOf = (type: string, subjectId: string) => db().selectFrom('jobs').selectAll().where('type', '=', type).where('payload', 'like', `%${subjectId}%`).execute();

  it('a restart neither copies the processing job of a stored email nor processes the email twice; a reprocess puts the same job back', async () => {
    expect(await sendRaw(server.smtpPort, mail('restart-1'), { from: 'lee@example.com', to: ['support@acme.example'] })).toMatch(/^250/);
    const [stored] = await db().selectFrom('inbound_emails').select(['id', 'status']).where('status', '=', 'received').execute();
    expect(stored).toBeDefined();
    // The process died while processing it: the job is running, held by a worker that is gone.
    await db().updateTable('jobs').set({ status: 'running', attempts: 1, claimed_by: 'gone:1:1', locked_until: addMilliseconds(nowIso(), 60_000), updated_at: '2026-01-01T00:00:00.000Z' }).where('type', '=', 'email.process-inbound').execute();
    // Two restarts in a row, each recovering what is unprocessed.
    expect(await recoverUnprocessedEmails(server.context)).toBe(1);
    expect(await recoverUnprocessedEmails(server.context)).toBe(1);
    const jobs = await jobsOf('email.process-inbound', stored!.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'queued', claimed_by: null, attempts: 1 });

    await server.worker.drain();
    const processed = await db().selectFrom('inbound_emails').select(['status', 'ticket_id']).where('id', '=', stored!.id).executeTakeFirstOrThrow();
    expect(processed.status).toBe('processed');
    expect(await db().selectFrom('messages').select('id').where('ticket_id', '=', processed.ticket_id!).execute()).toHaveLength(1);
    expect((await jobsOf('email.process-inbound', stored!.id)).map((job) => job.status)).toEqual(['done']);
    // Once processed there is nothing to recover.
    expect(await recoverUnprocessedEmails(server.context)).toBe(0);

    // A message without a sender is quarantined; each reprocess puts its one job back, with fresh attempts.
    expect(await sendRaw(server.smtpPort, mail('no-sender', ''), { from: 'lee@example.com', to: ['support@acme.example'] })).toMatch(/^250/);
    await server.worker.drain();
    const [quarantined] = (await owner.get('/api/v1/email/quarantine')).body.items;
    expect(quarantined).toMatchObject({ status: 'quarantined' });
    for (let round = 0; round < 2; round++) {
      expect((await owner.post(`/api/v1/email/quarantine/${quarantined.id}/reprocess`, {})).status).toBe(202);
      const again = await jobsOf('email.process-inbound', quarantined.id);
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ status: 'queued', attempts: 0 });
      await server.worker.drain();
    }
    expect((await owner.get('/api/v1/email/quarantine')).body.items.map((row: { id: string }) => row.id)).toEqual([quarantined.id]);
  });

  it('an IMAP message stored again under its source key (a poll repeated after a crash, before its UID was saved) is stored and queued once', async () => {
    const mailbox = await db().selectFrom('mailboxes').select(['id', 'workspace_id']).where('address', '=', 'support@acme.example').executeTakeFirstOrThrow();
    const store = () => storeInboundEmail(db(), { workspaceId: mailbox.workspace_id, mailboxId: mailbox.id, source: 'imap', sourceKey: '77:4', envelopeFrom: null, envelopeTo: ['support@acme.example'], raw: Buffer.from(mail('imap-again')) });
    const first = await store();
    expect(first).toEqual(expect.any(String));
    expect(await store()).toBeNull();
    expect(await db().selectFrom('inbound_emails').select('id').where('source_key', '=', '77:4').execute()).toHaveLength(1);
    expect(await jobsOf('email.process-inbound', first!)).toHaveLength(1);
    await server.worker.drain();
  });

  it('messages are processed in batches; one that fails does not hold back the others and ends in the quarantine, once', async () => {
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'doomed@acme.example', name: 'Doomed' })).status).toBe(201);
    for (const id of ['batch-a', 'batch-b']) expect(await sendRaw(server.smtpPort, mail(id), { from: 'lee@example.com', to: ['support@acme.example'] })).toMatch(/^250/);
    expect(await sendRaw(server.smtpPort, mail('batch-doomed').replace('support@acme.example', 'doomed@acme.example'), { from: 'lee@example.com', to: ['doomed@acme.example'] })).toMatch(/^250/);
    // Its mailbox disappears before processing (as if removed by hand): processing it throws.
    await db().deleteFrom('mailboxes').where('address', '=', 'doomed@acme.example').execute();
    const doomed = await db().selectFrom('inbound_emails').select('id').where('status', '=', 'received').where('envelope_to', 'like', '%doomed%').executeTakeFirstOrThrow();
    await server.worker.drain();
    const statusOf = async (messageId: string) => (await db().selectFrom('inbound_emails').select('status').where('email_message_id', '=', messageId).executeTakeFirst())?.status;
    expect([await statusOf('batch-a@example.com'), await statusOf('batch-b@example.com')]).toEqual(['processed', 'processed']);
    for (let attempt = 2; attempt <= 3; attempt++) {
      await db().updateTable('jobs').set({ run_at: nowIso() }).where('status', '=', 'queued').where('type', '=', 'email.process-inbound').execute();
      await server.worker.drain();
    }
    const quarantined = await db().selectFrom('inbound_emails').select(['status', 'reason']).where('id', '=', doomed.id).executeTakeFirstOrThrow();
    expect(quarantined.status).toBe('quarantined');
    expect(quarantined.reason).toMatch(/^processing failed 3 times/);
    expect(await jobsOf('email.process-inbound', doomed.id)).toMatchObject([{ status: 'done' }]);
    const subjects = (await owner.get('/api/v1/tickets?limit=100')).body.items.map((ticket: { subject: string }) => ticket.subject);
    expect(subjects.filter((subject: string) => subject.startsWith('Mail batch-'))).toEqual(expect.arrayContaining(['Mail batch-a', 'Mail batch-b']));
    expect(subjects.filter((subject: string) => subject.startsWith('Mail batch-'))).toHaveLength(2);
  });

  it('a delivery job has one key per email: enqueued again or run again, the mail goes out once', async () => {
    const ticket = (await owner.get('/api/v1/tickets')).body.items[0];
    const reply = await owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', text: 'We are on it.' });
    expect(reply.status).toBe(201);
    const outbound = await db().selectFrom('outbound_emails').select(['id']).where('message_id', '=', reply.body.message.id).executeTakeFirstOrThrow();
    const key = `email-out-${outbound.id}`;
    // Enqueued again under its key (as a retry of the enqueueing transaction would): still one job.
    await enqueueJob(db(), deliverOutboundJob, { outboundEmailId: outbound.id }, { id: key });
    expect((await jobsOf('email.deliver', outbound.id)).map((job) => job.id)).toEqual([key]);
    const before = sink.messages.length;
    await server.worker.drain();
    expect(sink.messages.length).toBe(before + 1);
    // The job run again after it finished (a stale copy of the queue after a restore): nothing is sent.
    await db().updateTable('jobs').set({ status: 'queued', run_at: nowIso() }).where('id', '=', key).execute();
    await server.worker.drain();
    expect(sink.messages.length).toBe(before + 1);
    expect((await owner.get(`/api/v1/email/messages/${reply.body.message.id}/delivery`)).body.items).toMatchObject([{ status: 'sent' }]);
  });

  it('uploads no reply used expire after RAVING_UPLOAD_EXPIRY_HOURS with their files, except files another row still names', async () => {
    const upload = async (name: string, text: string) => (await owner.post('/api/v1/email/attachments', { filename: name, contentBase64: Buffer.from(text).toString('base64') })).body as { id: string };
    const lonely = await upload('lonely.txt', 'only this upload has these bytes');
    const shared = await upload('shared.txt', 'two uploads have these bytes');
    const sharedRecent = await upload('shared-again.txt', 'two uploads have these bytes');
    const sent = await upload('sent.txt', 'this one went out with a reply');
    const ticket = (await owner.get('/api/v1/tickets')).body.items[0];
    expect((await owner.post(`/api/v1/email/tickets/${ticket.id}/replies`, { text: 'See the file.', attachmentIds: [sent.id] })).status).toBe(201);
    const rows = await db().selectFrom('email_attachments').select(['id', 'sha256']).where('id', 'in', [lonely.id, shared.id, sharedRecent.id, sent.id]).execute();
    const fileOf = (id: string) => storedPathOf(server.context.config.RAVING_DATA_DIR, rows.find((row) => row.id === id)!.sha256);
    // Three of them were made a day and an hour ago (the default expiry is 24 hours).
    await db().updateTable('email_attachments').set({ created_at: addMilliseconds(nowIso(), -25 * 3_600_000) }).where('id', 'in', [lonely.id, shared.id, sent.id]).execute();

    // The hourly run is scheduled once, at the next whole hour, however often the channels start.
    const scheduled = () => db().selectFrom('jobs').select(['id', 'run_at']).where('type', '=', 'email.expire-uploads').where('status', '=', 'queued').execute();
    expect(await scheduled()).toHaveLength(1);
    expect((await scheduled())[0]!.run_at.endsWith(':00:00.000Z')).toBe(true);
    await enqueueJob(db(), expireUploadsJob, {}, { id: 'expire-now' });
    await server.worker.drain();

    const left = await db().selectFrom('email_attachments').select('id').where('id', 'in', [lonely.id, shared.id, sharedRecent.id, sent.id]).execute();
    expect(left.map((row) => row.id).sort()).toEqual([sharedRecent.id, sent.id].sort());
    expect(fs.existsSync(fileOf(lonely.id))).toBe(false);
    expect(fs.existsSync(fileOf(shared.id))).toBe(true);
    expect(fs.existsSync(fileOf(sent.id))).toBe(true);
    expect((await owner.get(`/api/v1/email/attachments/${lonely.id}`)).status).toBe(404);
    expect((await owner.post(`/api/v1/email/tickets/${ticket.id}/replies`, { text: 'Again.', attachmentIds: [shared.id] })).status).toBe(400);
    // The run scheduled the next one, which was the one already waiting: still one.
    expect(await scheduled()).toHaveLength(1);
    expect(fs.readdirSync(path.dirname(fileOf(lonely.id))).filter((name) => name.endsWith('.expired'))).toEqual([]);
  });
});
