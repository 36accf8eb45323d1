import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { systemActor, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { enqueueJob } from '../../jobs/queue.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { addMessage } from '../tickets/index.js';
import type { RecoveryRow, RecoveryStep } from './recovery.service.js';
import { loadRecoverySettings } from './recovery.settings.js';

/**
 * The follow-up N days after the customer was told what was done: it either reminds the agent
 * (`recovery.follow_up_due`) or sends the workspace's follow-up message on the ticket. Done once;
 * a recovery closed in the meantime needs no follow-up.
 */
export function defineRecoveryJobs(context: AppContext) {
  const { dialect } = context.database;
  const followUp = context.jobs.define({
    type: 'recovery.follow_up',
    version: 1,
    payload: z.object({ workspaceId: z.string(), recoveryId: z.string() }),
    handle: async (job, payload) => {
      const events: StoredEvent[] = [];
      await job.complete(async (trx) => {
        const uow = { trx, events };
        const recovery = await trx.selectFrom('recoveries').selectAll().where('workspace_id', '=', payload.workspaceId).where('id', '=', payload.recoveryId).executeTakeFirst();
        if (!recovery || recovery.status !== 'open' || !recovery.follow_up_at) return;
        if (nowIso() < recovery.follow_up_at) throw new Error('ran before the follow-up was due; will retry');
        const steps = parseJson<RecoveryStep[]>(recovery.steps, []);
        if (steps.some((step) => step.key === 'follow_up' && step.done)) return;
        const settings = await loadRecoverySettings(trx, payload.workspaceId);
        const ticket = await trx.selectFrom('tickets').select(['status_category', 'assignee_id']).where('id', '=', recovery.ticket_id).executeTakeFirst();
        const canSend = settings.followUpAction === 'send' && ticket && ticket.status_category !== 'closed';
        const common = { workspaceId: recovery.workspace_id, actor: systemActor, subjectType: 'recovery', subjectId: recovery.id, ticketId: recovery.ticket_id };
        if (canSend) {
          const { message } = await addMessage(uow, { bus: context.bus, dialect }, recovery.workspace_id, systemActor, recovery.ticket_id, { kind: 'outbound', text: settings.followUpMessage, authorType: 'system', authorId: null, metadata: { recoveryId: recovery.id } });
          const now = nowIso();
          const ticked = steps.map((step) => (step.key === 'follow_up' ? { ...step, done: true, doneAt: now, doneBy: null, note: 'follow-up sent' } : step));
          await trx.updateTable('recoveries').set({ steps: JSON.stringify(ticked), updated_at: now }).where('id', '=', recovery.id).execute();
          await context.bus.append(uow, { ...common, type: 'recovery.follow_up_sent', payload: { recoveryId: recovery.id, customerId: recovery.customer_id, messageId: message.id } });
        } else {
          await context.bus.append(uow, { ...common, type: 'recovery.follow_up_due', payload: { recoveryId: recovery.id, customerId: recovery.customer_id, staffId: ticket?.assignee_id ?? null } });
        }
      });
      context.bus.publish(events);
    },
  });

  return async function scheduleFollowUp(uow: UnitOfWork, recovery: RecoveryRow, runAt: string): Promise<void> {
    await enqueueJob(uow.trx, followUp, { workspaceId: recovery.workspace_id, recoveryId: recovery.id }, { id: `recovery-follow-up:${recovery.id}`, workspaceId: recovery.workspace_id, runAt });
  };
}
