import type { Db, Dialect, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import type { Actor, EventBus, StoredEvent, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { recordRootCause } from '../problems/index.js';
import { loadRecoverySettings, suggestRemedy } from './recovery.settings.js';

export type RecoveryRow = Row<'recoveries'>;
export interface RecoveryStep {
  key: string;
  label: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
  note: string;
}

export interface RecoveryServices {
  bus: EventBus;
  dialect: Dialect;
  /** Schedules the follow-up; the routes own the job definition. */
  scheduleFollowUp(uow: UnitOfWork, recovery: RecoveryRow, runAt: string): Promise<void>;
}

const activeStatuses = ['proposed', 'open'] as const;

export function presentRecovery(row: RecoveryRow) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    customerId: row.customer_id,
    momentId: row.moment_id,
    status: row.status,
    outcome: row.outcome,
    steps: parseJson<RecoveryStep[]>(row.steps, []),
    suggestedRemedy: parseJson<{ type: string; value: number; reason: string }>(row.suggested_remedy, { type: 'goodwill', value: 0, reason: '' }),
    lifetimeValue: Number(row.lifetime_value),
    followUpAt: row.follow_up_at,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
  };
}

export async function requireRecovery(db: Db | Tx, workspaceId: string, id: string): Promise<RecoveryRow> {
  const row = await db.selectFrom('recoveries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Recovery');
  return row;
}

async function activeRecoveryOf(uow: UnitOfWork, workspaceId: string, ticketId: string) {
  return uow.trx.selectFrom('recoveries').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).where('status', 'in', [...activeStatuses]).orderBy('created_at').executeTakeFirst();
}

const append = (uow: UnitOfWork, bus: EventBus, actor: Actor, recovery: RecoveryRow, type: string, payload: Record<string, unknown> = {}) =>
  bus.append(uow, { workspaceId: recovery.workspace_id, actor, type, subjectType: 'recovery', subjectId: recovery.id, ticketId: recovery.ticket_id, payload: { recoveryId: recovery.id, customerId: recovery.customer_id, ...payload } });

/**
 * A misery on a ticket opens (or proposes) one recovery; further miseries while it is active
 * belong to the same recovery rather than starting another.
 */
export async function openRecoveryForMisery(uow: UnitOfWork, bus: EventBus, event: StoredEvent, actor: Actor): Promise<RecoveryRow | null> {
  if (!event.ticketId) return null;
  if (await activeRecoveryOf(uow, event.workspaceId, event.ticketId)) return null;
  const ticket = await uow.trx.selectFrom('tickets').innerJoin('customers', 'customers.id', 'tickets.customer_id').select(['tickets.id', 'tickets.customer_id', 'customers.lifetime_value']).where('tickets.workspace_id', '=', event.workspaceId).where('tickets.id', '=', event.ticketId).executeTakeFirst();
  if (!ticket) return null;
  const settings = await loadRecoverySettings(uow.trx, event.workspaceId);
  const now = nowIso();
  const lifetimeValue = Number(ticket.lifetime_value) || 0;
  const steps: RecoveryStep[] = settings.playbook.map((step) => ({ ...step, done: false, doneAt: null, doneBy: null, note: '' }));
  const isAutomatic = settings.mode === 'automatic';
  const row: RecoveryRow = {
    id: newId(),
    workspace_id: event.workspaceId,
    ticket_id: ticket.id,
    customer_id: ticket.customer_id,
    moment_id: event.subjectId,
    status: isAutomatic ? 'open' : 'proposed',
    outcome: null,
    steps: JSON.stringify(steps),
    suggested_remedy: JSON.stringify(suggestRemedy(lifetimeValue, settings.remedy)),
    lifetime_value: lifetimeValue,
    follow_up_at: null,
    opened_at: isAutomatic ? now : null,
    closed_at: null,
    created_at: now,
    updated_at: now,
  };
  await uow.trx.insertInto('recoveries').values(row).execute();
  await append(uow, bus, actor, row, isAutomatic ? 'recovery.opened' : 'recovery.proposed', { momentId: event.subjectId, rule: event.payload.rule ?? null, suggestedRemedy: parseJson(row.suggested_remedy, {}) });
  return row;
}

export async function decideProposal(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; actor: Actor; recoveryId: string; accept: boolean }) {
  const recovery = await requireRecovery(uow.trx, input.workspaceId, input.recoveryId);
  if (recovery.status !== 'proposed') throw new DomainError('invalid_state', `This recovery is ${recovery.status}, not proposed.`);
  const now = nowIso();
  const next: RecoveryRow = input.accept ? { ...recovery, status: 'open', opened_at: now, updated_at: now } : { ...recovery, status: 'dismissed', closed_at: now, updated_at: now };
  await uow.trx.updateTable('recoveries').set({ status: next.status, opened_at: next.opened_at, closed_at: next.closed_at, updated_at: now }).where('id', '=', recovery.id).execute();
  await append(uow, bus, input.actor, next, input.accept ? 'recovery.opened' : 'recovery.dismissed', { momentId: recovery.moment_id });
  return next;
}

