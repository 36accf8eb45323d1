import type { Config } from '../../config.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { queueCustomerEmail } from '../email/index.js';
import { recordFeedback } from '../feedback/index.js';
import { readListeningSettings, type SurveyKind, type SurveyStage } from '../listening/index.js';
import type { Row } from '../../db/schema.js';
import { composeSurveyEmail } from './survey.email.js';
import { isRatingType, scales, snapshotSurvey, type SurveySnapshot } from './survey.questions.js';

const dayMilliseconds = 86_400_000;

export interface SurveyServices {
  bus: EventBus;
  secret: string;
  config: Config;
}

export interface SendSurveyInput {
  workspaceId: string;
  customerId: string;
  ticketId?: string | null;
  kind: SurveyKind;
  stage: SurveyStage;
}

export type SendSurveyResult = { status: 'created'; invitation: Row<'survey_invitations'> } | { status: 'throttled'; lastAskedAt: string };

/**
 * Creates a survey invitation unless the customer was asked within the throttle window, and queues
 * its email (signed rating links) through the email module in the same transaction.
 */
export async function sendSurvey(uow: UnitOfWork, services: SurveyServices, actor: Actor, input: SendSurveyInput): Promise<SendSurveyResult> {
  const customer = await uow.trx.selectFrom('customers').select(['id', 'email', 'merged_into_id']).where('workspace_id', '=', input.workspaceId).where('id', '=', input.customerId).executeTakeFirst();
  if (!customer) throw notFound('Customer');
  const ticket = input.ticketId
    ? await uow.trx.selectFrom('tickets').select(['id', 'customer_id', 'assignee_id']).where('workspace_id', '=', input.workspaceId).where('id', '=', input.ticketId).executeTakeFirst()
    : undefined;
  if (input.ticketId && !ticket) throw notFound('Ticket');
  if (ticket && ticket.customer_id !== customer.id) throw new DomainError('validation_failed', 'The ticket belongs to another customer.', [{ path: 'body.ticketId', message: 'is not a ticket of this customer' }]);
  const settings = await readListeningSettings(uow.trx, input.workspaceId);
  const now = nowIso();
  if (settings.surveys.throttleDays > 0) {
    const recent = await uow.trx
      .selectFrom('survey_invitations')
      .select('created_at')
      .where('workspace_id', '=', input.workspaceId)
      .where('customer_id', '=', customer.id)
      .where('created_at', '>', addMilliseconds(now, -settings.surveys.throttleDays * dayMilliseconds))
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (recent) return { status: 'throttled', lastAskedAt: recent.created_at };
  }
  const invitation: Row<'survey_invitations'> = {
    id: crypto.randomUUID(),
    workspace_id: input.workspaceId,
    kind: input.kind,
    stage: input.stage,
    customer_id: customer.id,
    ticket_id: ticket?.id ?? null,
    agent_id: ticket?.assignee_id ?? null,
    recipient_email: customer.email,
    questions: JSON.stringify(snapshotSurvey(settings.surveys, input.kind)),
    delivery: 'no_email',
    expires_at: addMilliseconds(now, settings.surveys.linkValidDays * dayMilliseconds),
    answered_at: null,
    created_at: now,
  };
  if (customer.email) {
    // Queued in this transaction: a committed invitation is always mailed, a rolled-back one never.
    const workspace = await uow.trx.selectFrom('workspaces').select('name').where('id', '=', input.workspaceId).executeTakeFirstOrThrow();
    const email = composeSurveyEmail(services, invitation, workspace.name);
    const queued = await queueCustomerEmail(uow.trx, services, { workspaceId: input.workspaceId, purpose: 'survey', to: customer.email, ticketId: invitation.ticket_id, subject: email.subject, text: email.text, html: email.html });
    invitation.delivery = queued.status === 'queued' ? 'email' : 'suppressed';
  }
  await uow.trx.insertInto('survey_invitations').values(invitation).execute();
  await services.bus.append(uow, {
    workspaceId: input.workspaceId,
    actor,
    type: 'survey.sent',
    subjectType: 'survey_invitation',
    subjectId: invitation.id,
    ticketId: invitation.ticket_id,
    payload: { kind: invitation.kind, stage: invitation.stage, customerId: customer.id, ticketId: invitation.ticket_id, agentId: invitation.agent_id, delivery: invitation.delivery },
  });
  return { status: 'created', invitation };
}

