import type { Insertable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Row } from '../../db/schema.js';
import { systemActor, type EventBus, type StoredEvent } from '../../events/events.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import type { ListeningSettings } from '../listening/index.js';
import { readListeningSettings } from '../listening/index.js';
import { bestCandidate, themeKeys, ThemeIndex } from './theme.match.js';
import { extractKeyPhrases, type KeyPhrase } from './theme.phrases.js';
import { recordThemeMentions } from './theme.service.js';

/** Rows per insert: large statements save round trips; bound parameters stay far below SQLite's 32,766. */
const parametersPerStatement = 10_000;

async function insertInChunks<T extends 'themes' | 'theme_keys' | 'theme_mentions'>(trx: Tx, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.floor(parametersPerStatement / Object.keys(rows[0]!).length);
  for (let start = 0; start < rows.length; start += size) await trx.insertInto(table).values(rows.slice(start, start + size) as never).execute();
}

interface PlannedTheme {
  id: string;
  tokens: string[];
  label: string;
  mentions: Array<{ itemId: string; sourceKey: string; phrase: string; createdAt: string }>;
  sourcesInWindow: Set<string>;
  firstAt: string;
  lastAt: string;
}

/**
 * Rebuilds a workspace's themes from all its feedback, for when the similarity setting changed or
 * the extraction improved. Grouping runs in memory over an inverted index, outside any
 * transaction (a long write lock would stall every other write on SQLite); one short transaction
 * then swaps the themes and replays, incrementally, the items that arrived meanwhile. A theme
 * whose seed signature survives keeps its id, status and response; new themes past the Three
 * Times Rule are marked alerted with one summary event instead of an alert each.
 */
export async function regroupThemes(db: Db, bus: EventBus, workspaceId: string): Promise<{ items: number; themes: number; alerted: number }> {
  const settings = await readListeningSettings(db, workspaceId);
  const items = await db.selectFrom('feedback_items').select(['id', 'text', 'source_key', 'created_at']).where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
  const seen = new Set(items.map((item) => item.id));
  const planned = planThemes(items, settings.themes);

  const events: StoredEvent[] = [];
  const result = await db.transaction().execute(async (trx) => {
    const uow = { trx, events };
    // Read inside the transaction, so a theme created meanwhile keeps its response too.
    const existing = await trx.selectFrom('themes').selectAll().where('workspace_id', '=', workspaceId).execute();
    const bySignature = new Map(existing.map((theme) => [theme.signature, theme]));
    const now = nowIso();
    let alerted = 0;
    const themeRows: Row<'themes'>[] = [];
    for (const theme of planned) {
      const previous = bySignature.get(JSON.stringify(theme.tokens));
      theme.id = previous?.id ?? theme.id;
      const isUrgent = theme.sourcesInWindow.size >= settings.themes.alertAt;
      const status = previous && previous.status !== 'watching' ? previous.status : isUrgent ? 'alerted' : 'watching';
      if (status === 'alerted' && previous?.status !== 'alerted') alerted++;
      themeRows.push({
        id: theme.id,
        workspace_id: workspaceId,
        label: previous?.label ?? theme.label,
        signature: JSON.stringify(theme.tokens),
        status,
        mention_count: theme.mentions.length,
        alerted_at: status === 'alerted' ? (previous?.alerted_at ?? now) : (previous?.alerted_at ?? null),
        action_description: previous?.action_description ?? null,
        action_owner_id: previous?.action_owner_id ?? null,
        action_due_at: previous?.action_due_at ?? null,
        dismiss_reason: previous?.dismiss_reason ?? null,
        responded_by: previous?.responded_by ?? null,
        responded_at: previous?.responded_at ?? null,
        last_mentioned_at: theme.lastAt,
        created_at: previous?.created_at ?? theme.firstAt,
      });
    }
    // Kept themes are written back whole with their id rather than updated one statement each:
    // only mentions point at a theme, and they are rewritten anyway.
    await trx.deleteFrom('theme_mentions').where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('theme_keys').where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('themes').where('workspace_id', '=', workspaceId).execute();
    await insertInChunks(trx, 'themes', themeRows);
    await insertInChunks(trx, 'theme_keys', planned.flatMap((theme) => themeKeys(theme.tokens).map((key) => ({ workspace_id: workspaceId, ...key, theme_id: theme.id }))));
    await insertInChunks(trx, 'theme_mentions', planned.flatMap((theme) => theme.mentions.map((mention) => ({ id: newId(), workspace_id: workspaceId, theme_id: theme.id, feedback_item_id: mention.itemId, source_key: mention.sourceKey, phrase: mention.phrase, created_at: mention.createdAt }))));

    // Items recorded while the grouping ran: replayed through the incremental path, in order.
    const all = await trx.selectFrom('feedback_items').select('id').where('workspace_id', '=', workspaceId).execute();
    const lateIds = all.map((item) => item.id).filter((id) => !seen.has(id));
    const late: Array<{ id: string; text: string; source_key: string; created_at: string }> = [];
    for (let start = 0; start < lateIds.length; start += 500) late.push(...(await trx.selectFrom('feedback_items').select(['id', 'text', 'source_key', 'created_at']).where('workspace_id', '=', workspaceId).where('id', 'in', lateIds.slice(start, start + 500)).execute()));
    late.sort((left, right) => left.created_at.localeCompare(right.created_at) || left.id.localeCompare(right.id));
    for (const item of late) {
      await recordThemeMentions(uow, bus, settings.themes, { workspaceId, feedbackItemId: item.id, sourceKey: item.source_key, text: item.text, createdAt: item.created_at });
    }
    await bus.append(uow, { workspaceId, actor: systemActor, type: 'themes.regrouped', subjectType: 'workspace', subjectId: workspaceId, payload: { items: items.length, themes: planned.length, newlyAlerted: alerted, similarity: settings.themes.similarity } });
    return { items: items.length, themes: planned.length, alerted };
  });
  bus.publish(events);
  return result;
}

/** The same grouping rule as the incremental path (theme.match.ts: best candidate above the threshold, else a new theme), in memory. */
export function planThemes(items: Array<{ id: string; text: string; source_key: string; created_at: string }>, settings: ListeningSettings['themes']): PlannedTheme[] {
  const themes: PlannedTheme[] = [];
  const index = new ThemeIndex<PlannedTheme>();
  const since = addMilliseconds(nowIso(), -settings.windowDays * 86_400_000);
  for (const item of items) {
    const mentioned = new Map<PlannedTheme, KeyPhrase>();
    for (const phrase of extractKeyPhrases(item.text)) {
      let theme = bestCandidate(phrase.tokens, index.candidates(phrase.tokens, settings.similarity), settings.similarity);
      if (!theme) {
        theme = { id: newId(), tokens: phrase.tokens, label: phrase.words.join(' ').slice(0, 80), mentions: [], sourcesInWindow: new Set(), firstAt: item.created_at, lastAt: item.created_at };
        themes.push(theme);
        index.add(theme);
      }
      if (!mentioned.has(theme)) mentioned.set(theme, phrase);
    }
    for (const [theme, phrase] of mentioned) {
      theme.mentions.push({ itemId: item.id, sourceKey: item.source_key, phrase: phrase.text, createdAt: item.created_at });
      theme.lastAt = item.created_at;
      if (item.created_at >= since) theme.sourcesInWindow.add(item.source_key);
    }
  }
  return themes;
}
