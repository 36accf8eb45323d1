import type { EventBus, UnitOfWork } from '../../events/events.js';
import { systemActor } from '../../events/events.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import type { ListeningSettings } from '../listening/index.js';
import { bestCandidate, lookupKeys, themeKeys } from './theme.match.js';
import { extractKeyPhrases, type KeyPhrase } from './theme.phrases.js';

export interface MentionSource {
  workspaceId: string;
  feedbackItemId: string;
  /** Who is speaking, for the Three Times count: a customer, a named author, or the source itself when anonymous. */
  sourceKey: string;
  text: string;
  createdAt: string;
}

const dayMilliseconds = 86_400_000;
/** Keys per statement: a long text brings many phrases, and SQLite caps bound parameters. */
const keysPerQuery = 500;

interface KnownTheme {
  id: string;
  tokens: string[];
  status: string;
  order: string;
  isNew: boolean;
}

/** Themes that could take any of these phrases, in one statement per few hundred keys (usually one). */
async function candidateThemes(uow: UnitOfWork, workspaceId: string, phrases: KeyPhrase[], threshold: number): Promise<KnownTheme[]> {
  const pairs = new Set<string>();
  const singles = new Set<string>();
  let maxSize = 0;
  for (const phrase of phrases) {
    const keys = lookupKeys(phrase.tokens, threshold);
    for (const key of keys.pairs) pairs.add(key);
    for (const key of keys.singles) singles.add(key);
    maxSize = Math.max(maxSize, keys.maxSize);
  }
  // Pairs are stored with size 0, so `size <= maxSize` only narrows the single-token keys.
  const keys = [...pairs, ...singles];
  const found = new Map<string, KnownTheme>();
  for (let start = 0; start < keys.length; start += keysPerQuery) {
    const rows = await uow.trx
      .selectFrom('theme_keys')
      .innerJoin('themes', 'themes.id', 'theme_keys.theme_id')
      .select(['themes.id', 'themes.signature', 'themes.status'])
      .distinct()
      .where('theme_keys.workspace_id', '=', workspaceId)
      .where('theme_keys.key', 'in', keys.slice(start, start + keysPerQuery))
      .where('theme_keys.size', '<=', maxSize)
      .execute();
    for (const row of rows) found.set(row.id, { id: row.id, tokens: parseJson<string[]>(row.signature, []), status: row.status, order: row.id, isNew: false });
  }
  return [...found.values()];
}

/**
 * Groups a feedback item's key phrases into themes incrementally and applies the Three Times
 * Rule: when distinct sources inside the window reach the threshold, the theme is alerted once
 * and needs a response. Returns the themes the item mentions. Statements do not grow with the
 * number of phrases: one lookup, then each write covers every theme the item touches.
 */
export async function recordThemeMentions(uow: UnitOfWork, bus: EventBus, settings: ListeningSettings['themes'], source: MentionSource, analyzed?: KeyPhrase[]): Promise<string[]> {
  const phrases = analyzed ?? extractKeyPhrases(source.text);
  if (phrases.length === 0) return [];
  const { workspaceId, createdAt: at } = source;
  const known = await candidateThemes(uow, workspaceId, phrases, settings.similarity);
  const mentioned = new Map<string, { theme: KnownTheme; phrase: KeyPhrase }>();
  for (const phrase of phrases) {
    // Themes seeded by an earlier phrase of this item are candidates too, as in the regrouping.
    let theme = bestCandidate(phrase.tokens, known, settings.similarity);
    if (!theme) {
      const id = newId();
      theme = { id, tokens: phrase.tokens, status: 'watching', order: id, isNew: true };
      known.push(theme);
    }
    if (!mentioned.has(theme.id)) mentioned.set(theme.id, { theme, phrase });
  }
  const targets = [...mentioned.values()];
  const created = targets.filter(({ theme }) => theme.isNew);
  if (created.length > 0) {
    await uow.trx
      .insertInto('themes')
      .values(
        created.map(({ theme, phrase }) => ({
          id: theme.id,
          workspace_id: workspaceId,
          label: phrase.words.join(' ').slice(0, 80),
          signature: JSON.stringify(theme.tokens),
          status: 'watching',
          mention_count: 1,
          alerted_at: null,
          action_description: null,
          action_owner_id: null,
          action_due_at: null,
          dismiss_reason: null,
          responded_by: null,
          responded_at: null,
          last_mentioned_at: at,
          created_at: at,
        })),
      )
      .execute();
    const keys = created.flatMap(({ theme }) => themeKeys(theme.tokens).map((key) => ({ workspace_id: workspaceId, ...key, theme_id: theme.id })));
    for (let start = 0; start < keys.length; start += keysPerQuery) await uow.trx.insertInto('theme_keys').values(keys.slice(start, start + keysPerQuery)).execute();
  }
  await uow.trx
    .insertInto('theme_mentions')
    .values(targets.map(({ theme, phrase }) => ({ id: newId(), workspace_id: workspaceId, theme_id: theme.id, feedback_item_id: source.feedbackItemId, source_key: source.sourceKey, phrase: phrase.text, created_at: at })))
    .execute();
  const existing = targets.filter(({ theme }) => !theme.isNew).map(({ theme }) => theme.id);
  // The status comes back from the locked row: a theme alerted by a concurrent item is not counted again.
  const updated =
    existing.length === 0
      ? []
      : await uow.trx
          .updateTable('themes')
          .set((eb) => ({ mention_count: eb('mention_count', '+', 1), last_mentioned_at: at }))
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', existing)
          .returning(['id', 'status'])
          .execute();

  // The window ends now: an imported review from last year adds to the theme's history but cannot make it urgent.
  const since = addMilliseconds(nowIso(), -settings.windowDays * dayMilliseconds);
  // A theme this item created has one source, below any alert threshold.
  const watching = updated.filter((row) => row.status === 'watching').map((row) => row.id);
  if (at < since || watching.length === 0) return [...mentioned.keys()];
  const counts = await uow.trx
    .selectFrom('theme_mentions')
    .select(['theme_id', (eb) => eb.fn.count<number>('source_key').distinct().as('sources')])
    .where('theme_id', 'in', watching)
    .where('created_at', '>=', since)
    .groupBy('theme_id')
    .execute();
  for (const { theme_id: themeId, sources } of counts) {
    const distinctSources = Number(sources);
    if (distinctSources < settings.alertAt) continue;
    const alerted = await uow.trx
      .updateTable('themes')
      .set({ status: 'alerted', alerted_at: at })
      .where('id', '=', themeId)
      .where('status', '=', 'watching')
      .returning(['label'])
      .executeTakeFirst();
    if (!alerted) continue;
    await bus.append(uow, {
      workspaceId,
      actor: systemActor,
      type: 'theme.alerted',
      subjectType: 'theme',
      subjectId: themeId,
      payload: { themeId, label: alerted.label, distinctSources, windowDays: settings.windowDays, audience: 'managers' },
    });
  }
  return [...mentioned.keys()];
}
