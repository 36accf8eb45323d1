import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Row } from '../../db/schema.js';
import { systemActor, type Actor, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { notFound } from '../../http/errors.js';
import { enqueueJob, type JobDefinition } from '../../jobs/queue.js';
import { newId, newSecretToken, nowIso, sha256 } from '../../lib/ids.js';
import { recordFeedback } from '../feedback/index.js';

type NoteRow = Row<'staff_voice_notes'>;
const dayMilliseconds = 86_400_000;

export function startOfDay(iso: string): string {
  return `${iso.slice(0, 10)}T00:00:00.000Z`;
}

/**
 * Anonymous means the stored records cannot identify the author: no staff id on the note, the
 * event or the feedback item; a random (not time-ordered) id; the day instead of the time. Even
 * the event announcing the note would date it to the millisecond, and that time could be matched
 * with the author's other activity, so anonymous notes are announced (and fed to themes) by a
 * digest job that runs after the day ends; its job row carries only the day too.
 */
export function defineStaffVoiceDigest(context: AppContext) {
  const digest: JobDefinition<z.ZodObject<{ workspaceId: z.ZodString; day: z.ZodString }>> = context.jobs.define({
    type: 'staff_voice.digest',
    version: 1,
    payload: z.object({ workspaceId: z.string(), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    async handle(jobContext, payload) {
      const events: StoredEvent[] = [];
      await jobContext.complete(async (trx) => {
        const uow = { trx, events };
        const notes = await trx.selectFrom('staff_voice_notes').select(['id', 'body', 'created_on']).where('workspace_id', '=', payload.workspaceId).where('is_processed', '=', 0).where('created_on', '<=', payload.day).orderBy('id').limit(1000).execute();
        if (notes.length === 0) return;
        for (const note of notes) {
          await recordFeedback(uow, context.bus, { workspaceId: payload.workspaceId, source: 'staff_voice', sourceId: note.id, sourceKey: 'source:staff_voice', text: note.body, createdAt: `${note.created_on}T00:00:00.000Z` });
        }
        await trx.updateTable('staff_voice_notes').set({ is_processed: 1 }).where('id', 'in', notes.map((note) => note.id)).execute();
        await context.bus.append(uow, { workspaceId: payload.workspaceId, actor: systemActor, type: 'staff_voice.notes_received', subjectType: 'workspace', subjectId: payload.workspaceId, payload: { anonymous: true, count: notes.length, noteIds: notes.map((note) => note.id).sort(), day: payload.day } });
      });
      context.bus.publish(events);
    },
  });
  return digest;
}

export async function submitNote(uow: UnitOfWork, context: AppContext, digest: ReturnType<typeof defineStaffVoiceDigest>, input: { workspaceId: string; staffId: string; actor: Actor; body: string; anonymous: boolean }) {
  const followUpToken = newSecretToken();
  const today = nowIso().slice(0, 10);
  const note: NoteRow = {
    id: input.anonymous ? crypto.randomUUID() : newId(),
    workspace_id: input.workspaceId,
    is_anonymous: input.anonymous ? 1 : 0,
    author_staff_id: input.anonymous ? null : input.staffId,
    body: input.body,
    status: 'new',
    response: null,
    responded_by: null,
    responded_at: null,
    follow_up_token_hash: sha256(followUpToken),
    created_on: today,
    is_processed: input.anonymous ? 0 : 1,
  };
  await uow.trx.insertInto('staff_voice_notes').values(note).execute();
  if (input.anonymous) {
    const dayStart = `${today}T00:00:00.000Z`;
    const jobId = `staff-voice-digest:${input.workspaceId}:${today}`;
    const runAt = new Date(Date.parse(dayStart) + dayMilliseconds).toISOString();
    await enqueueJob(uow.trx, digest, { workspaceId: input.workspaceId, day: today }, { workspaceId: input.workspaceId, id: jobId, runAt });
    await uow.trx.updateTable('jobs').set({ created_at: dayStart, updated_at: dayStart }).where('id', '=', jobId).where('status', '=', 'queued').execute();
  } else {
    await context.bus.append(uow, { workspaceId: input.workspaceId, actor: input.actor, type: 'staff_voice.submitted', subjectType: 'staff_voice_note', subjectId: note.id, payload: { anonymous: false } });
    await recordFeedback(uow, context.bus, { workspaceId: input.workspaceId, source: 'staff_voice', sourceId: note.id, sourceKey: `staff:${input.staffId}`, text: note.body });
  }
  return { id: note.id, followUpToken, isAnonymous: input.anonymous };
}

export async function respondToNote(uow: UnitOfWork, context: AppContext, input: { workspaceId: string; staffId: string; actor: Actor; noteId: string; status?: NoteRow['status']; response?: string }) {
  const note = await uow.trx.selectFrom('staff_voice_notes').selectAll().where('workspace_id', '=', input.workspaceId).where('id', '=', input.noteId).executeTakeFirst();
  if (!note) throw notFound('Note');
  const changes: Partial<NoteRow> = {};
  if (input.status) changes.status = input.status;
  if (input.response) {
    changes.response = input.response;
    changes.responded_by = input.staffId;
    changes.responded_at = nowIso();
    if (!input.status && note.status === 'new') changes.status = 'acknowledged';
  }
  await uow.trx.updateTable('staff_voice_notes').set(changes).where('id', '=', note.id).execute();
  await context.bus.append(uow, { workspaceId: input.workspaceId, actor: input.actor, type: 'staff_voice.responded', subjectType: 'staff_voice_note', subjectId: note.id, payload: { from: note.status, to: changes.status ?? note.status, hasResponse: Boolean(input.response) } });
}

export async function findNoteByFollowUpToken(uow: UnitOfWork, token: string) {
  return uow.trx.selectFrom('staff_voice_notes').selectAll().where('follow_up_token_hash', '=', sha256(token)).executeTakeFirst();
}
