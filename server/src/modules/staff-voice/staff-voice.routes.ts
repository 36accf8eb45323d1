import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import type { Row } from '../../db/schema.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { notFound } from '../../http/errors.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { FollowUpBodySchema, FollowUpSchema, ListNotesQuerySchema, StaffVoiceNoteSchema, SubmitNoteBodySchema, SubmittedNoteSchema, UpdateNoteBodySchema } from './staff-voice.schema.js';
import { defineStaffVoiceDigest, findNoteByFollowUpToken, respondToNote, submitNote } from './staff-voice.service.js';

const tags = ['Staff voice'];

/**
 * Request logs carry the caller's address and time, and the idempotency store keys replies by
 * staff id: on the routes an author uses, both are switched off so nothing ties a note to them.
 */
const unlogged = {
  logLevel: 'silent' as const,
  onRequest: async (request: { headers: Record<string, unknown> }) => {
    delete request.headers['idempotency-key'];
  },
};

function presentNote(row: Row<'staff_voice_notes'>, authorName?: string) {
  return {
    id: row.id,
    isAnonymous: row.is_anonymous === 1,
    author: row.author_staff_id ? { staffId: row.author_staff_id, name: authorName ?? '' } : null,
    body: row.body,
    status: row.status,
    response: row.response,
    respondedAt: row.responded_at,
    createdOn: row.created_on,
  };
}

export function registerStaffVoiceRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const digest = defineStaffVoiceDigest(context);
  const notesWithAuthor = () =>
    db.selectFrom('staff_voice_notes').leftJoin('staff', 'staff.id', 'staff_voice_notes.author_staff_id').leftJoin('users', 'users.id', 'staff.user_id').selectAll('staff_voice_notes').select('users.name as author_name');

  app.post('/api/v1/staff-voice', { ...unlogged, schema: { tags, summary: 'Tell management what frustrates you, named or anonymous (anonymous notes store nothing that identifies you)', body: SubmitNoteBodySchema, response: { 201: SubmittedNoteSchema, ...problemResponses } } }, async (request, reply) => {
    const auth = authOf(request);
    const anonymous = request.body.anonymous;
    const result = await inUnitOfWork(db, context.bus, (uow) =>
      submitNote(uow, context, digest, { workspaceId: auth.workspaceId, staffId: auth.staffId, actor: actorOf(request), body: request.body.body, anonymous }),
    );
    return reply.code(201).send(result);
  });

  app.post('/api/v1/staff-voice/follow-up', { ...unlogged, config: { access: 'public' }, schema: { tags, summary: "Follow a note's status and answer with the token returned at submit", body: FollowUpBodySchema, response: { 200: FollowUpSchema, ...problemResponses } } }, async (request) => {
    const note = await findNoteByFollowUpToken({ trx: db, events: [] }, request.body.token);
    if (!note) throw notFound('Note');
    const { author: _author, id: _id, ...visible } = presentNote(note);
    return visible;
  });

  app.get('/api/v1/staff-voice', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Notes from staff, newest day first', querystring: ListNotesQuerySchema, response: { 200: z.object({ items: z.array(StaffVoiceNoteSchema) }), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    let query = notesWithAuthor().where('staff_voice_notes.workspace_id', '=', workspaceId);
    if (request.query.status) query = query.where('staff_voice_notes.status', '=', request.query.status);
    // Ordered by day, then by the random id: within a day the order says nothing about who wrote first.
    const rows = await query.orderBy('staff_voice_notes.created_on', 'desc').orderBy('staff_voice_notes.id').limit(request.query.limit).execute();
    return { items: rows.map((row) => presentNote(row, row.author_name ?? undefined)) };
  });

  app.patch('/api/v1/staff-voice/:id', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Answer a note and set its status', params: IdParamsSchema, body: UpdateNoteBodySchema, response: { 200: StaffVoiceNoteSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => respondToNote(uow, context, { workspaceId: auth.workspaceId, staffId: auth.staffId, actor: actorOf(request), noteId: request.params.id, ...request.body }));
    const row = await notesWithAuthor().where('staff_voice_notes.id', '=', request.params.id).executeTakeFirstOrThrow();
    return presentNote(row, row.author_name ?? undefined);
  });
}
