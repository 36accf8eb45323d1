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
    heldReply: row.held_reply_text === null ? null : { text: row.held_reply_text, status: row.held_reply_status, state: heldReplyState(row), messageId: row.held_reply_message_id },
  };
}

/** Held while the request waits, sent when approved, handed back to the agent when it could not be sent. */
function heldReplyState(row: ApprovalRow): 'held' | 'sent' | 'returned' {
  if (row.held_reply_message_id) return 'sent';
  return row.status === 'pending' ? 'held' : 'returned';
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

/** The manager queue: each request with its remedy, ticket and customer, oldest first. */
export async function listApprovals(trx: Tx, workspaceId: string, query: { status: ApprovalRow['status'] | 'all'; limit: number }) {
  let select = trx
    .selectFrom('approvals')
    .innerJoin('remedies', 'remedies.id', 'approvals.remedy_id')
    .innerJoin('tickets', 'tickets.id', 'approvals.ticket_id')
    .innerJoin('customers', 'customers.id', 'remedies.customer_id')
    .selectAll('approvals')
    .select([
      'remedies.id as r_id', 'remedies.ticket_id as r_ticket_id', 'remedies.customer_id as r_customer_id', 'remedies.staff_id as r_staff_id', 'remedies.type as r_type', 'remedies.label as r_label',
      'remedies.value as r_value', 'remedies.note as r_note', 'remedies.status as r_status', 'remedies.granted_at as r_granted_at', 'remedies.created_at as r_created_at',
      'tickets.number as t_number', 'tickets.subject as t_subject', 'customers.name as c_name', 'customers.tier as c_tier', 'customers.lifetime_value as c_ltv',
    ])
    .where('approvals.workspace_id', '=', workspaceId);
  if (query.status !== 'all') select = select.where('approvals.status', '=', query.status);
  const rows = await select.orderBy('approvals.created_at').orderBy('approvals.id').limit(query.limit).execute();
  return rows.map((row) => {
    const { approval: _approval, ...remedy } = presentRemedy(
      { id: row.r_id, workspace_id: workspaceId, ticket_id: row.r_ticket_id, customer_id: row.r_customer_id, staff_id: row.r_staff_id, type: row.r_type, label: row.r_label, value: row.r_value, note: row.r_note, status: row.r_status, granted_at: row.r_granted_at, created_at: row.r_created_at },
      undefined,
    );
    return {
      ...presentApproval(row),
      remedy,
      ticket: { id: row.ticket_id, number: row.t_number, subject: row.t_subject },
      customer: { id: row.r_customer_id, name: row.c_name, tier: row.c_tier, lifetimeValue: Number(row.c_ltv) },
    };
  });
}
