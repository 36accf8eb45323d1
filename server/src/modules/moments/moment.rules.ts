import type { StoredEvent } from '../../events/events.js';
import { scoreFeelings } from '../feelings/index.js';

/**
 * Which events are moments (PRODUCT.md section 1), as a pure mapping. The cause key makes each
 * moment exactly once: the same SLA breach or survey answer seen twice is one moment.
 */
export type MomentKind = 'truth' | 'misery' | 'magic';

export interface MomentCandidate {
  kind: MomentKind;
  rule: string;
  causeKey: string;
  customerId: string | null;
  detail: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const openCategories = new Set(['new', 'open', 'pending', 'on_hold']);

export function momentsOf(event: StoredEvent): MomentCandidate[] {
  const payload = event.payload;
  const customerId = text(payload.customerId);
  const moment = (kind: MomentKind, rule: string, causeKey: string, detail: Record<string, unknown> = {}): MomentCandidate => ({ kind, rule, causeKey, customerId, detail });

  switch (event.type) {
    case 'message.created':
      if (payload.kind === 'inbound' || payload.kind === 'outbound') return [moment('truth', `message_${payload.kind}`, `message:${event.subjectId}`, { messageId: event.subjectId })];
      return [];
    case 'sla.breached': {
      const target = text(payload.metric) ?? text(payload.target) ?? text(payload.targetId) ?? '';
      // The next-response clock starts again with each customer message: a breach in a later cycle
      // (another due time) is another misery, the same breach seen twice is not.
      const dueAt = text(payload.dueAt) ?? '';
      return [moment('misery', 'sla_breached', `sla:${event.subjectId}:${target}:${dueAt}`, { metric: target || null, dueAt: dueAt || null })];
    }
    case 'commitment.broken':
      return [moment('misery', 'commitment_broken', `commitment:${event.subjectId}`, { commitmentId: event.subjectId, description: payload.description ?? null })];
    case 'commitment.kept_early':
      return [moment('magic', 'commitment_kept_early', `commitment:${event.subjectId}`, { commitmentId: event.subjectId, description: payload.description ?? null })];
    case 'feelings.agitation_spike':
      return [moment('misery', 'agitation_spike', `agitation:${event.subjectId}`, { messageId: event.subjectId, agitation: payload.agitation, reasons: payload.reasons })];
    case 'feelings.praise':
      return [moment('magic', 'praise', `praise:${event.subjectId}`, { messageId: event.subjectId })];
    case 'ticket.created':
    case 'ticket.tags_changed': {
      const added = event.type === 'ticket.created' ? payload.tags : payload.added;
      if (!Array.isArray(added) || !added.includes('complaint')) return [];
      return [moment('misery', 'complaint', `complaint:${event.ticketId}`, { source: 'tag' })];
    }
    case 'ticket.status_changed':
      if ((payload.fromCategory === 'solved' || payload.fromCategory === 'closed') && openCategories.has(String(payload.toCategory))) {
        return [moment('misery', 'reopened', `reopen:${event.id}`, { from: payload.from, to: payload.to })];
      }
      return [];
    case 'survey.answered': {
      const score = number(payload.score);
      const truth = moment('truth', 'survey_answered', `survey:${event.subjectId}`, { kind: payload.kind, score });
      if (payload.kind !== 'csat' || score === null) return [truth];
      if (score <= 2) return [truth, moment('misery', 'csat_low', `survey:${event.subjectId}:misery`, { score, comment: payload.comment ?? null })];
      const comment = text(payload.comment);
      if (score >= 5 && comment && scoreFeelings(comment).sentiment > 0.1) return [truth, moment('magic', 'csat_delighted', `survey:${event.subjectId}:magic`, { score, comment })];
      return [truth];
    }
    case 'review.received': {
      const rating = number(payload.rating);
      const truth = moment('truth', 'review', `review:${event.subjectId}`, { rating, source: payload.source ?? null });
      if (payload.isNegative === true || (rating !== null && rating <= 2)) return [truth, moment('misery', 'review_negative', `review:${event.subjectId}:misery`, { rating, source: payload.source ?? null })];
      if (rating !== null ? rating >= 4 : payload.sentiment === 'positive') return [truth, moment('magic', 'review_positive', `review:${event.subjectId}:magic`, { rating, source: payload.source ?? null })];
      return [truth];
    }
    case 'recovery.closed':
      if (payload.outcome !== 'recovered') return [];
      return [moment('magic', 'misery_recovered', `recovered:${event.subjectId}`, { recoveryId: event.subjectId, momentId: payload.momentId ?? null })];
    default:
      return [];
  }
}
