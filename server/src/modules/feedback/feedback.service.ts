import type { EventBus, UnitOfWork } from '../../events/events.js';
import { newId, nowIso } from '../../lib/ids.js';
import { listeningSettingsFrom, listeningSettingsText } from '../listening/index.js';
import { analyzeText, recordThemeMentions } from '../themes/index.js';

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

/**
 * Records an opinion as a feedback item, scores its sentiment and groups its key phrases into
 * themes, in the caller's transaction. Recording the same source record twice is a no-op.
 */
export async function recordFeedback(uow: UnitOfWork, bus: EventBus, input: FeedbackInput) {
  const text = input.text.trim().slice(0, 10_000);
  if (!text) return undefined;
  const { phrases, sentiment } = analyzeText(text);
  const createdAt = input.createdAt ?? nowIso();
  const sourceKey = input.sourceKey ?? (input.customerId ? `customer:${input.customerId}` : `source:${input.source}`);
  const id = newId();
  // Unique per source record: recording it again inserts nothing and returns the stored item.
  // The workspace's listening settings come back with the insert, saving a round trip per item.
  const inserted = await uow.trx
    .insertInto('feedback_items')
    .values({ id, workspace_id: input.workspaceId, source: input.source, source_id: input.sourceId, source_key: sourceKey, customer_id: input.customerId ?? null, ticket_id: input.ticketId ?? null, text, sentiment: sentiment.score, sentiment_label: sentiment.label, created_at: createdAt })
    .onConflict((conflict) => conflict.columns(['workspace_id', 'source', 'source_id']).doNothing())
    .returning(listeningSettingsText(input.workspaceId).as('settings'))
    .executeTakeFirst();
  if (!inserted) {
    const existing = await uow.trx.selectFrom('feedback_items').select(['id', 'sentiment', 'sentiment_label']).where('workspace_id', '=', input.workspaceId).where('source', '=', input.source).where('source_id', '=', input.sourceId).executeTakeFirstOrThrow();
    return { id: existing.id, sentiment: existing.sentiment, sentimentLabel: existing.sentiment_label, themeIds: [] as string[], isNew: false };
  }
  const settings = listeningSettingsFrom(input.workspaceId, inserted.settings);
  const themeIds = await recordThemeMentions(uow, bus, settings.themes, { workspaceId: input.workspaceId, feedbackItemId: id, sourceKey, text, createdAt }, phrases);
  return { id, sentiment: sentiment.score, sentimentLabel: sentiment.label, themeIds, isNew: true };
}
