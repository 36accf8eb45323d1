import type { Role } from '../../context.js';
import type { Dialect } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireCustomer } from '../customers/index.js';
import { checkLimits, overLimitReasons } from '../remedies/index.js';
import { requireTicket } from '../tickets/index.js';
import { presentCommitment, requireCommitment, type CommitmentRow } from './commitment.repo.js';

export interface CommitmentServices {
  bus: EventBus;
  dialect: Dialect;
  /** Schedules the reminder and the due check; the caller owns the job definitions. */
  schedule(uow: UnitOfWork, commitment: CommitmentRow, reminderMinutes: number): Promise<void>;
}

/** "Ahead of expectations" (PRODUCT.md section 4): done with at least 20% of the promised time to spare. */
export const earlyMargin = 0.2;

export function isKeptEarly(commitment: { created_at: string; due_at: string }, keptAt: string): boolean {
  const promised = Date.parse(commitment.due_at) - Date.parse(commitment.created_at);
  const spare = Date.parse(commitment.due_at) - Date.parse(keptAt);
  return promised > 0 && spare >= promised * earlyMargin;
}

type Warning = { code: 'over_per_remedy_limit' | 'over_monthly_limit' | 'over_workspace_budget' | 'over_customer_value'; message: string };

async function overpromiseWarnings(uow: UnitOfWork, input: { workspaceId: string; role: Role; staffId: string; customer: { tier: string; lifetime_value: number }; value: number }) {
  const { settings, ...limits } = await checkLimits(uow.trx, { workspaceId: input.workspaceId, role: input.role, staffId: input.staffId, customerTier: input.customer.tier });
  const messages = {
    over_per_remedy_limit: `This remedy is above your limit of ${limits.perRemedy}; it will need a manager's approval.`,
    over_monthly_limit: `This remedy would take you past your monthly allowance (${limits.usedThisMonth} of ${limits.perMonth} used).`,
    over_workspace_budget: `This remedy would exceed the monthly remedy budget (${limits.workspaceUsedThisMonth} of ${limits.workspaceBudget} used).`,
  };
  const warnings: Warning[] = overLimitReasons(limits, input.value).map((code) => ({ code, message: messages[code] }));
  const lifetimeValue = Number(input.customer.lifetime_value);
  if (input.value > lifetimeValue * settings.overpromiseLtvShare) {
    warnings.push({ code: 'over_customer_value', message: `This remedy is more than ${Math.round(settings.overpromiseLtvShare * 100)}% of the customer's lifetime value (${lifetimeValue}).` });
  }
  return { warnings, reminderMinutes: settings.commitmentReminderMinutes };
}

export async function createCommitment(
  uow: UnitOfWork,
  services: CommitmentServices,
  input: { workspaceId: string; actor: Actor; staffId: string; role: Role; ticketId: string; description: string; dueAt: string; remedy?: { type: string; value: number } },
) {
  const ticket = await requireTicket(uow.trx, input.workspaceId, input.ticketId);
  const customer = await requireCustomer(uow.trx, input.workspaceId, ticket.customer_id);
  const now = nowIso();
  const dueAt = new Date(input.dueAt).toISOString();
  if (dueAt <= now) throw new DomainError('validation_failed', 'A promise must fall due in the future.', [{ path: 'body.dueAt', message: 'is in the past' }]);
  const { warnings, reminderMinutes } = input.remedy
    ? await overpromiseWarnings(uow, { workspaceId: input.workspaceId, role: input.role, staffId: input.staffId, customer, value: input.remedy.value })
    : { warnings: [], reminderMinutes: (await checkLimits(uow.trx, { workspaceId: input.workspaceId, role: input.role, staffId: input.staffId, customerTier: customer.tier })).settings.commitmentReminderMinutes };
  const row: CommitmentRow = {
    id: newId(),
    workspace_id: input.workspaceId,
    ticket_id: ticket.id,
    customer_id: customer.id,
    staff_id: input.staffId,
    description: input.description,
    due_at: dueAt,
    remedy_type: input.remedy?.type ?? null,
    remedy_value: input.remedy?.value ?? null,
    status: 'open',
    is_kept_early: 0,
    settled_at: null,
    created_at: now,
  };
  await uow.trx.insertInto('commitments').values(row).execute();
  await services.bus.append(uow, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    type: 'commitment.created',
    subjectType: 'commitment',
    subjectId: row.id,
    ticketId: ticket.id,
    payload: { commitmentId: row.id, description: row.description, dueAt, staffId: input.staffId, customerId: customer.id, remedy: input.remedy ?? null, warnings: warnings.map((warning) => warning.code) },
  });
  await services.schedule(uow, row, reminderMinutes);
  return { ...presentCommitment(row), warnings };
}

/** Kept on or before the due time; kept with 20% of the promised time to spare is kept early. */
export async function keepCommitment(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; actor: Actor; commitmentId: string; now?: string }) {
  const commitment = await requireCommitment(uow.trx, input.workspaceId, input.commitmentId);
  if (commitment.status !== 'open') throw new DomainError('invalid_state', `This promise is already ${commitment.status}.`);
  const now = input.now ?? nowIso();
  if (now > commitment.due_at) return breakCommitment(uow, bus, commitment, input.actor, now);
  const isEarly = isKeptEarly(commitment, now);
  const next: CommitmentRow = { ...commitment, status: 'kept', is_kept_early: isEarly ? 1 : 0, settled_at: now };
  await uow.trx.updateTable('commitments').set({ status: 'kept', is_kept_early: next.is_kept_early, settled_at: now }).where('id', '=', commitment.id).where('status', '=', 'open').execute();
  await bus.append(uow, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    type: isEarly ? 'commitment.kept_early' : 'commitment.kept',
    subjectType: 'commitment',
    subjectId: commitment.id,
    ticketId: commitment.ticket_id,
    payload: { commitmentId: commitment.id, description: commitment.description, dueAt: commitment.due_at, keptAt: now, isEarly, staffId: commitment.staff_id, customerId: commitment.customer_id },
  });
  return presentCommitment(next);
}

/** A broken promise is a moment of misery: the recovery workflow listens for commitment.broken. */
export async function breakCommitment(uow: UnitOfWork, bus: EventBus, commitment: CommitmentRow, actor: Actor, now: string) {
  const next: CommitmentRow = { ...commitment, status: 'broken', settled_at: now };
  const updated = await uow.trx.updateTable('commitments').set({ status: 'broken', settled_at: now }).where('id', '=', commitment.id).where('status', '=', 'open').executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return presentCommitment(commitment);
  await bus.append(uow, {
    workspaceId: commitment.workspace_id,
    actor,
    type: 'commitment.broken',
    subjectType: 'commitment',
    subjectId: commitment.id,
    ticketId: commitment.ticket_id,
    payload: { commitmentId: commitment.id, description: commitment.description, dueAt: commitment.due_at, staffId: commitment.staff_id, customerId: commitment.customer_id, remedy: commitment.remedy_type ? { type: commitment.remedy_type, value: Number(commitment.remedy_value) } : null },
  });
  return presentCommitment(next);
}
