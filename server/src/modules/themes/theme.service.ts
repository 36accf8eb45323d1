import { PostgresAdapter, sql, type Compilable, type RawBuilder } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { EventBus, UnitOfWork } from '../../events/events.js';
import { systemActor } from '../../events/events.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import type { ListeningSettings } from '../listening/index.js';
import { bestCandidate, lookupKeys, themeKeys, ThemeIndex } from './theme.match.js';
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
    for (const row of rows) found.set(row.id, { id: row.id, tokens: parseJson<string[]>(row.signature, []), status: row.status, isNew: false });
  }
  return [...found.values()];
}

/**
 * Distinct sources of a theme (the row being updated) in the window, counting those of the items
 * recorded now too (`recent`: theme id and source key pairs): on PostgreSQL the mentions written in
 * the same statement are not visible to it yet. Only themes still watching are counted, and a
 * common theme that alerted long ago has thousands of mentions.
 */
function distinctSourcesWith(workspaceId: string, since: string, recent: Array<[themeId: string, sourceKey: string]>) {
  const rows = sql.join(recent.map(([themeId, sourceKey]) => sql`(CAST(${themeId} AS text), CAST(${sourceKey} AS text))`));
  // A theme mentioned only by items older than the window is not counted, as if recorded alone.
  const heardNow = sql.join([...new Set(recent.map(([themeId]) => themeId))]);
  return sql<number | null>`CASE WHEN themes.status = 'watching' AND themes.id IN (${heardNow}) THEN (SELECT count(*) FROM (SELECT source_key FROM theme_mentions WHERE theme_mentions.theme_id = themes.id AND theme_mentions.workspace_id = ${workspaceId} AND theme_mentions.created_at >= ${since} UNION SELECT column2 FROM (VALUES ${rows}) AS recent WHERE column1 = themes.id) AS voices) END`;
}

type UpdatedTheme = { id: string; status: string; sources: number | null };

/**
 * Runs the writes in order, then the update whose rows it returns. PostgreSQL gets them as one
 * statement (each write a data-modifying WITH clause, which all see the same snapshot and whose
 * foreign keys are checked at the statement's end): one round trip instead of up to four. SQLite
 * runs in process, where a statement costs no round trip, and has no such clauses. Writes are
 * built by the caller's functions so that, on PostgreSQL, only the one statement that runs passes
 * through plugins (the benchmarks' statement counter).
 */
async function runWrites(trx: Tx, writes: Array<(db: Tx) => Compilable>, update: ((db: Tx) => Compilable<UpdatedTheme>) | undefined): Promise<UpdatedTheme[]> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    const statements = [...writes, ...(update ? [update] : [])].map((build) => build(trx.withoutPlugins()));
    const clauses = statements.slice(0, -1).map((write, index) => sql`${sql.raw(`write_${index}`)} AS (${write})`);
    const last = statements.at(-1)!;
    const { rows } = await (clauses.length > 0 ? sql<UpdatedTheme>`WITH ${sql.join(clauses)} ${last}` : sql<UpdatedTheme>`${last}`).execute(trx);
    return update ? rows : [];
  }
  for (const write of writes) await trx.executeQuery(write(trx).compile());
  return update ? (await trx.executeQuery(update(trx).compile())).rows : [];
}

/** What recording an item does to one theme, in the order the items came. */
interface ThemeChange {
  theme: KnownTheme;
  /** The phrase that first named it (the label of a new theme). */
  phrase: KeyPhrase;
  mentions: number;
  firstAt: string;
  lastAt: string;
  /** Sources of the items recorded now that fall in the window. */
  voices: Set<string>;
}

/**
 * Groups a feedback item's key phrases into themes incrementally and applies the Three Times
 * Rule: when distinct sources inside the window reach the threshold, the theme is alerted once
 * and needs a response. Returns the themes the item mentions.
 */
export async function recordThemeMentions(uow: UnitOfWork, bus: EventBus, settings: ListeningSettings['themes'], source: MentionSource, analyzed?: KeyPhrase[]): Promise<string[]> {
  return (await recordThemeMentionsOfItems(uow, bus, settings, [{ ...source, phrases: analyzed }]))[0]!;
}

/**
 * The same for several items of one workspace in one transaction, in their order, exactly as if
 * recorded one after another (a theme one item creates is a candidate for the next). Statements do
 * not grow with the number of items or phrases: one lookup for all, then each write covers every
 * theme they touch. Returns each item's themes.
 */
