import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { parseJson } from '../../lib/json.js';
import { escapeHtml, publicPageHeaders, registerFormParser, renderMessagePage, renderPage } from '../surveys/index.js';
import { scoreScale, type Criterion } from './mystery-shop.criteria.js';
import { CreateEvaluationBodySchema, CreateFormBodySchema, EvaluationSchema, FormSchema, ScoresQuerySchema, ScoresSchema, SubmitEvaluationBodySchema } from './mystery-shop.schema.js';
import { createEvaluation, createForm, createShopperToken, listForms, loadEvaluation, submitEvaluation, verifyShopperToken } from './mystery-shop.service.js';
import { scoresOverTime } from './mystery-shop.scores.js';

const tags = ['Mystery shopping'];
type EvaluationView = Awaited<ReturnType<typeof loadEvaluation>>;

export function registerMysteryShopRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const base = (context.config.RAVING_PUBLIC_URL ?? `http://localhost:${context.config.PORT}`).replace(/\/+$/, '');
  const presentForm = (row: { id: string; name: string; criteria: string; created_at: string }) => ({ id: row.id, name: row.name, criteria: parseJson<Criterion[]>(row.criteria, []), createdAt: row.created_at });
  const presentEvaluation = (row: EvaluationView) => ({
    id: row.id,
    formId: row.form_id,
    formName: row.form_name,
    shopperName: row.shopper_name,
    channel: row.channel,
    link: row.submitted_at ? null : `${base}/mystery-shop/${createShopperToken(context.secret, row.id, row.expires_at)}`,
    scores: row.scores ? parseJson<Record<string, number>>(row.scores, {}) : null,
    score: row.score === null ? null : Number(row.score),
    note: row.note,
    submittedBy: row.submitted_by,
    expiresAt: row.expires_at,
    submittedAt: row.submitted_at,
    createdAt: row.created_at,
  });

  app.get('/api/v1/mystery-shop/forms', { schema: { tags, summary: 'Evaluation forms (a default one is provided)', response: { 200: z.object({ items: z.array(FormSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await inUnitOfWork(db, context.bus, (uow) => listForms(uow, authOf(request).workspaceId));
    return { items: rows.map(presentForm) };
  });

  app.post('/api/v1/mystery-shop/forms', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Create an evaluation form', body: CreateFormBodySchema, response: { 201: FormSchema, ...problemResponses } } }, async (request, reply) => {
    const form = await inUnitOfWork(db, context.bus, (uow) => createForm(uow, context.bus, authOf(request).workspaceId, actorOf(request), request.body));
    return reply.code(201).send(presentForm(form));
  });

  app.post('/api/v1/mystery-shop/evaluations', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Assign an evaluation to a shopper; returns the link to send them', body: CreateEvaluationBodySchema, response: { 201: EvaluationSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const evaluation = await inUnitOfWork(db, context.bus, (uow) => createEvaluation(uow, context.bus, workspaceId, actorOf(request), request.body));
    return reply.code(201).send(presentEvaluation(await loadEvaluation({ trx: db, events: [] }, evaluation.id, workspaceId)));
  });

  app.get('/api/v1/mystery-shop/evaluations', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Evaluations, newest first', response: { 200: z.object({ items: z.array(EvaluationSchema) }), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const ids = await db.selectFrom('mystery_shop_evaluations').select('id').where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').limit(200).execute();
    const items = [];
    for (const { id } of ids) items.push(presentEvaluation(await loadEvaluation({ trx: db, events: [] }, id, workspaceId)));
    return { items };
  });

  app.post('/api/v1/mystery-shop/evaluations/:id/submit', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Fill an evaluation as a manager (after a visit or call)', params: IdParamsSchema, body: SubmitEvaluationBodySchema, response: { 200: EvaluationSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => submitEvaluation(uow, context.bus, actorOf(request), request.params.id, { ...request.body, submittedBy: 'manager' }, workspaceId));
    return presentEvaluation(await loadEvaluation({ trx: db, events: [] }, request.params.id, workspaceId));
  });

  app.get('/api/v1/mystery-shop/scores', { schema: { tags, summary: 'Average score (0–100) and per-criterion averages (1–5) per week or month', querystring: ScoresQuerySchema, response: { 200: ScoresSchema, ...problemResponses } } }, async (request) =>
    scoresOverTime(db, authOf(request).workspaceId, request.query),
  );

  // The outside shopper's page: public, HTML, signed link.
  void app.register(async (pages) => {
    registerFormParser(pages);
    const send = (reply: FastifyReply, status: number, html: string) => reply.code(status).headers(publicPageHeaders).type('text/html; charset=utf-8').send(html);
    async function open(reply: FastifyReply, token: string) {
      const check = verifyShopperToken(context.secret, token);
      if (!check.ok) return { done: send(reply, check.reason === 'expired' ? 410 : 400, renderMessagePage(check.reason === 'expired' ? 'This link has expired' : 'This link is not valid', 'Ask the business for a new evaluation link.')) };
      const evaluation = await loadEvaluation({ trx: db, events: [] }, check.evaluationId).catch(() => undefined);
      if (!evaluation) return { done: send(reply, 404, renderMessagePage('Evaluation not found', 'This evaluation no longer exists.')) };
      if (evaluation.submitted_at) return { done: send(reply, 409, renderMessagePage('Already submitted', 'This evaluation was already submitted. Thank you!')) };
      return { evaluation };
    }
    const form = (evaluation: EvaluationView, token: string, errors: string[] = []) => {
      const rows = evaluation.criteriaList.map((criterion) => {
        const options = Array.from({ length: scoreScale.max - scoreScale.min + 1 }, (_, index) => scoreScale.min + index).map((value) => `<label><input type="radio" name="${escapeHtml(criterion.key)}" value="${value}"> ${value}</label>`).join(' ');
        return `<fieldset><legend>${escapeHtml(criterion.label)}</legend>${options}</fieldset>`;
      });
      const errorBlock = errors.length ? `<p class="error" role="alert">${errors.map(escapeHtml).join('<br>')}</p>` : '';
      return renderPage('Mystery shopping', `<h1>${escapeHtml(evaluation.form_name)}</h1><p>1 = poor, 5 = excellent.</p>${errorBlock}<form method="post" action="/mystery-shop/${escapeHtml(token)}">${rows.join('')}<fieldset><legend><label for="note">What happened, in your words</label></legend><textarea id="note" name="note" maxlength="10000"></textarea></fieldset><button type="submit">Submit</button></form>`);
    };
    pages.get<{ Params: { token: string } }>('/mystery-shop/:token', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const opened = await open(reply, request.params.token);
      return 'done' in opened ? opened.done : send(reply, 200, form(opened.evaluation, request.params.token));
    });
    pages.post<{ Params: { token: string }; Body: unknown }>('/mystery-shop/:token', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const opened = await open(reply, request.params.token);
      if ('done' in opened) return opened.done;
      const fields = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const scoreSource = (fields.scores && typeof fields.scores === 'object' ? fields.scores : fields) as Record<string, unknown>;
      const scores: Record<string, unknown> = {};
      for (const criterion of opened.evaluation.criteriaList) {
        const raw = scoreSource[criterion.key];
        if (raw !== undefined && raw !== '') scores[criterion.key] = typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : raw;
      }
      try {
        await inUnitOfWork(db, context.bus, (uow) => submitEvaluation(uow, context.bus, systemActor, opened.evaluation.id, { scores, note: typeof fields.note === 'string' ? fields.note : undefined, submittedBy: 'shopper' }));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'validation_failed') return send(reply, 400, form(opened.evaluation, request.params.token, error.fieldErrors.map((field) => `${field.path}: ${field.message}`)));
        if (error instanceof DomainError && error.code === 'conflict') return send(reply, 409, renderMessagePage('Already submitted', 'This evaluation was already submitted. Thank you!'));
        throw error;
      }
      return send(reply, 200, renderMessagePage('Thank you!', 'Your evaluation was recorded.'));
    });
  });
}
