import { sql } from 'kysely';
import type { Role } from '../../context.js';
import type { Dialect } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, forbidden } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireCustomer } from '../customers/index.js';
import { addMessage, requireTicket } from '../tickets/index.js';
import { checkLimits, lockRemedyBudget, overLimitReasons } from './limits.js';
import { presentRemedy, requireApproval, type ApprovalRow, type RemedyRow } from './remedy.repo.js';

export interface RemedyServices {
  bus: EventBus;
  dialect: Dialect;
}

export interface GrantRemedyInput {
  type: RemedyRow['type'];
  label?: string;
  value: number;
  note: string;
  reason?: string;
  reply?: { text: string; status?: string };
}

function remedyDetails(remedy: RemedyRow) {
  return { remedyId: remedy.id, type: remedy.type, label: remedy.label, value: Number(remedy.value), note: remedy.note, customerId: remedy.customer_id, staffId: remedy.staff_id };
}

/**
 * One step for the agent: within their limit the remedy is granted (and the reply sent) at once;
 * above it the remedy waits as an exception request for a manager. The limit is enforced here, on
 * the server, whatever the client shows.
 */
export async function grantRemedy(uow: UnitOfWork, services: RemedyServices, input: { workspaceId: string; actor: Actor; staffId: string; role: Role; ticketId: string; remedy: GrantRemedyInput }) {
  const { workspaceId, actor, staffId } = input;
  await lockRemedyBudget(uow.trx, services.dialect, workspaceId);
  const ticket = await requireTicket(uow.trx, workspaceId, input.ticketId);
  if (ticket.merged_into_id) throw new DomainError('invalid_state', 'This ticket was merged; grant the remedy on the ticket it was merged into.');
  // Refused now rather than when a manager approves: a held reply must be sendable later.
  if (input.remedy.reply && ticket.status_category === 'closed') throw new DomainError('invalid_state', 'This ticket is closed; open a follow-up ticket instead.');
  const customer = await requireCustomer(uow.trx, workspaceId, ticket.customer_id);
  const { settings: _settings, ...limits } = await checkLimits(uow.trx, { workspaceId, role: input.role, staffId, customerTier: customer.tier });
  const reasons = overLimitReasons(limits, input.remedy.value);
  const now = nowIso();
  const isGranted = reasons.length === 0;
  const remedy: RemedyRow = {
    id: newId(),
    workspace_id: workspaceId,
    ticket_id: ticket.id,
    customer_id: customer.id,
    staff_id: staffId,
    type: input.remedy.type,
    label: input.remedy.label ?? null,
    value: input.remedy.value,
    note: input.remedy.note,
    status: isGranted ? 'granted' : 'pending',
    granted_at: isGranted ? now : null,
    created_at: now,
  };
  await uow.trx.insertInto('remedies').values(remedy).execute();
  let approval: ApprovalRow | undefined;
  if (isGranted) {
    await services.bus.append(uow, { workspaceId, actor, type: 'remedy.granted', subjectType: 'remedy', subjectId: remedy.id, ticketId: ticket.id, payload: { ...remedyDetails(remedy), ticketNumber: ticket.number, approvalId: null, approvedBy: null } });
  } else {
    // The reply written in the same action waits with the request: the customer is not told of a
    // remedy nobody approved, and the agent does not have to write it again.
    approval = {
      id: newId(),
      workspace_id: workspaceId,
      remedy_id: remedy.id,
      ticket_id: ticket.id,
      requested_by: staffId,
      request_reason: input.remedy.reason ?? '',
      status: 'pending',
      decided_by: null,
      decision_reason: null,
      decided_at: null,
      created_at: now,
      held_reply_text: input.remedy.reply?.text ?? null,
      held_reply_status: input.remedy.reply?.status ?? null,
      held_reply_message_id: null,
    };
    await uow.trx.insertInto('approvals').values(approval).execute();
    await services.bus.append(uow, { workspaceId, actor, type: 'approval.requested', subjectType: 'approval', subjectId: approval.id, ticketId: ticket.id, payload: { approvalId: approval.id, ...remedyDetails(remedy), requestedBy: staffId, reasons, requestReason: approval.request_reason, hasHeldReply: approval.held_reply_text !== null } });
  }
  const replied =
    isGranted && input.remedy.reply
      ? await addMessage(uow, services, workspaceId, actor, ticket.id, { kind: 'outbound', text: input.remedy.reply.text, authorType: 'staff', authorId: staffId, status: input.remedy.reply.status })
      : null;
  return { outcome: isGranted ? ('granted' as const) : ('approval_requested' as const), reasons, remedy: presentRemedy(remedy, approval), limits, message: replied?.message ?? null, ticketId: ticket.id };
}

