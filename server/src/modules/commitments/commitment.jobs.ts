import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { systemActor, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { addMilliseconds, nowIso } from '../../lib/ids.js';
import { enqueueJob } from '../../jobs/queue.js';
import type { CommitmentRow } from './commitment.repo.js';
import { breakCommitment } from './commitment.service.js';

const PayloadSchema = z.object({ workspaceId: z.string(), commitmentId: z.string() });

/** The reminder before a promise falls due, and the check at the due time that breaks it if not kept. */
export function defineCommitmentJobs(context: AppContext) {
  const reminder = context.jobs.define({
    type: 'commitments.remind',
    version: 1,
    payload: PayloadSchema,
    handle: async (job, payload) => {
      const events: StoredEvent[] = [];
      await job.complete(async (trx) => {
        const commitment = await trx.selectFrom('commitments').selectAll().where('workspace_id', '=', payload.workspaceId).where('id', '=', payload.commitmentId).executeTakeFirst();
        if (!commitment || commitment.status !== 'open') return;
        await context.bus.append({ trx, events }, {
          workspaceId: commitment.workspace_id,
          actor: systemActor,
          type: 'commitment.reminder',
          subjectType: 'commitment',
          subjectId: commitment.id,
          ticketId: commitment.ticket_id,
          payload: { commitmentId: commitment.id, description: commitment.description, dueAt: commitment.due_at, staffId: commitment.staff_id },
        });
      });
      context.bus.publish(events);
    },
  });

  const dueCheck = context.jobs.define({
    type: 'commitments.check-due',
    version: 1,
    payload: PayloadSchema,
    handle: async (job, payload) => {
      const events: StoredEvent[] = [];
      await job.complete(async (trx) => {
        const commitment = await trx.selectFrom('commitments').selectAll().where('workspace_id', '=', payload.workspaceId).where('id', '=', payload.commitmentId).executeTakeFirst();
        if (!commitment || commitment.status !== 'open') return;
        const now = nowIso();
        if (now < commitment.due_at) throw new Error('ran before the commitment was due; will retry');
        await breakCommitment({ trx, events }, context.bus, commitment, systemActor, now);
      });
      context.bus.publish(events);
    },
  });

  return async function schedule(uow: UnitOfWork, commitment: CommitmentRow, reminderMinutes: number): Promise<void> {
    const payload = { workspaceId: commitment.workspace_id, commitmentId: commitment.id };
    const remindAt = addMilliseconds(commitment.due_at, -reminderMinutes * 60_000);
    // A promise due sooner than the reminder lead gets no reminder: the agent just made it.
    if (remindAt > nowIso()) await enqueueJob(uow.trx, reminder, payload, { id: `commitment-remind:${commitment.id}`, workspaceId: commitment.workspace_id, runAt: remindAt });
    await enqueueJob(uow.trx, dueCheck, payload, { id: `commitment-due:${commitment.id}`, workspaceId: commitment.workspace_id, runAt: commitment.due_at });
  };
}
