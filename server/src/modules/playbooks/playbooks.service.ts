import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { requireTicket, type StatusGuard } from '../tickets/index.js';

export interface Step {
  id: string;
  title: string;
  required: boolean;
}
type Ticked = Record<string, { at: string; by: Actor }>;

export type PlaybookRow = Row<'playbooks'>;
export type AttachmentRow = Row<'ticket_playbooks'>;

export function presentAttachment(row: AttachmentRow) {
  const ticked = parseJson<Ticked>(row.ticked, {});
  const steps = parseJson<Step[]>(row.steps, []).map((step) => ({ ...step, done: Boolean(ticked[step.id]), doneAt: ticked[step.id]?.at ?? null }));
  return { id: row.id, playbookId: row.playbook_id, name: row.name, steps, attachedAt: row.attached_at, completedAt: row.completed_at };
}

export async function requirePlaybook(trx: Tx, workspaceId: string, id: string): Promise<PlaybookRow> {
  const row = await trx.selectFrom('playbooks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Playbook');
  return row;
}

/** Attaches a playbook once per ticket (attaching again returns the existing checklist). */
export async function attachPlaybook(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, ticketId: string, playbookId: string, extra: Record<string, unknown> = {}): Promise<AttachmentRow> {
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  const playbook = await requirePlaybook(uow.trx, workspaceId, playbookId);
  const existing = await uow.trx.selectFrom('ticket_playbooks').selectAll().where('ticket_id', '=', ticket.id).where('playbook_id', '=', playbook.id).executeTakeFirst();
  if (existing) return existing;
  const row: AttachmentRow = { id: newId(), workspace_id: workspaceId, ticket_id: ticket.id, playbook_id: playbook.id, name: playbook.name, steps: playbook.steps, ticked: '{}', attached_at: nowIso(), completed_at: null };
  await uow.trx.insertInto('ticket_playbooks').values(row).execute();
  await bus.append(uow, { workspaceId, actor, type: 'playbook.attached', subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, payload: { attachmentId: row.id, playbookId: playbook.id, name: playbook.name, ...extra } });
  return row;
}

export async function tickStep(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, ticketId: string, attachmentId: string, stepId: string, done: boolean): Promise<AttachmentRow> {
  const row = await uow.trx.selectFrom('ticket_playbooks').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).where('id', '=', attachmentId).executeTakeFirst();
  if (!row) throw notFound('Playbook on this ticket');
  const steps = parseJson<Step[]>(row.steps, []);
  const step = steps.find((candidate) => candidate.id === stepId);
  if (!step) throw notFound('Step');
  const ticked = parseJson<Ticked>(row.ticked, {});
  if (Boolean(ticked[stepId]) === done) return row;
  const now = nowIso();
  if (done) ticked[stepId] = { at: now, by: actor };
  else delete ticked[stepId];
  const completedAt = steps.every((candidate) => ticked[candidate.id]) ? (row.completed_at ?? now) : null;
  await uow.trx.updateTable('ticket_playbooks').set({ ticked: JSON.stringify(ticked), completed_at: completedAt }).where('id', '=', row.id).execute();
  const append = (type: string, payload: Record<string, unknown>) => bus.append(uow, { workspaceId, actor, type, subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { attachmentId: row.id, playbookId: row.playbook_id, ...payload } });
  await append(done ? 'playbook.step_ticked' : 'playbook.step_unticked', { stepId, title: step.title });
  if (completedAt && !row.completed_at) await append('playbook.completed', { name: row.name });
  return { ...row, ticked: JSON.stringify(ticked), completed_at: completedAt };
}

/** Required steps block "solved" (not "closed": merging closes tickets, and that must still work). */
export const requiredStepsGuard: StatusGuard = async (uow, ticket, next) => {
  if (next.category !== 'solved') return;
  const rows = await uow.trx.selectFrom('ticket_playbooks').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).execute();
  const missing: string[] = [];
  for (const row of rows) {
    const ticked = parseJson<Ticked>(row.ticked, {});
    for (const step of parseJson<Step[]>(row.steps, [])) if (step.required && !ticked[step.id]) missing.push(`"${step.title}" (${row.name})`);
  }
  if (missing.length > 0) throw new DomainError('invalid_state', `This ticket cannot be solved yet: required playbook steps are not done: ${missing.join(', ')}.`);
};
