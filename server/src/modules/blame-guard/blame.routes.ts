import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { IdParamsSchema, lineText, OkSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { acknowledgesFeelingsFirst, applySuggestions, defaultBlamePhrases, findBlamePhrases, type BlamePhrase } from './blame.detect.js';

const tags = ['Blame guard'];
const FlagSchema = z.object({ phrase: z.string(), matched: z.string(), start: z.number().int(), end: z.number().int(), category: z.string(), suggestion: z.string() });
const CheckResultSchema = z.object({
  flags: z.array(FlagSchema),
  suggestedText: z.string(),
  acknowledgesFeelings: z.object({ acknowledges: z.boolean(), acknowledgementAt: z.number().int().nullable(), solutionAt: z.number().int().nullable() }),
});
const PhraseSchema = z.object({ id: z.string().nullable(), phrase: z.string(), category: z.string(), suggestion: z.string(), isDefault: z.boolean() });
const NewPhraseSchema = z.object({ phrase: lineText(120), category: z.enum(['blame', 'deflection', 'condescension', 'policy', 'custom']).default('custom'), suggestion: z.string().trim().max(300).default('') }).strict();

/** The built-in phrases plus the workspace's own. */
export async function workspacePhrases(db: Db | Tx, workspaceId: string): Promise<BlamePhrase[]> {
  const own = await db.selectFrom('blame_phrases').select(['phrase', 'category', 'suggestion']).where('workspace_id', '=', workspaceId).orderBy('created_at').limit(500).execute();
  return [...defaultBlamePhrases, ...own];
}

export async function checkReply(db: Db | Tx, workspaceId: string, text: string) {
  const flags = findBlamePhrases(text, await workspacePhrases(db, workspaceId));
  return { flags, suggestedText: applySuggestions(text, flags), acknowledgesFeelings: acknowledgesFeelingsFirst(text) };
}

/**
 * Sending stays allowed: the guard warns in the composer, and a reply sent with flagged phrases
 * records `blame_guard.overridden` (in the reply's own transaction, so it cannot be lost).
 */
export function registerBlameGuard(app: App, context: AppContext): void {
  const { db } = context.database;

  context.bus.onAppend(async (uow, event) => {
    if (event.type !== 'message.created' || event.payload.kind !== 'outbound' || !event.ticketId) return;
    const message = await uow.trx.selectFrom('messages').select(['body_text', 'author_id']).where('workspace_id', '=', event.workspaceId).where('id', '=', event.subjectId).executeTakeFirst();
    if (!message) return;
    const { flags, acknowledgesFeelings } = await checkReply(uow.trx, event.workspaceId, message.body_text);
    if (flags.length === 0) return;
    await context.bus.append(uow, {
      workspaceId: event.workspaceId,
      actor: event.actor.type === 'staff' ? event.actor : systemActor,
      type: 'blame_guard.overridden',
      subjectType: 'message',
      subjectId: event.subjectId,
      ticketId: event.ticketId,
      payload: { messageId: event.subjectId, staffId: message.author_id, flags: flags.map(({ phrase, category, start, end }) => ({ phrase, category, start, end })), acknowledgesFeelings: acknowledgesFeelings.acknowledges },
    });
  });

  app.post(
    '/api/v1/blame-guard/check',
    { schema: { tags, summary: 'Phrases in a draft reply that blame, deflect or talk down, with positions and kinder wording; and whether the reply acknowledges feelings before solving', body: z.object({ text: z.string().max(100_000) }).strict(), response: { 200: CheckResultSchema, ...problemResponses } } },
    async (request) => checkReply(db, authOf(request).workspaceId, request.body.text),
  );

  app.get('/api/v1/blame-guard/phrases', { schema: { tags, summary: 'The phrases the guard looks for: built-in and the workspace’s own', response: { 200: z.object({ items: z.array(PhraseSchema) }), ...problemResponses } } }, async (request) => {
    const own = await db.selectFrom('blame_phrases').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('created_at').execute();
    return {
      items: [
        ...defaultBlamePhrases.map(({ phrase, category, suggestion }) => ({ id: null, phrase, category, suggestion, isDefault: true })),
        ...own.map((row) => ({ id: row.id, phrase: row.phrase, category: row.category, suggestion: row.suggestion, isDefault: false })),
      ],
    };
  });

  app.post(
    '/api/v1/blame-guard/phrases',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Add a phrase for the guard to flag in this workspace', body: NewPhraseSchema, response: { 201: PhraseSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const phrase = request.body.phrase.toLowerCase();
      const row = { id: newId(), workspace_id: workspaceId, phrase, category: request.body.category, suggestion: request.body.suggestion, created_at: nowIso() };
      await inUnitOfWork(db, context.bus, async (uow) => {
        const inserted = await uow.trx.insertInto('blame_phrases').values(row).onConflict((conflict) => conflict.columns(['workspace_id', 'phrase']).doNothing()).executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 1n) === 0) throw new DomainError('conflict', 'This phrase is already on the list.');
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'blame_guard.phrase_added', subjectType: 'blame_phrase', subjectId: row.id, payload: { phrase, category: row.category } });
      });
      return reply.code(201).send({ id: row.id, phrase, category: row.category, suggestion: row.suggestion, isDefault: false });
    },
  );

  app.delete('/api/v1/blame-guard/phrases/:id', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Remove one of the workspace’s own phrases', params: IdParamsSchema, response: { 200: OkSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const deleted = await uow.trx.deleteFrom('blame_phrases').where('workspace_id', '=', workspaceId).where('id', '=', request.params.id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw notFound('Phrase');
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'blame_guard.phrase_removed', subjectType: 'blame_phrase', subjectId: request.params.id });
    });
    return { ok: true as const };
  });
}
