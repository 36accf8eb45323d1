import crypto from 'node:crypto';
import type { Row } from '../../db/schema.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { recordFeedback } from '../feedback/index.js';
import { defaultCriteria, overallScore, validateScores, type Criterion } from './mystery-shop.criteria.js';

/** The shopper's link: evaluation id and expiry, signed with the instance secret; no account needed. */
function signatureOf(secret: string, evaluationId: string, seconds: number): string {
  return crypto.createHmac('sha256', secret).update(`mystery-shop:v1:${evaluationId}:${seconds}`).digest('base64url').slice(0, 32);
}
export function createShopperToken(secret: string, evaluationId: string, expiresAt: string): string {
  const seconds = Math.floor(Date.parse(expiresAt) / 1000);
  return `${evaluationId}.${seconds.toString(36)}.${signatureOf(secret, evaluationId, seconds)}`;
}
export function verifyShopperToken(secret: string, token: string): { ok: true; evaluationId: string } | { ok: false; reason: 'invalid' | 'expired' } {
  const match = /^([0-9a-f-]{36})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const seconds = Number.parseInt(match[2]!, 36);
  if (!crypto.timingSafeEqual(Buffer.from(signatureOf(secret, match[1]!, seconds)), Buffer.from(match[3]!))) return { ok: false, reason: 'invalid' };
  if (seconds * 1000 <= Date.now()) return { ok: false, reason: 'expired' };
  return { ok: true, evaluationId: match[1]! };
}

/** The workspace's forms; the default one is created the first time anyone looks. */
export async function listForms(uow: UnitOfWork, workspaceId: string) {
  const rows = await uow.trx.selectFrom('mystery_shop_forms').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
  if (rows.length > 0) return rows;
  const form: Row<'mystery_shop_forms'> = { id: newId(), workspace_id: workspaceId, name: 'Standard visit', criteria: JSON.stringify(defaultCriteria), created_at: nowIso() };
  await uow.trx.insertInto('mystery_shop_forms').values(form).execute();
  return [form];
}

export async function createForm(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, input: { name: string; criteria: Criterion[] }) {
  if (new Set(input.criteria.map((criterion) => criterion.key)).size !== input.criteria.length) throw new DomainError('validation_failed', 'Criterion keys must be unique.', [{ path: 'body.criteria', message: 'has duplicate keys' }]);
  const form: Row<'mystery_shop_forms'> = { id: newId(), workspace_id: workspaceId, name: input.name, criteria: JSON.stringify(input.criteria), created_at: nowIso() };
  await uow.trx.insertInto('mystery_shop_forms').values(form).execute();
  await bus.append(uow, { workspaceId, actor, type: 'mystery_shop.form_created', subjectType: 'mystery_shop_form', subjectId: form.id, payload: { name: form.name, criteria: input.criteria.length } });
  return form;
}

export async function createEvaluation(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, input: { formId?: string; shopperName: string; channel?: string; validDays: number }) {
  const forms = await listForms(uow, workspaceId);
  const form = input.formId ? forms.find((candidate) => candidate.id === input.formId) : forms[0];
  if (!form) throw notFound('Form');
  const now = nowIso();
  const evaluation: Row<'mystery_shop_evaluations'> = {
    id: crypto.randomUUID(),
    workspace_id: workspaceId,
    form_id: form.id,
    shopper_name: input.shopperName,
    channel: input.channel ?? null,
    scores: null,
    score: null,
    note: null,
    submitted_by: null,
    expires_at: addMilliseconds(now, input.validDays * 86_400_000),
    submitted_at: null,
    created_at: now,
  };
  await uow.trx.insertInto('mystery_shop_evaluations').values(evaluation).execute();
  await bus.append(uow, { workspaceId, actor, type: 'mystery_shop.assigned', subjectType: 'mystery_shop_evaluation', subjectId: evaluation.id, payload: { formId: form.id, shopperName: evaluation.shopper_name, channel: evaluation.channel } });
  return evaluation;
}

export async function loadEvaluation(uow: UnitOfWork, evaluationId: string, workspaceId?: string) {
  let query = uow.trx.selectFrom('mystery_shop_evaluations').innerJoin('mystery_shop_forms', 'mystery_shop_forms.id', 'mystery_shop_evaluations.form_id').selectAll('mystery_shop_evaluations').select(['mystery_shop_forms.name as form_name', 'mystery_shop_forms.criteria']).where('mystery_shop_evaluations.id', '=', evaluationId);
  if (workspaceId) query = query.where('mystery_shop_evaluations.workspace_id', '=', workspaceId);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('Evaluation');
  return { ...row, criteriaList: parseJson<Criterion[]>(row.criteria, []) };
}

/** Records the filled form once, by the shopper through the link or by a manager; the note becomes feedback. */
export async function submitEvaluation(uow: UnitOfWork, bus: EventBus, actor: Actor, evaluationId: string, input: { scores: Record<string, unknown>; note?: string; submittedBy: 'shopper' | 'manager' }, workspaceId?: string) {
  const evaluation = await loadEvaluation(uow, evaluationId, workspaceId);
  const errors = validateScores(evaluation.criteriaList, input.scores);
  if ((input.note?.length ?? 0) > 10_000) errors.push({ path: 'note', message: 'must be at most 10000 characters' });
  if (errors.length > 0) throw new DomainError('validation_failed', errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors);
  const scores = input.scores as Record<string, number>;
  const score = overallScore(evaluation.criteriaList, scores);
  const now = nowIso();
  const note = input.note?.trim() || null;
  const claimed = await uow.trx.updateTable('mystery_shop_evaluations').set({ scores: JSON.stringify(scores), score, note, submitted_by: input.submittedBy, submitted_at: now }).where('id', '=', evaluation.id).where('submitted_at', 'is', null).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError('conflict', 'This evaluation was already submitted.');
  await bus.append(uow, { workspaceId: evaluation.workspace_id, actor, type: 'mystery_shop.submitted', subjectType: 'mystery_shop_evaluation', subjectId: evaluation.id, payload: { formId: evaluation.form_id, score, scores, submittedBy: input.submittedBy, channel: evaluation.channel } });
  if (note) await recordFeedback(uow, bus, { workspaceId: evaluation.workspace_id, source: 'mystery_shop', sourceId: evaluation.id, sourceKey: `shopper:${evaluation.shopper_name.toLowerCase()}`, text: note, createdAt: now });
  return { ...evaluation, scores: JSON.stringify(scores), score, note, submitted_by: input.submittedBy, submitted_at: now };
}
