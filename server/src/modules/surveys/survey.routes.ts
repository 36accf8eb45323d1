import type { FastifyReply } from 'fastify';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { decodeCursor, encodeCursor, pageOf, toPage } from '../../http/pagination.js';
import { problemResponses } from '../../http/schemas.js';
import { parseJson } from '../../lib/json.js';
import type { Row } from '../../db/schema.js';
import { surveyLinks, verifySurveyToken } from './survey.links.js';
import { registerFormParser, renderMessagePage, renderSurveyForm, surveyPageSecurityHeaders } from './survey.page.js';
import type { SurveySnapshot } from './survey.questions.js';
import { ListInvitationsQuerySchema, ListResponsesQuerySchema, SendSurveyBodySchema, SendSurveyResultSchema, SurveyInvitationSchema, SurveyResponseSchema, SurveySummaryQuerySchema, SurveySummarySchema, SurveyBreakdownQuerySchema, SurveyBreakdownSchema } from './survey.schema.js';
import { answerSurvey, sendSurvey, type SurveyServices } from './survey.service.js';
import { summarizeSurveys, surveyBreakdown } from './survey.summary.js';

const tags = ['Surveys'];

export function registerSurveyRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const services: SurveyServices = { bus: context.bus, secret: context.secret, config: context.config };
  const presentInvitation = (row: Row<'survey_invitations'>) => {
    const links = surveyLinks(services, row);
    return { id: row.id, kind: row.kind as never, stage: row.stage as never, customerId: row.customer_id, ticketId: row.ticket_id, agentId: row.agent_id, recipientEmail: row.recipient_email, delivery: row.delivery, link: links.url, ratingLinks: links.ratings, expiresAt: row.expires_at, answeredAt: row.answered_at, createdAt: row.created_at };
  };

  app.post('/api/v1/surveys/send', { schema: { tags, summary: 'Ask a customer now (e.g. after a purchase); refused quietly when they were asked recently', body: SendSurveyBodySchema, response: { 200: SendSurveyResultSchema, 201: SendSurveyResultSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const result = await inUnitOfWork(db, context.bus, (uow) => sendSurvey(uow, services, actorOf(request), { ...request.body, workspaceId, stage: 'on_demand' }));
    if (result.status === 'throttled') return reply.code(200).send(result);
    return reply.code(201).send({ status: 'created' as const, invitation: presentInvitation(result.invitation) });
  });

  app.get(
    '/api/v1/surveys/invitations',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Survey invitations with their links (what the email channel delivers)', querystring: ListInvitationsQuerySchema, response: { 200: pageOf(SurveyInvitationSchema), ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const { status, customerId, cursor, limit } = request.query;
      const after = decodeCursor(cursor);
      let query = db.selectFrom('survey_invitations').selectAll().where('workspace_id', '=', workspaceId);
      if (status) query = query.where('answered_at', status === 'pending' ? 'is' : 'is not', null);
      if (customerId) query = query.where('customer_id', '=', customerId);
      if (after) query = query.where((eb) => eb.or([eb('created_at', '<', String(after.sortValue)), eb.and([eb('created_at', '=', String(after.sortValue)), eb('id', '<', after.id)])]));
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const page = toPage(rows, limit, (row) => encodeCursor(row.created_at, row.id));
      return { items: page.items.map(presentInvitation), nextCursor: page.nextCursor };
    },
  );

  app.get('/api/v1/surveys/responses', { schema: { tags, summary: 'Survey answers, newest first, by ticket, agent, customer or kind', querystring: ListResponsesQuerySchema, response: { 200: pageOf(SurveyResponseSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const filters = request.query;
    const after = decodeCursor(filters.cursor);
    let query = db.selectFrom('survey_responses').selectAll().where('workspace_id', '=', workspaceId);
    if (filters.kind) query = query.where('kind', '=', filters.kind);
    if (filters.ticketId) query = query.where('ticket_id', '=', filters.ticketId);
    if (filters.agentId) query = query.where('agent_id', '=', filters.agentId);
    if (filters.customerId) query = query.where('customer_id', '=', filters.customerId);
    if (after) query = query.where((eb) => eb.or([eb('created_at', '<', String(after.sortValue)), eb.and([eb('created_at', '=', String(after.sortValue)), eb('id', '<', after.id)])]));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filters.limit + 1).execute();
    const page = toPage(rows, filters.limit, (row) => encodeCursor(row.created_at, row.id));
    return {
      items: page.items.map((row) => ({ id: row.id, invitationId: row.invitation_id, kind: row.kind as never, score: row.score === null ? null : Number(row.score), answers: parseJson(row.answers, []), feelings: parseJson(row.feelings, []), comment: row.comment, ticketId: row.ticket_id, customerId: row.customer_id, agentId: row.agent_id, createdAt: row.created_at })),
      nextCursor: page.nextCursor,
    };
  });

  app.get('/api/v1/surveys/summary', { schema: { tags, summary: 'CSAT, NPS, effort, response rate and the "grateful" share', querystring: SurveySummaryQuerySchema, response: { 200: SurveySummarySchema, ...problemResponses } } }, async (request) =>
    summarizeSurveys(db, authOf(request).workspaceId, { since: request.query.since ? new Date(request.query.since).toISOString() : undefined, agentId: request.query.agentId }),
  );

  app.get('/api/v1/surveys/breakdown', { schema: { tags, summary: 'The same figures per week, agent, team or channel', querystring: SurveyBreakdownQuerySchema, response: { 200: SurveyBreakdownSchema, ...problemResponses } } }, async (request) =>
    surveyBreakdown(db, authOf(request).workspaceId, { by: request.query.by, since: request.query.since ? new Date(request.query.since).toISOString() : undefined }),
  );

  // The customer's pages: public, HTML, and encapsulated so the form parser applies to them alone.
  void app.register(async (pages) => {
    registerFormParser(pages);

    const sendPage = (reply: FastifyReply, status: number, html: string) => reply.code(status).headers(surveyPageSecurityHeaders).type('text/html; charset=utf-8').send(html);

    async function openInvitation(reply: FastifyReply, token: string) {
      const check = verifySurveyToken(context.secret, token);
      if (!check.ok) {
        if (check.reason === 'expired') return { done: sendPage(reply, 410, renderMessagePage('This survey has closed', 'The link has expired. Thank you all the same: if something is still wrong, just reply to our last email.')) };
        return { done: sendPage(reply, 400, renderMessagePage('This link is not valid', 'The survey link is incomplete or was changed. Please open it again from the email, or copy the whole address.')) };
      }
      const invitation = await db.selectFrom('survey_invitations').selectAll().where('id', '=', check.invitationId).executeTakeFirst();
      if (!invitation) return { done: sendPage(reply, 404, renderMessagePage('Survey not found', 'This survey no longer exists.')) };
      if (invitation.answered_at) return { done: sendPage(reply, 409, renderMessagePage('Already answered', 'We already have your answer to this survey. Thank you!')) };
      const workspace = await db.selectFrom('workspaces').select('name').where('id', '=', invitation.workspace_id).executeTakeFirstOrThrow();
      return { invitation, businessName: workspace.name, snapshot: parseJson<SurveySnapshot>(invitation.questions, { questions: [], feelings: [] }) };
    }

    pages.get<{ Params: { token: string }; Querystring: { score?: string } }>('/survey/:token', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const opened = await openInvitation(reply, request.params.token);
      if ('done' in opened) return opened.done;
      const preselected = Number.parseInt(String(request.query.score ?? ''), 10);
      return sendPage(reply, 200, renderSurveyForm({ businessName: opened.businessName, action: `/survey/${request.params.token}`, snapshot: opened.snapshot, preselected: Number.isFinite(preselected) ? preselected : undefined }));
    });

    pages.post<{ Params: { token: string }; Body: unknown }>('/survey/:token', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const opened = await openInvitation(reply, request.params.token);
      if ('done' in opened) return opened.done;
      const answers = answersFromBody(request.body, opened.snapshot);
      try {
        await inUnitOfWork(db, context.bus, (uow) => answerSurvey(uow, services, opened.invitation, answers));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'validation_failed') {
          const messages = error.fieldErrors.map((field) => field.message);
          return sendPage(reply, 400, renderSurveyForm({ businessName: opened.businessName, action: `/survey/${request.params.token}`, snapshot: opened.snapshot, errors: messages.length ? messages : [error.message] }));
        }
        if (error instanceof DomainError && error.code === 'conflict') return sendPage(reply, 409, renderMessagePage('Already answered', 'We already have your answer to this survey. Thank you!'));
        throw error;
      }
      return sendPage(reply, 200, renderMessagePage('Thank you!', 'Your answer was recorded. It goes straight to the team that helped you.'));
    });
  });
}

/** Accepts the HTML form (q1=5&feelings=heard&comment=…) or JSON ({ ratings: { q1: 5 }, feelings, comment }) from the widget. */
function answersFromBody(body: unknown, snapshot: SurveySnapshot) {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const ratingSource = (fields.ratings && typeof fields.ratings === 'object' ? fields.ratings : fields) as Record<string, unknown>;
  const ratings: Record<string, number> = {};
  for (const question of snapshot.questions) {
    const raw = ratingSource[question.id];
    if (raw === undefined || raw === '') continue;
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    ratings[question.id] = value;
  }
  const feelingsRaw = fields.feelings;
  const feelings = (Array.isArray(feelingsRaw) ? feelingsRaw : feelingsRaw === undefined ? [] : [feelingsRaw]).filter((value): value is string => typeof value === 'string').slice(0, 20);
  const comment = typeof fields.comment === 'string' ? fields.comment : undefined;
  return { ratings, feelings, comment };
}
