import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { addMilliseconds, nowIso } from '../../lib/ids.js';

type ThemeRow = Row<'themes'>;
const exampleCount = 3;

const quoteLength = 280;
/** Weeks of trend on each theme of a list: enough to see whether it is growing, small enough for one query per page. */
const recentWeekCount = 12;
const dayMilliseconds = 86_400_000;

/** Monday (UTC) of the ISO week a timestamp falls in, as YYYY-MM-DD. */
function weekOf(iso: string): string {
  const day = new Date(iso);
  const offset = (day.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - offset)).toISOString().slice(0, 10);
}

/** The customer's own words (the stored phrase is the lowercased clause the model read). */
function quoteOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > quoteLength ? `${flat.slice(0, quoteLength - 1)}…` : flat;
}

/** API shape of themes: counts, sources and example quotes are gathered for the whole page at once. */
export async function presentThemes(trx: Tx, rows: ThemeRow[], windowDays: number) {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const since = addMilliseconds(nowIso(), -windowDays * 86_400_000);
  const distinct = await trx
    .selectFrom('theme_mentions')
    .select(['theme_id', (eb) => eb.fn.count<number>('source_key').distinct().as('sources')])
    .where('theme_id', 'in', ids)
    .where('created_at', '>=', since)
    .groupBy('theme_id')
    .execute();
  const bySource = await trx
    .selectFrom('theme_mentions')
    .innerJoin('feedback_items', 'feedback_items.id', 'theme_mentions.feedback_item_id')
    .select(['theme_mentions.theme_id', 'feedback_items.source', (eb) => eb.fn.countAll<number>().as('mentions')])
    .where('theme_mentions.theme_id', 'in', ids)
    .groupBy(['theme_mentions.theme_id', 'feedback_items.source'])
    .execute();
  const weeks = Array.from({ length: recentWeekCount }, (_, index) => weekOf(new Date(Date.now() - (recentWeekCount - 1 - index) * 7 * dayMilliseconds).toISOString()));
  // Counted per day in SQL (the same text prefix on both dialects), folded into weeks here.
  const day = sql<string>`substr(${sql.ref('created_at')}, 1, 10)`;
  const daily = await trx
    .selectFrom('theme_mentions')
    .select(['theme_id', day.as('day'), (eb) => eb.fn.countAll<number>().as('mentions')])
    .where('theme_id', 'in', ids)
    .where('created_at', '>=', `${weeks[0]}T00:00:00.000Z`)
    .groupBy(['theme_id', day])
    .execute();
  const recentWeeksOf = (themeId: string) => {
    const counts = new Map(weeks.map((week) => [week, 0]));
    for (const row of daily) if (row.theme_id === themeId) counts.set(weekOf(row.day), (counts.get(weekOf(row.day)) ?? 0) + Number(row.mentions));
    return [...counts].map(([week, mentions]) => ({ week, mentions }));
  };
  const recent = await trx
    .selectFrom('theme_mentions')
    .innerJoin('feedback_items', 'feedback_items.id', 'theme_mentions.feedback_item_id')
    .select(['theme_mentions.theme_id', 'theme_mentions.created_at', 'feedback_items.id as feedback_item_id', 'feedback_items.text', 'feedback_items.source', 'feedback_items.ticket_id'])
    .where('theme_mentions.theme_id', 'in', ids)
    .orderBy('theme_mentions.created_at', 'desc')
    .limit(Math.min(2000, ids.length * 40))
    .execute();
  return rows.map((row) => {
    const mentions = recent.filter((mention) => mention.theme_id === row.id);
    return {
      id: row.id,
      label: row.label,
      status: row.status,
      mentionCount: Number(row.mention_count),
      distinctSourcesInWindow: Number(distinct.find((entry) => entry.theme_id === row.id)?.sources ?? 0),
      windowDays,
      recentWeeks: recentWeeksOf(row.id),
      sources: Object.fromEntries(bySource.filter((entry) => entry.theme_id === row.id).map((entry) => [entry.source, Number(entry.mentions)])),
      examples: mentions.slice(0, exampleCount).map((mention) => ({ feedbackItemId: mention.feedback_item_id, source: mention.source, quote: quoteOf(mention.text), ticketId: mention.ticket_id, createdAt: mention.created_at })),
      ticketIds: [...new Set(mentions.map((mention) => mention.ticket_id).filter((id): id is string => Boolean(id)))],
      alertedAt: row.alerted_at,
      action: row.action_description ? { description: row.action_description, ownerId: row.action_owner_id, dueAt: row.action_due_at } : null,
      dismissReason: row.dismiss_reason,
      respondedBy: row.responded_by,
      respondedAt: row.responded_at,
      lastMentionedAt: row.last_mentioned_at,
      createdAt: row.created_at,
    };
  });
}

export async function themeTrend(trx: Tx, themeId: string): Promise<{ week: string; mentions: number }[]> {
  const rows = await trx.selectFrom('theme_mentions').select('created_at').where('theme_id', '=', themeId).orderBy('created_at').limit(20_000).execute();
  const weeks = new Map<string, number>();
  for (const { created_at } of rows) weeks.set(weekOf(created_at), (weeks.get(weekOf(created_at)) ?? 0) + 1);
  return [...weeks].map(([week, mentions]) => ({ week, mentions }));
}
