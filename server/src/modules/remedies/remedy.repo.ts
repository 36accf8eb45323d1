import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';

export type RemedyRow = Row<'remedies'>;
export type ApprovalRow = Row<'approvals'>;

export function presentApproval(row: ApprovalRow) {
  return {
    id: row.id,
    remedyId: row.remedy_id,
    ticketId: row.ticket_id,
    requestedBy: row.requested_by,
    requestReason: row.request_reason,
    status: row.status,
    decidedBy: row.decided_by,
    decisionReason: row.decision_reason,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
  };
}

export function presentRemedy(row: RemedyRow, approval: ApprovalRow | undefined) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    customerId: row.customer_id,
    staffId: row.staff_id,
    type: row.type,
    label: row.label,
    value: Number(row.value),
    note: row.note,
    status: row.status,
    grantedAt: row.granted_at,
    createdAt: row.created_at,
    approval: approval ? presentApproval(approval) : null,
  };
}

export async function listTicketRemedies(trx: Tx, workspaceId: string, ticketId: string) {
  const remedies = await trx.selectFrom('remedies').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute();
  const approvals = await trx.selectFrom('approvals').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).execute();
  const byRemedy = new Map(approvals.map((approval) => [approval.remedy_id, approval]));
  return remedies.map((remedy) => presentRemedy(remedy, byRemedy.get(remedy.id)));
}

export async function requireApproval(trx: Tx, workspaceId: string, id: string): Promise<ApprovalRow> {
  const row = await trx.selectFrom('approvals').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Approval request');
  return row;
}

/**
 * Value an agent granted on their own authority since `since`: remedies a manager approved were
 * the manager's decision and do not use up the agent's allowance.
 */
export async function sumGrantedAlone(trx: Tx, workspaceId: string, staffId: string, since: string): Promise<number> {
  const row = await trx
    .selectFrom('remedies')
    .select((eb) => eb.fn.sum<number>('value').as('total'))
    .where('workspace_id', '=', workspaceId)
    .where('staff_id', '=', staffId)
    .where('status', '=', 'granted')
    .where('granted_at', '>=', since)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('approvals').select('approvals.id').whereRef('approvals.remedy_id', '=', 'remedies.id'))))
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function sumGrantedInWorkspace(trx: Tx, workspaceId: string, since: string): Promise<number> {
  const row = await trx.selectFrom('remedies').select((eb) => eb.fn.sum<number>('value').as('total')).where('workspace_id', '=', workspaceId).where('status', '=', 'granted').where('granted_at', '>=', since).executeTakeFirst();
  return Number(row?.total ?? 0);
}