/** One click for the manager: approve or deny, with a reason the agent sees. */
export async function decideApproval(uow: UnitOfWork, services: RemedyServices, input: { workspaceId: string; actor: Actor; staffId: string; role: Role; approvalId: string; decision: 'approve' | 'deny'; reason: string }) {
  const { workspaceId, actor } = input;
  await lockRemedyBudget(uow.trx, services.dialect, workspaceId);
  const approval = await requireApproval(uow.trx, workspaceId, input.approvalId);
  if (approval.status !== 'pending') throw new DomainError('invalid_state', `This request was already ${approval.status}.`);
  // Approving your own exception would make the limit meaningless; the owner is the last resort.
  if (approval.requested_by === input.staffId && input.role !== 'owner') throw forbidden('Another manager must decide on your own exception request.');
  const remedy = await uow.trx.selectFrom('remedies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', approval.remedy_id).executeTakeFirstOrThrow();
  const now = nowIso();
  const isApproved = input.decision === 'approve';
  const ticket = await requireTicket(uow.trx, workspaceId, approval.ticket_id);
  const decided: ApprovalRow = { ...approval, status: isApproved ? 'approved' : 'denied', decided_by: input.staffId, decision_reason: input.reason, decided_at: now };
  const nextRemedy: RemedyRow = { ...remedy, status: isApproved ? 'granted' : 'denied', granted_at: isApproved ? now : null };
  await uow.trx.updateTable('approvals').set({ status: decided.status, decided_by: decided.decided_by, decision_reason: decided.decision_reason, decided_at: now }).where('id', '=', approval.id).execute();
  await uow.trx.updateTable('remedies').set({ status: nextRemedy.status, granted_at: nextRemedy.granted_at }).where('id', '=', remedy.id).execute();
  // The agent's held reply goes out with the approval, written by the agent; a ticket merged or
  // closed in the meantime cannot take it, so it is handed back like a denied one.
  const canSendReply = isApproved && approval.held_reply_text !== null && !ticket.merged_into_id && ticket.status_category !== 'closed';
  const heldReply = approval.held_reply_text === null ? null : canSendReply ? 'sent' : 'returned';
  await services.bus.append(uow, {
    workspaceId,
    actor,
    type: 'approval.decided',
    subjectType: 'approval',
    subjectId: approval.id,
    ticketId: approval.ticket_id,
    payload: { approvalId: approval.id, decision: input.decision, reason: input.reason, decidedBy: input.staffId, requestedBy: approval.requested_by, heldReply, ...remedyDetails(remedy) },
    recipients: [approval.requested_by],
  });
  await services.bus.append(uow, {
    workspaceId,
    actor,
    type: isApproved ? 'remedy.granted' : 'remedy.denied',
    subjectType: 'remedy',
    subjectId: remedy.id,
    ticketId: approval.ticket_id,
    payload: { ...remedyDetails(nextRemedy), ticketNumber: ticket.number, approvalId: approval.id, approvedBy: isApproved ? input.staffId : null, reason: input.reason },
  });
  if (canSendReply) {
    decided.held_reply_message_id = await sendHeldReply(uow, services, workspaceId, actor, approval);
    await uow.trx.updateTable('approvals').set({ held_reply_message_id: decided.held_reply_message_id }).where('id', '=', approval.id).execute();
  }
  return presentRemedy(nextRemedy, decided);
}

/**
 * Sends a held reply with the status it asked for. If that status is refused now (a playbook's
 * required steps block "solved"), the approval must not fail on it: the attempt, which had already
 * written the message, is undone to a savepoint and the reply goes out without the status change.
 */
async function sendHeldReply(uow: UnitOfWork, services: RemedyServices, workspaceId: string, actor: Actor, approval: ApprovalRow): Promise<string> {
  const reply = { kind: 'outbound' as const, text: approval.held_reply_text!, authorType: 'staff' as const, authorId: approval.requested_by };
  if (!approval.held_reply_status) return (await addMessage(uow, services, workspaceId, actor, approval.ticket_id, reply)).message.id;
  const eventCount = uow.events.length;
  await sql`SAVEPOINT held_reply`.execute(uow.trx);
  try {
    const sent = await addMessage(uow, services, workspaceId, actor, approval.ticket_id, { ...reply, status: approval.held_reply_status });
    await sql`RELEASE SAVEPOINT held_reply`.execute(uow.trx);
    return sent.message.id;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await sql`ROLLBACK TO SAVEPOINT held_reply`.execute(uow.trx);
    await sql`RELEASE SAVEPOINT held_reply`.execute(uow.trx);
    // Events of the undone attempt must not be published after commit either.
    uow.events.length = eventCount;
    return (await addMessage(uow, services, workspaceId, actor, approval.ticket_id, reply)).message.id;
  }
}
