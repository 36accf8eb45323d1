import fs from 'node:fs';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { AppContext } from '../../context.js';
import { whenDurable } from '../../db/database.js';
import { mailboxReadsOf, storeInboundEmail, type MailboxRow } from './email.repo.js';

interface SmtpFailure extends Error {
  responseCode?: number;
}

function smtpError(code: number, message: string): SmtpFailure {
  const error: SmtpFailure = new Error(message);
  error.responseCode = code;
  return error;
}

export interface RunningReceiver {
  port: number;
  stop(): Promise<void>;
}

/**
 * The built-in SMTP receiver, the destination a mail server forwards to. Recipients are checked
 * at RCPT (unknown ones get a 550), and "250 OK" after DATA is sent only once the raw message and
 * its processing job are committed: accepting a message is taking responsibility for it.
 */
export async function startSmtpReceiver(context: AppContext): Promise<RunningReceiver> {
  const { config } = context;
  const { db } = context.database;
  const mailboxes = mailboxReadsOf(db);
  const mailboxesOf = new WeakMap<SMTPServerSession, Map<string, { mailbox: MailboxRow; recipients: string[] }>>();
  const hasTls = Boolean(config.RAVING_SMTP_TLS_KEY && config.RAVING_SMTP_TLS_CERT);
  const options: SMTPServerOptions = {
    name: 'raving',
    banner: 'Raving help desk',
    size: config.RAVING_SMTP_MAX_BYTES,
    authOptional: true,
    disabledCommands: hasTls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(hasTls ? { key: fs.readFileSync(config.RAVING_SMTP_TLS_KEY!), cert: fs.readFileSync(config.RAVING_SMTP_TLS_CERT!) } : {}),
    logger: false,
    maxClients: 200,
    socketTimeout: 120_000,
    onMailFrom(_address, session, callback) {
      mailboxesOf.set(session, new Map());
      callback();
    },
    onRcptTo(address, session, callback) {
      mailboxes.activeByAddress(address.address)
        .then((mailbox) => {
          if (!mailbox) return callback(smtpError(550, `5.1.1 <${address.address.slice(0, 200)}>: no such mailbox here`));
          const byWorkspace = mailboxesOf.get(session) ?? new Map();
          mailboxesOf.set(session, byWorkspace);
          const entry = byWorkspace.get(mailbox.workspace_id) ?? { mailbox, recipients: [] };
          entry.recipients.push(address.address.toLowerCase());
          byWorkspace.set(mailbox.workspace_id, entry);
          callback();
        })
        .catch(() => callback(smtpError(451, '4.3.0 temporary failure, try again later')));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError(552, `5.3.4 message larger than ${config.RAVING_SMTP_MAX_BYTES} bytes`));
        const raw = Buffer.concat(chunks);
        const targets = [...(mailboxesOf.get(session)?.values() ?? [])];
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
        // One copy per workspace addressed: each is that workspace's to keep.
        db.transaction()
          .execute(async (trx) => {
            for (const target of targets) {
              await storeInboundEmail(trx, { workspaceId: target.mailbox.workspace_id, mailboxId: target.mailbox.id, source: 'smtp', envelopeFrom, envelopeTo: target.recipients, raw });
            }
          })
          // With SQLite group commit a transaction is on disk only once its batch commits.
          .then(() => whenDurable(db))
          .then(() => {
            callback(null, 'queued as ours');
            context.pokeWorker();
          })
          .catch((error: unknown) => {
            context.log.error({ err: error }, 'could not store an inbound email');
            callback(smtpError(451, '4.3.0 could not store the message, try again later'));
          });
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (error) => context.log.warn({ err: error }, 'SMTP receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.RAVING_SMTP_PORT, config.RAVING_SMTP_HOST, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.RAVING_SMTP_PORT;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
