import { ImapFlow } from 'imapflow';
import type { AppContext } from '../../context.js';
import { whenDurable } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { storeInboundEmail } from './email.repo.js';

/**
 * IMAP polling as an alternative source: new messages go through the same store → job → pipeline
 * as SMTP, so deduplication is shared. The last UID seen is saved in the transaction that stores the
 * message, and each stored message is keyed by UIDVALIDITY:UID, so a restart neither re-imports nor
 * skips; a changed UIDVALIDITY starts over and deduplication absorbs the repeats.
 */
export async function pollMailbox(context: AppContext, mailbox: Row<'mailboxes'>): Promise<number> {
  const url = new URL(mailbox.imap_url!);
  const client = new ImapFlow({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'imaps:' ? 993 : 143),
    secure: url.protocol === 'imaps:',
    auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    logger: false,
    tls: { rejectUnauthorized: url.searchParams.get('tlsVerify') !== 'false' },
  });
  const { db } = context.database;
  let stored = 0;
  await client.connect();
  try {
    const opened = await client.mailboxOpen(mailbox.imap_folder, { readOnly: true });
    const uidValidity = String(opened.uidValidity);
    let lastUid = mailbox.imap_uid_validity === uidValidity ? Number(mailbox.imap_last_uid) : 0;
    if (opened.exists === 0) return 0;
    for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
      // "n:*" also returns the newest message when nothing is newer than n.
      if (message.uid <= lastUid || !message.source) continue;
      const uid = message.uid;
      await db.transaction().execute(async (trx) => {
        const id = await storeInboundEmail(trx, { workspaceId: mailbox.workspace_id, mailboxId: mailbox.id, source: 'imap', sourceKey: `${uidValidity}:${uid}`, envelopeFrom: null, envelopeTo: [mailbox.address], raw: message.source! });
        if (id) stored++;
        await trx.updateTable('mailboxes').set({ imap_uid_validity: uidValidity, imap_last_uid: uid }).where('id', '=', mailbox.id).execute();
      });
      lastUid = uid;
    }
    await whenDurable(db);
  } finally {
    await client.logout().catch(() => client.close());
  }
  if (stored > 0) context.pokeWorker();
  return stored;
}

export interface RunningPollers {
  pollNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startImapPollers(context: AppContext): RunningPollers {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pollAll = async () => {
    const mailboxes = await context.database.db.selectFrom('mailboxes').selectAll().where('is_active', '=', 1).where('imap_url', 'is not', null).execute();
    for (const mailbox of mailboxes) {
      if (stopped) return;
      try {
        await pollMailbox(context, mailbox);
      } catch (error) {
        context.log.warn({ err: error instanceof Error ? error.message : String(error), mailbox: mailbox.address }, 'IMAP poll failed; will try again');
      }
    }
  };
  const pollNow = () => (running = running.then(pollAll, pollAll));
  const timer = setInterval(() => void pollNow(), context.config.RAVING_IMAP_POLL_MS);
  timer.unref();
  void pollNow();
  return {
    pollNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
