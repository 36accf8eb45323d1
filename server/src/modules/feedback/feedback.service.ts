import type { EventBus, UnitOfWork } from '../../events/events.js';
import { newId, nowIso } from '../../lib/ids.js';
import { listeningSettingsFrom, listeningSettingsText } from '../listening/index.js';
import { analyzeText, recordThemeMentionsOfItems } from '../themes/index.js';

export const feedbackSources = ['survey', 'review', 'mention', 'mystery_shop', 'staff_voice', 'complaint'] as const;
export type FeedbackSource = (typeof feedbackSources)[number];

export interface FeedbackInput {
  workspaceId: string;
  source: FeedbackSource;
  /** The record the opinion lives in (survey response, review, message…): one feedback item per record. */
  sourceId: string;
  customerId?: string | null;
  ticketId?: string | null;
  /**
   * Who is speaking, for the Three Times Rule: defaults to the customer, else the source itself
   * (all anonymous items of one source count as one voice).
   */
  sourceKey?: string;
  text: string;
  /** Defaults to now; anonymous staff notes pass the day only so no precise time is stored. */
  createdAt?: string;
}

export interface RecordedFeedback {
  id: string;
  sentiment: number;
  sentimentLabel: string;
  themeIds: string[];
  isNew: boolean;
}

/**
 * Records an opinion as a feedback item, scores its sentiment and groups its key phrases into
 * themes, in the caller's transaction. Recording the same source record twice is a no-op.
 */
export async function recordFeedback(uow: UnitOfWork, bus: EventBus, input: FeedbackInput): Promise<RecordedFeedback | undefined> {
  return (await recordFeedbackItems(uow, bus, [input]))[0];
}

/**
 * The same for several opinions of one workspace in one transaction (jobs claimed together), in
 * their order and with the same result as one after another, in a fixed number of statements: one
 * insert of all items (which brings the workspace's listening settings back with it), then the
 * themes' lookup and writes for all of them. Returns each input's item, undefined for empty text.
 */
export async function recordFeedbackItems(uow: UnitOfWork, bus: EventBus, inputs: FeedbackInput[]): Promise<Array<RecordedFeedback | undefined>> {
  const workspaceId = inputs[0]?.workspaceId;
  if (inputs.some((input) => input.workspaceId !== workspaceId)) throw new Error('recordFeedbackItems: inputs of one workspace only');
  const items = inputs.map((input) => {
    const text = input.text.trim().slice(0, 10_000);
    if (!text) return undefined;
    const { phrases, sentiment } = analyzeText(text);
    const row = {
      id: newId(),
      workspace_id: input.workspaceId,
      source: input.source,
      source_id: input.sourceId,
      source_key: input.sourceKey ?? (input.customerId ? `customer:${input.customerId}` : `source:${input.source}`),
      customer_id: input.customerId ?? null,
      ticket_id: input.ticketId ?? null,
      text,
      sentiment: sentiment.score,
      sentiment_label: sentiment.label,
      created_at: input.createdAt ?? nowIso(),
    };
    return { row, phrases };
  });
  const rows = items.flatMap((item) => (item ? [item.row] : []));
  if (!workspaceId || rows.length === 0) return items.map(() => undefined);
  // Unique per source record: recording it again inserts nothing and returns the stored item.
  // The workspace's listening settings come back with the insert, saving a round trip.
  const inserted = await uow.trx
    .insertInto('feedback_items')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['workspace_id', 'source', 'source_id']).doNothing())
    .returning(['id', listeningSettingsText(workspaceId).as('settings')])
    .execute();
  const isNew = new Set(inserted.map((row) => row.id));
  const fresh = items.filter((item) => item && isNew.has(item.row.id)).map((item) => item!);
  const themeIds = new Map<string, string[]>();
  if (fresh.length > 0) {
    const settings = listeningSettingsFrom(workspaceId, inserted[0]!.settings);
    const mentioned = await recordThemeMentionsOfItems(
      uow,
      bus,
      settings.themes,
      fresh.map(({ row, phrases }) => ({ workspaceId, feedbackItemId: row.id, sourceKey: row.source_key, text: row.text, createdAt: row.created_at, phrases })),
    );
    fresh.forEach(({ row }, index) => themeIds.set(row.id, mentioned[index]!));
  }
  const stale = rows.filter((row) => !isNew.has(row.id));
  const stored = stale.length === 0 ? [] : await uow.trx.selectFrom('feedback_items').select(['id', 'source', 'source_id', 'sentiment', 'sentiment_label']).where('workspace_id', '=', workspaceId).where('source_id', 'in', stale.map((row) => row.source_id)).execute();
  return items.map((item) => {
    if (!item) return undefined;
    const { row } = item;
    if (isNew.has(row.id)) return { id: row.id, sentiment: row.sentiment, sentimentLabel: row.sentiment_label, themeIds: themeIds.get(row.id)!, isNew: true };
    const existing = stored.find((other) => other.source === row.source && other.source_id === row.source_id)!;
    return { id: existing.id, sentiment: existing.sentiment, sentimentLabel: existing.sentiment_label, themeIds: [], isNew: false };
  });
}
