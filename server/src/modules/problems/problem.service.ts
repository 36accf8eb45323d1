import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';

export type ProblemRow = Row<'problems'>;
export type PreventiveActionRow = Row<'preventive_actions'>;

/** Root causes with the same category and the same "what failed" (ignoring case, spacing, punctuation) are one problem. */
export function problemKey(whatFailed: string): string {
  return whatFailed.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export interface RootCauseInput {
  workspaceId: string;
  actor: Actor;
  recoveryId: string;
  ticketId: string;
  customerId: string;
  category: string;
  whatFailed: string;
  preventiveAction?: { description: string; ownerId?: string | null; dueAt?: string | null };
}

async function requireActiveStaff(trx: Tx, workspaceId: string, staffId: string) {
  const staff = await trx.selectFrom('staff').select('id').where('workspace_id', '=', workspaceId).where('id', '=', staffId).where('is_active', '=', 1).executeTakeFirst();
  if (!staff) throw new DomainError('validation_failed', 'The owner is not an active staff member of this workspace.', [{ path: 'body.ownerId', message: 'is not an active staff member' }]);
}

/** Records a recovery's root cause under its problem (created on first sight) with an optional preventive action. */
export async function recordRootCause(uow: UnitOfWork, bus: EventBus, input: RootCauseInput) {
  const { trx } = uow;
  const now = nowIso();
  const category = input.category.trim().toLowerCase();
  const titleKey = problemKey(input.whatFailed);
  if (!titleKey) throw new DomainError('validation_failed', 'Say what failed.', [{ path: 'body.whatFailed', message: 'has no words' }]);
  const candidate: ProblemRow = { id: newId(), workspace_id: input.workspaceId, category, title: input.whatFailed.trim(), title_key: titleKey, status: 'open', created_at: now, updated_at: now };
  const inserted = await trx.insertInto('problems').values(candidate).onConflict((conflict) => conflict.columns(['workspace_id', 'category', 'title_key']).doNothing()).executeTakeFirst();
  const isNew = Number(inserted.numInsertedOrUpdatedRows ?? 1n) > 0;
  const problem = isNew ? candidate : await trx.selectFrom('problems').selectAll().where('workspace_id', '=', input.workspaceId).where('category', '=', category).where('title_key', '=', titleKey).executeTakeFirstOrThrow();
  // A problem thought solved that causes another misery is open again.
  if (!isNew && problem.status !== 'open') await trx.updateTable('problems').set({ status: 'open', updated_at: now }).where('id', '=', problem.id).execute();

  const rootCause = { id: newId(), workspace_id: input.workspaceId, recovery_id: input.recoveryId, problem_id: problem.id, ticket_id: input.ticketId, customer_id: input.customerId, category, what_failed: input.whatFailed.trim(), created_by: input.actor.id, created_at: now };
  const added = await trx.insertInto('root_causes').values(rootCause).onConflict((conflict) => conflict.columns(['workspace_id', 'recovery_id']).doNothing()).executeTakeFirst();
  if (Number(added.numInsertedOrUpdatedRows ?? 1n) === 0) throw new DomainError('conflict', 'This recovery already has its root cause.');
  await bus.append(uow, { workspaceId: input.workspaceId, actor: input.actor, type: 'root_cause.recorded', subjectType: 'problem', subjectId: problem.id, ticketId: input.ticketId, payload: { rootCauseId: rootCause.id, recoveryId: input.recoveryId, problemId: problem.id, isNewProblem: isNew, category, whatFailed: rootCause.what_failed } });
  const action = input.preventiveAction ? await addPreventiveAction(uow, bus, { workspaceId: input.workspaceId, actor: input.actor, problemId: problem.id, rootCauseId: rootCause.id, ...input.preventiveAction }) : null;
  return { problemId: problem.id, rootCauseId: rootCause.id, preventiveActionId: action?.id ?? null };
}

export async function addPreventiveAction(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; actor: Actor; problemId: string; rootCauseId?: string | null; description: string; ownerId?: string | null; dueAt?: string | null }) {
  const problem = await requireProblem(uow.trx, input.workspaceId, input.problemId);
  if (input.ownerId) await requireActiveStaff(uow.trx, input.workspaceId, input.ownerId);
  const now = nowIso();
  const row: PreventiveActionRow = { id: newId(), workspace_id: input.workspaceId, problem_id: problem.id, root_cause_id: input.rootCauseId ?? null, description: input.description.trim(), owner_id: input.ownerId ?? null, due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null, status: 'open', done_at: null, created_at: now };
  await uow.trx.insertInto('preventive_actions').values(row).execute();
  if (problem.status !== 'open') await uow.trx.updateTable('problems').set({ status: 'open', updated_at: now }).where('id', '=', problem.id).execute();
  await bus.append(uow, { workspaceId: input.workspaceId, actor: input.actor, type: 'preventive_action.created', subjectType: 'preventive_action', subjectId: row.id, payload: { problemId: problem.id, description: row.description, ownerId: row.owner_id, dueAt: row.due_at } });
  return row;
}

/** Done (or undone); the problem counts as solved once every preventive action is done. */
export async function setPreventiveActionStatus(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; actor: Actor; actionId: string; status: 'open' | 'done' }) {
  const action = await uow.trx.selectFrom('preventive_actions').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.actionId).executeTakeFirst();
  if (!action) throw notFound('Preventive action');
  if (action.status === input.status) return action;
  const now = nowIso();
  const next: PreventiveActionRow = { ...action, status: input.status, done_at: input.status === 'done' ? now : null };
  await uow.trx.updateTable('preventive_actions').set({ status: next.status, done_at: next.done_at }).where('id', '=', action.id).execute();
  await bus.append(uow, { workspaceId: input.workspaceId, actor: input.actor, type: input.status === 'done' ? 'preventive_action.done' : 'preventive_action.reopened', subjectType: 'preventive_action', subjectId: action.id, payload: { problemId: action.problem_id } });
  const open = await uow.trx.selectFrom('preventive_actions').select('id').where('workspace_id', '=', input.workspaceId).where('problem_id', '=', action.problem_id).where('status', '=', 'open').executeTakeFirst();
  const problemStatus = open ? 'open' : 'solved';
  const problem = await requireProblem(uow.trx, input.workspaceId, action.problem_id);
  if (problem.status !== problemStatus) {
    await uow.trx.updateTable('problems').set({ status: problemStatus, updated_at: now }).where('id', '=', problem.id).execute();
    await bus.append(uow, { workspaceId: input.workspaceId, actor: input.actor, type: problemStatus === 'solved' ? 'problem.solved' : 'problem.reopened', subjectType: 'problem', subjectId: problem.id, payload: { category: problem.category, title: problem.title } });
  }
  return next;
}

export async function requireProblem(db: Db | Tx, workspaceId: string, id: string): Promise<ProblemRow> {
  const problem = await db.selectFrom('problems').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!problem) throw notFound('Problem');
  return problem;
}