export async function tickStep(uow: UnitOfWork, services: RecoveryServices, input: { workspaceId: string; actor: Actor; recoveryId: string; key: string; done: boolean; note?: string }) {
  const recovery = await requireRecovery(uow.trx, input.workspaceId, input.recoveryId);
  if (recovery.status !== 'open') throw new DomainError('invalid_state', `This recovery is ${recovery.status}; only an open recovery's steps can be ticked.`);
  const steps = parseJson<RecoveryStep[]>(recovery.steps, []);
  const step = steps.find((candidate) => candidate.key === input.key);
  if (!step) throw notFound('Step');
  const now = nowIso();
  step.done = input.done;
  step.doneAt = input.done ? now : null;
  step.doneBy = input.done ? input.actor.id : null;
  if (input.note !== undefined) step.note = input.note;
  let next: RecoveryRow = { ...recovery, steps: JSON.stringify(steps), updated_at: now };
  // Telling the customer what was done starts the clock for the follow-up.
  if (input.key === 'tell' && input.done && !recovery.follow_up_at) {
    const settings = await loadRecoverySettings(uow.trx, input.workspaceId);
    next = { ...next, follow_up_at: addMilliseconds(now, settings.followUpDays * 86_400_000) };
    await services.scheduleFollowUp(uow, next, next.follow_up_at!);
  }
  await uow.trx.updateTable('recoveries').set({ steps: next.steps, follow_up_at: next.follow_up_at, updated_at: now }).where('id', '=', recovery.id).execute();
  await append(uow, services.bus, input.actor, next, 'recovery.step_ticked', { step: input.key, done: input.done });
  return next;
}

/** Closing appends `recovery.closed`: a recovered misery is a moment of magic, and surveys may ask how it went. */
export async function closeRecovery(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; actor: Actor; recoveryId: string; outcome: 'recovered' | 'not_recovered'; reason: string }) {
  const recovery = await requireRecovery(uow.trx, input.workspaceId, input.recoveryId);
  if (recovery.status === 'closed' || recovery.status === 'dismissed') throw new DomainError('invalid_state', `This recovery is already ${recovery.status}.`);
  const now = nowIso();
  const next: RecoveryRow = { ...recovery, status: 'closed', outcome: input.outcome, closed_at: now, opened_at: recovery.opened_at ?? now, updated_at: now };
  await uow.trx.updateTable('recoveries').set({ status: 'closed', outcome: input.outcome, closed_at: now, opened_at: next.opened_at, updated_at: now }).where('id', '=', recovery.id).where('status', 'in', [...activeStatuses]).execute();
  await append(uow, bus, input.actor, next, 'recovery.closed', { outcome: input.outcome, reason: input.reason, momentId: recovery.moment_id, ticketId: recovery.ticket_id });
  return next;
}

/** Evidence of recovery from the customer: a follow-up CSAT of 4 or 5, or a positive reply once they were told what was done. */
export async function closeOnCustomerEvidence(uow: UnitOfWork, bus: EventBus, event: StoredEvent, actor: Actor): Promise<void> {
  if (!event.ticketId) return;
  const recovery = await activeRecoveryOf(uow, event.workspaceId, event.ticketId);
  if (!recovery || recovery.status !== 'open') return;
  if (event.type === 'survey.answered') {
    const score = event.payload.score;
    if (event.payload.kind === 'csat' && typeof score === 'number' && score >= 4) await closeRecovery(uow, bus, { workspaceId: event.workspaceId, actor, recoveryId: recovery.id, outcome: 'recovered', reason: `CSAT ${score}` });
    return;
  }
  const told = parseJson<RecoveryStep[]>(recovery.steps, []).some((step) => step.key === 'tell' && step.done);
  const sentiment = Number(event.payload.sentiment);
  const agitation = Number(event.payload.agitation);
  if (told && sentiment >= 0.3 && agitation < 0.3) await closeRecovery(uow, bus, { workspaceId: event.workspaceId, actor, recoveryId: recovery.id, outcome: 'recovered', reason: 'positive reply' });
}

export async function recordRecoveryRootCause(uow: UnitOfWork, services: RecoveryServices, input: { workspaceId: string; actor: Actor; recoveryId: string; category: string; whatFailed: string; preventiveAction?: { description: string; ownerId?: string | null; dueAt?: string | null } }) {
  const recovery = await requireRecovery(uow.trx, input.workspaceId, input.recoveryId);
  if (recovery.status === 'dismissed') throw new DomainError('invalid_state', 'This recovery was dismissed.');
  const result = await recordRootCause(uow, services.bus, { workspaceId: input.workspaceId, actor: input.actor, recoveryId: recovery.id, ticketId: recovery.ticket_id, customerId: recovery.customer_id, category: input.category, whatFailed: input.whatFailed, preventiveAction: input.preventiveAction });
  const hasStep = parseJson<RecoveryStep[]>(recovery.steps, []).some((step) => step.key === 'root_cause');
  if (hasStep && recovery.status === 'open') await tickStep(uow, services, { workspaceId: input.workspaceId, actor: input.actor, recoveryId: recovery.id, key: 'root_cause', done: true });
  return result;
}