export interface SurveyAnswerInput {
  /** Rating per question id. */
  ratings: Record<string, number>;
  feelings: string[];
  comment?: string;
}

/** Checks the answers against the invitation's own questions; returns field errors rather than throwing. */
export function validateAnswers(snapshot: SurveySnapshot, input: SurveyAnswerInput): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  for (const question of snapshot.questions) {
    if (!isRatingType(question.type)) continue;
    const value = input.ratings[question.id];
    const scale = scales[question.type];
    if (value === undefined) {
      if (question.id === snapshot.questions[0]!.id) errors.push({ path: question.id, message: 'choose a rating' });
      continue;
    }
    if (!Number.isInteger(value) || value < scale.min || value > scale.max) errors.push({ path: question.id, message: `must be a whole number from ${scale.min} to ${scale.max}` });
  }
  for (const feeling of input.feelings) if (!snapshot.feelings.includes(feeling)) errors.push({ path: 'feelings', message: `"${feeling.slice(0, 40)}" is not one of the offered feelings` });
  if ((input.comment?.length ?? 0) > 5000) errors.push({ path: 'comment', message: 'must be at most 5000 characters' });
  return errors;
}

/**
 * Records the customer's answer once: the invitation is claimed with a conditional update, so a
 * second submit (a double click, a replayed form) finds it answered and records nothing.
 */
export async function answerSurvey(uow: UnitOfWork, services: SurveyServices, invitation: Row<'survey_invitations'>, input: SurveyAnswerInput) {
  const snapshot = parseJson<SurveySnapshot>(invitation.questions, { questions: [], feelings: [] });
  const errors = validateAnswers(snapshot, input);
  if (errors.length > 0) throw new DomainError('validation_failed', errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors);
  const now = nowIso();
  const claimed = await uow.trx.updateTable('survey_invitations').set({ answered_at: now }).where('id', '=', invitation.id).where('answered_at', 'is', null).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError('conflict', 'This survey was already answered.');
  const primary = snapshot.questions[0]!;
  const score = isRatingType(primary.type) ? (input.ratings[primary.id] ?? null) : null;
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const feelings = [...new Set(input.feelings)];
  const answers = snapshot.questions.filter((question) => isRatingType(question.type) && input.ratings[question.id] !== undefined).map((question) => ({ questionId: question.id, type: question.type, score: input.ratings[question.id]! }));
  const response: Row<'survey_responses'> = {
    id: newId(),
    workspace_id: invitation.workspace_id,
    invitation_id: invitation.id,
    kind: invitation.kind,
    score,
    answers: JSON.stringify(answers),
    feelings: JSON.stringify(feelings),
    comment,
    ticket_id: invitation.ticket_id,
    customer_id: invitation.customer_id,
    agent_id: invitation.agent_id,
    created_at: now,
  };
  await uow.trx.insertInto('survey_responses').values(response).execute();
  await services.bus.append(uow, {
    workspaceId: invitation.workspace_id,
    actor: { type: 'customer', id: invitation.customer_id },
    type: 'survey.answered',
    subjectType: 'survey_response',
    subjectId: response.id,
    ticketId: invitation.ticket_id,
    payload: { kind: invitation.kind, stage: invitation.stage, score, answers, comment, feelings, ticketId: invitation.ticket_id, customerId: invitation.customer_id, agentId: invitation.agent_id },
  });
  if (comment) {
    await recordFeedback(uow, services.bus, { workspaceId: invitation.workspace_id, source: 'survey', sourceId: response.id, customerId: invitation.customer_id, ticketId: invitation.ticket_id, text: comment, createdAt: now });
  }
  return response;
}
