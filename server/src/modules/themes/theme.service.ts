import type { EventBus, UnitOfWork } from '../../events/events.js';
import { systemActor } from '../../events/events.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import type { ListeningSettings } from '../listening/index.js';
import { extractKeyPhrases, phraseSimilarity, type KeyPhrase } from './theme.phrases.js';

export interface MentionSource {
  workspaceId: string;
  feedbackItemId: string;
  /** Who is speaking, for the Three Times count: a customer, a named author, or the source itself when anonymous. */
  sourceKey: string;
  text: string;
  createdAt: string;
}

const candidateLimit = 25;
const dayMilliseconds = 86_400_000;

/** The theme a phrase belongs to: the most similar one above the threshold, or a new one seeded by the phrase. */
async function findOrCreateTheme(uow: UnitOfWork, workspaceId: string, phrase: KeyPhrase, threshold: number, at: string): Promise<{ id: string; status: string; created: boolean }> {
  const candidates = await uow.trx
    .selectFrom('theme_tokens')
    .innerJoin('themes', 'themes.id', 'theme_tokens.theme_id')
    .select(['themes.id', 'themes.signature', 'themes.status'])
    .select((eb) => eb.fn.countAll<number>().as('shared'))
    .where('theme_tokens.workspace_id', '=', workspaceId)
    .where('theme_tokens.token', 'in', phrase.tokens)
    .groupBy(['themes.id', 'themes.signature', 'themes.status'])
    .orderBy('shared', 'desc')
    .orderBy('themes.id')
    .limit(candidateLimit)
    .execute();
  let best: { id: string; status: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = phraseSimilarity(phrase.tokens, parseJson<string[]>(candidate.signature, []));
    if (score >= threshold && (!best || score > best.score)) best = { id: candidate.id, status: candidate.status, score };
  }
  if (best) return { id: best.id, status: best.status, created: false };
  const id = newId();
  await uow.trx
    .insertInto('themes')
    .values({
      id,
      workspace_id: workspaceId,
      label: phrase.words.join(' ').slice(0, 80),
      signature: JSON.stringify(phrase.tokens),
      status: 'watching',
      mention_count: 0,
      alerted_at: null,
      action_description: null,
      action_owner_id: null,
      action_due_at: null,
      dismiss_reason: null,
      responded_by: null,
      responded_at: null,
      last_mentioned_at: at,
      created_at: at,
    })
    .execute();
  await uow.trx.insertInto('theme_tokens').values(phrase.tokens.map((token) => ({ workspace_id: workspaceId, token, theme_id: id }))).execute();
  return { id, status: 'watching', created: true };
}

export async function countDistinctSources(uow: UnitOfWork, themeId: string, since: string): Promise<number> {
  const row = await uow.trx
    .selectFrom('theme_mentions')
    .select((eb) => eb.fn.count<number>('source_key').distinct().as('sources'))
    .where('theme_id', '=', themeId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.sources ?? 0);
}

/**
 * Groups a feedback item's key phrases into themes incrementally and applies the Three Times
 * Rule: when distinct sources inside the window reach the threshold, the theme is alerted once
 * and needs a response. Returns the themes the item mentions.
 */
export async function recordThemeMentions(uow: UnitOfWork, bus: EventBus, settings: ListeningSettings['themes'], source: MentionSource, analyzed?: KeyPhrase[]): Promise<string[]> {
  const phrases = analyzed ?? extractKeyPhrases(source.text);
  const mentioned = new Map<string, KeyPhrase>();
  const statusById = new Map<string, string>();
  for (const phrase of phrases) {
    const theme = await findOrCreateTheme(uow, source.workspaceId, phrase, settings.similarity, source.createdAt);
    if (!mentioned.has(theme.id)) mentioned.set(theme.id, phrase);
    statusById.set(theme.id, theme.status);
  }
  // The window ends now: an imported review from last year adds to the theme's history but cannot make it urgent.
  const since = addMilliseconds(nowIso(), -settings.windowDays * dayMilliseconds);
  const isRecent = source.createdAt >= since;
  for (const [themeId, phrase] of mentioned) {
    await uow.trx
      .insertInto('theme_mentions')
      .values({ id: newId(), workspace_id: source.workspaceId, theme_id: themeId, feedback_item_id: source.feedbackItemId, source_key: source.sourceKey, phrase: phrase.text, created_at: source.createdAt })
      .execute();
    await uow.trx
      .updateTable('themes')
      .set((eb) => ({ mention_count: eb('mention_count', '+', 1), last_mentioned_at: source.createdAt }))
      .where('id', '=', themeId)
      .execute();
    if (!isRecent || statusById.get(themeId) !== 'watching') continue;
    const distinctSources = await countDistinctSources(uow, themeId, since);
    if (distinctSources < settings.alertAt) continue;
    const alerted = await uow.trx
      .updateTable('themes')
      .set({ status: 'alerted', alerted_at: source.createdAt })
      .where('id', '=', themeId)
      .where('status', '=', 'watching')
      .returning(['label'])
      .executeTakeFirst();
    if (!alerted) continue;
    await bus.append(uow, {
      workspaceId: source.workspaceId,
      actor: systemActor,
      type: 'theme.alerted',
      subjectType: 'theme',
      subjectId: themeId,
      payload: { themeId, label: alerted.label, distinctSources, windowDays: settings.windowDays, audience: 'managers' },
    });
  }
  return [...mentioned.keys()];
}
