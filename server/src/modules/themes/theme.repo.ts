import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { addMilliseconds, nowIso } from '../../lib/ids.js';

type ThemeRow = Row<'themes'>;
const exampleCount = 3;

const quoteLength = 280;

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
  for (const { created_at } of rows) {
    const day = new Date(created_at);
    const offset = (day.getUTCDay() + 6) % 7;
    const monday = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - offset)).toISOString().slice(0, 10);
    weeks.set(monday, (weeks.get(monday) ?? 0) + 1);
  }
  return [...weeks].map(([week, mentions]) => ({ week, mentions }));
}
