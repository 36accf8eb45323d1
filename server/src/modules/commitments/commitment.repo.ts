import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';

export type CommitmentRow = Row<'commitments'>;

export function presentCommitment(row: CommitmentRow) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    customerId: row.customer_id,
    staffId: row.staff_id,
    description: row.description,
    dueAt: row.due_at,
    remedy: row.remedy_type ? { type: row.remedy_type, value: Number(row.remedy_value ?? 0) } : null,
    status: row.status,
    isKeptEarly: row.is_kept_early === 1,
    settledAt: row.settled_at,
    createdAt: row.created_at,
  };
}

export async function requireCommitment(trx: Tx, workspaceId: string, id: string): Promise<CommitmentRow> {
  const row = await trx.selectFrom('commitments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Commitment');
  return row;
}
