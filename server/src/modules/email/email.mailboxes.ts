import type { Tx } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import type { MailboxRow } from './email.repo.js';

export interface NewMailbox {
  address: string;
  name: string;
  teamId?: string | null;
  relayUrl?: string | null;
  imapUrl?: string | null;
  imapFolder?: string;
}

/** A mailbox's team must be one of its own workspace's teams. */
export async function requireTeamOf(trx: Tx, workspaceId: string, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const team = await trx.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  if (!team) throw new DomainError('validation_failed', 'The team does not exist in this workspace.', [{ path: 'body.teamId', message: 'is not a team of this workspace' }]);
}

/**
 * Adds a support address: mail to it becomes tickets of this workspace. Addresses are unique
 * across workspaces, because the receiver finds the workspace from the recipient alone.
 */
export async function createMailbox(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, input: NewMailbox): Promise<MailboxRow> {
  const { trx } = uow;
  const taken = await trx.selectFrom('mailboxes').select('id').where('address', '=', input.address).executeTakeFirst();
  if (taken) throw new DomainError('conflict', `The address ${input.address} is already a mailbox.`, [{ path: 'body.address', message: 'is taken' }]);
  await requireTeamOf(trx, workspaceId, input.teamId);
  const mailbox: MailboxRow = {
    id: newId(),
    workspace_id: workspaceId,
    address: input.address,
    name: input.name,
    team_id: input.teamId ?? null,
    relay_url: input.relayUrl ?? null,
    imap_url: input.imapUrl ?? null,
    imap_folder: input.imapFolder ?? 'INBOX',
    imap_uid_validity: null,
    imap_last_uid: 0,
    is_active: 1,
    created_at: nowIso(),
  };
  await trx.insertInto('mailboxes').values(mailbox).execute();
  await bus.append(uow, { workspaceId, actor, type: 'mailbox.created', subjectType: 'mailbox', subjectId: mailbox.id, payload: { address: mailbox.address, name: mailbox.name } });
  return mailbox;
}