export async function recordThemeMentionsOfItems(uow: UnitOfWork, bus: EventBus, settings: ListeningSettings['themes'], items: Array<MentionSource & { phrases?: KeyPhrase[] }>): Promise<string[][]> {
  const phrasesOf = items.map((item) => item.phrases ?? extractKeyPhrases(item.text));
  const all = phrasesOf.flat();
  if (all.length === 0) return items.map(() => []);
  const workspaceId = items[0]!.workspaceId;
  if (items.some((item) => item.workspaceId !== workspaceId)) throw new Error('recordThemeMentionsOfItems: items of one workspace only');
  // The window ends now: an imported review from last year adds to the theme's history but cannot make it urgent.
  const since = addMilliseconds(nowIso(), -settings.windowDays * dayMilliseconds);
  const known = new ThemeIndex<KnownTheme>();
  for (const theme of await candidateThemes(uow, workspaceId, all, settings.similarity)) known.add(theme);
  const changes = new Map<string, ThemeChange>();
  const mentions: Array<{ id: string; workspace_id: string; theme_id: string; feedback_item_id: string; source_key: string; phrase: string; created_at: string }> = [];
  const themesOfItems = items.map((item, index) => {
    const mentioned = new Map<string, KeyPhrase>();
    for (const phrase of phrasesOf[index]!) {
      // Themes seeded by an earlier phrase (of this item or an earlier one) are candidates too, as in the regrouping.
      let theme = bestCandidate(phrase.tokens, known.candidates(phrase.tokens, settings.similarity), settings.similarity);
      if (!theme) {
        theme = { id: newId(), tokens: phrase.tokens, status: 'watching', isNew: true };
        known.add(theme);
      }
      if (!mentioned.has(theme.id)) mentioned.set(theme.id, phrase);
      const change = changes.get(theme.id) ?? { theme, phrase, mentions: 0, firstAt: item.createdAt, lastAt: item.createdAt, voices: new Set<string>() };
      changes.set(theme.id, change);
    }
    for (const [themeId, phrase] of mentioned) {
      const change = changes.get(themeId)!;
      change.mentions++;
      change.lastAt = item.createdAt;
      if (item.createdAt >= since) change.voices.add(item.sourceKey);
      mentions.push({ id: newId(), workspace_id: workspaceId, theme_id: themeId, feedback_item_id: item.feedbackItemId, source_key: item.sourceKey, phrase: phrase.text, created_at: item.createdAt });
    }
    return [...mentioned.keys()];
  });

  const created = [...changes.values()].filter(({ theme }) => theme.isNew);
  const existing = [...changes.values()].filter(({ theme }) => !theme.isNew);
  const writes: Array<(db: Tx) => Compilable> = [];
  if (created.length > 0) {
    writes.push((db) =>
      db.insertInto('themes').values(
        created.map(({ theme, phrase, mentions: count, firstAt, lastAt }) => ({
          id: theme.id,
          workspace_id: workspaceId,
          label: phrase.words.join(' ').slice(0, 80),
          signature: JSON.stringify(theme.tokens),
          status: 'watching',
          mention_count: count,
          alerted_at: null,
          action_description: null,
          action_owner_id: null,
          action_due_at: null,
          dismiss_reason: null,
          responded_by: null,
          responded_at: null,
          last_mentioned_at: lastAt,
          created_at: firstAt,
        })),
      ),
    );
    const keys = created.flatMap(({ theme }) => themeKeys(theme.tokens).map((key) => ({ workspace_id: workspaceId, ...key, theme_id: theme.id })));
    for (let start = 0; start < keys.length; start += keysPerQuery) {
      const slice = keys.slice(start, start + keysPerQuery);
      writes.push((db) => db.insertInto('theme_keys').values(slice));
    }
  }
  for (let start = 0; start < mentions.length; start += keysPerQuery) {
    const slice = mentions.slice(start, start + keysPerQuery);
    writes.push((db) => db.insertInto('theme_mentions').values(slice));
  }
  // The status comes back from the locked row (a theme alerted by a concurrent item is not counted
  // again), and with it, for a theme still watching, its distinct sources in the window.
  const recent = existing.flatMap(({ theme, voices }) => [...voices].map((voice): [string, string] => [theme.id, voice]));
  const sources = recent.length === 0 ? sql<number | null>`NULL` : distinctSourcesWith(workspaceId, since, recent);
  const byTheme = <T>(value: (change: ThemeChange) => RawBuilder<T>) => sql<T>`CASE themes.id ${sql.join(existing.map((change) => sql`WHEN ${change.theme.id} THEN ${value(change)}`), sql` `)} END`;
  const update =
    existing.length === 0
      ? undefined
      : (db: Tx) =>
          db
            .updateTable('themes')
            .set((eb) => ({
              mention_count: existing.every((change) => change.mentions === 1) ? eb('mention_count', '+', 1) : eb('mention_count', '+', byTheme((change) => sql<number>`CAST(${change.mentions} AS integer)`)),
              last_mentioned_at: new Set(existing.map((change) => change.lastAt)).size === 1 ? existing[0]!.lastAt : byTheme((change) => sql<string>`${change.lastAt}`),
            }))
            .where('workspace_id', '=', workspaceId)
            .where('id', 'in', existing.map(({ theme }) => theme.id))
            .returning(['id', 'status', sources.as('sources')]);
  const updated = await runWrites(uow.trx, writes, update);

  // New themes are counted here: their every mention is among the items recorded now.
  const counted = [...updated, ...created.map(({ theme, voices }) => ({ id: theme.id, status: 'watching', sources: voices.size }))];
  for (const { id: themeId, status, sources: count } of counted) {
    const distinctSources = Number(count);
    if (status !== 'watching' || count === null || distinctSources < settings.alertAt) continue;
    const alerted = await uow.trx
      .updateTable('themes')
      .set({ status: 'alerted', alerted_at: changes.get(themeId)!.lastAt })
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
  return themesOfItems;
}
