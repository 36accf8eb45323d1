import { PostgresAdapter, sql, type Compilable } from 'kysely';
import type { Tx } from '../../db/database.js';
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
 * Distinct sources of a theme (the row being updated) in the window, counting `sourceKey` too: on
 * PostgreSQL the mention written in the same statement is not visible to it yet. Only themes still
 * watching are counted, and a common theme that alerted long ago has thousands of mentions.
 */
function distinctSourcesWith(workspaceId: string, since: string, sourceKey: string) {
  return sql<number | null>`CASE WHEN themes.status = 'watching' THEN (SELECT count(*) FROM (SELECT source_key FROM theme_mentions WHERE theme_mentions.theme_id = themes.id AND theme_mentions.workspace_id = ${workspaceId} AND theme_mentions.created_at >= ${since} UNION SELECT CAST(${sourceKey} AS text)) AS voices) END`;
}

type UpdatedTheme = { id: string; status: string; sources: number | null };

/**
 * Runs an item's writes in order, then the update whose rows it returns. PostgreSQL gets them as
 * one statement (each write a data-modifying WITH clause, which all see the same snapshot and
 * whose foreign keys are checked at the statement's end): one round trip instead of up to four.
 * SQLite runs in process, where a statement costs no round trip, and has no such clauses. Writes
 * are built by the caller's functions so that, on PostgreSQL, only the one statement that runs
 * passes through plugins (the benchmarks' statement counter).
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
  const writes: Array<(db: Tx) => Compilable> = [];
  if (created.length > 0) {
    writes.push((db) =>
      db.insertInto('themes').values(
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
      ),
    );
    const keys = created.flatMap(({ theme }) => themeKeys(theme.tokens).map((key) => ({ workspace_id: workspaceId, ...key, theme_id: theme.id })));
    for (let start = 0; start < keys.length; start += keysPerQuery) {
      const slice = keys.slice(start, start + keysPerQuery);
      writes.push((db) => db.insertInto('theme_keys').values(slice));
    }
  }
  writes.push((db) =>
    db
      .insertInto('theme_mentions')
      .values(targets.map(({ theme, phrase }) => ({ id: newId(), workspace_id: workspaceId, theme_id: theme.id, feedback_item_id: source.feedbackItemId, source_key: source.sourceKey, phrase: phrase.text, created_at: at }))),
  );
  // The window ends now: an imported review from last year adds to the theme's history but cannot make it urgent.
  const since = addMilliseconds(nowIso(), -settings.windowDays * dayMilliseconds);
  const existing = targets.filter(({ theme }) => !theme.isNew).map(({ theme }) => theme.id);
  // The status comes back from the locked row (a theme alerted by a concurrent item is not counted
  // again), and with it, for a theme still watching, its distinct sources in the window, this item's
  // included whether or not its mention is visible yet. A theme this item created has one source,
  // below any alert threshold.
  const voices = at < since ? sql<number | null>`NULL` : distinctSourcesWith(workspaceId, since, source.sourceKey);
  const update =
    existing.length === 0
      ? undefined
      : (db: Tx) =>
          db
            .updateTable('themes')
            .set((eb) => ({ mention_count: eb('mention_count', '+', 1), last_mentioned_at: at }))
            .where('workspace_id', '=', workspaceId)
            .where('id', 'in', existing)
            .returning(['id', 'status', voices.as('sources')]);
  const updated = await runWrites(uow.trx, writes, update);
  for (const { id: themeId, status, sources } of updated) {
    const distinctSources = Number(sources);
    if (status !== 'watching' || sources === null || distinctSources < settings.alertAt) continue;
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
