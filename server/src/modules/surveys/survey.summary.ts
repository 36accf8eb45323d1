import type { Db } from '../../db/database.js';
import { parseJson } from '../../lib/json.js';

export const breakdownKeys = ['week', 'agent', 'team', 'channel'] as const;
export type BreakdownKey = (typeof breakdownKeys)[number];

interface AnswerRow {
  kind: string;
  score: number | null;
  feelings: string;
  sentiment_label: string | null;
}

const responseLimit = 200_000;
const average = (values: number[]) => (values.length ? Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100 : null);
const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);

/** CSAT, NPS, effort, response rate and the Grateful share (PRODUCT.md section 4) of a set of answers. */
function figuresOf(rows: AnswerRow[], invitations: number) {
  const scored = (kind: string) => rows.filter((row) => row.kind === kind && row.score !== null).map((row) => Number(row.score));
  const csat = scored('csat');
  const nps = scored('nps');
  const ces = scored('ces');
  const grateful = rows.filter((row) => row.sentiment_label === 'positive' || parseJson<string[]>(row.feelings, []).includes('grateful')).length;
  return {
    invitations,
    responses: rows.length,
    responseRate: share(rows.length, invitations),
    csat: { responses: csat.length, average: average(csat), satisfiedShare: share(csat.filter((score) => score >= 4).length, csat.length) },
    nps: { responses: nps.length, score: nps.length ? Math.round(((nps.filter((score) => score >= 9).length - nps.filter((score) => score <= 6).length) / nps.length) * 100) : null },
    ces: { responses: ces.length, average: average(ces) },
    gratefulShare: share(grateful, rows.length),
  };
}

function answersQuery(db: Db, workspaceId: string, since: string | undefined) {
  let query = db
    .selectFrom('survey_responses')
    .leftJoin('feedback_items', (join) => join.onRef('feedback_items.source_id', '=', 'survey_responses.id').on('feedback_items.source', '=', 'survey'))
    .leftJoin('tickets', 'tickets.id', 'survey_responses.ticket_id')
    .select(['survey_responses.kind', 'survey_responses.score', 'survey_responses.feelings', 'survey_responses.agent_id', 'survey_responses.created_at', 'feedback_items.sentiment_label', 'tickets.team_id', 'tickets.channel'])
    .where('survey_responses.workspace_id', '=', workspaceId);
  if (since) query = query.where('survey_responses.created_at', '>=', since);
  return query;
}

function invitationsQuery(db: Db, workspaceId: string, since: string | undefined) {
  let query = db
    .selectFrom('survey_invitations')
    .leftJoin('tickets', 'tickets.id', 'survey_invitations.ticket_id')
    .select(['survey_invitations.agent_id', 'survey_invitations.created_at', 'tickets.team_id', 'tickets.channel'])
    .where('survey_invitations.workspace_id', '=', workspaceId);
  if (since) query = query.where('survey_invitations.created_at', '>=', since);
  return query;
}

export async function summarizeSurveys(db: Db, workspaceId: string, filters: { since?: string; agentId?: string }) {
  let answers = answersQuery(db, workspaceId, filters.since);
  let invitations = db.selectFrom('survey_invitations').select((eb) => eb.fn.countAll<number>().as('count')).where('workspace_id', '=', workspaceId);
  if (filters.since) invitations = invitations.where('created_at', '>=', filters.since);
  if (filters.agentId) {
    answers = answers.where('survey_responses.agent_id', '=', filters.agentId);
    invitations = invitations.where('agent_id', '=', filters.agentId);
  }
  const rows = await answers.limit(responseLimit).execute();
  return figuresOf(rows, Number((await invitations.executeTakeFirst())?.count ?? 0));
}

/** Monday of the ISO week (UTC) a timestamp falls in. */
function weekOf(iso: string): string {
  const day = new Date(iso);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - ((day.getUTCDay() + 6) % 7))).toISOString().slice(0, 10);
}

/**
 * The same figures per week, agent, team or channel (of the ticket the survey was about). Rows are
 * grouped here rather than in SQL so both dialects share one week definition; a workspace's answers
 * are few next to its messages.
 */
export async function surveyBreakdown(db: Db, workspaceId: string, filters: { by: BreakdownKey; since?: string }) {
  const keyOf = (row: { agent_id: string | null; created_at: string; team_id: string | null; channel: string | null }) =>
    filters.by === 'week' ? weekOf(row.created_at) : filters.by === 'agent' ? row.agent_id : filters.by === 'team' ? row.team_id : row.channel;
  const answers = await answersQuery(db, workspaceId, filters.since).limit(responseLimit).execute();
  const invitations = await invitationsQuery(db, workspaceId, filters.since).limit(responseLimit).execute();
  const groups = new Map<string, { answers: AnswerRow[]; invitations: number }>();
  const groupOf = (key: string) => groups.get(key) ?? groups.set(key, { answers: [], invitations: 0 }).get(key)!;
  for (const row of invitations) groupOf(keyOf(row) ?? '').invitations++;
  for (const row of answers) groupOf(keyOf(row) ?? '').answers.push(row);
  const ids = [...groups.keys()].filter(Boolean);
  const names = new Map<string, string>();
  if (filters.by === 'agent' && ids.length) {
    for (const row of await db.selectFrom('staff').innerJoin('users', 'users.id', 'staff.user_id').select(['staff.id', 'users.name']).where('staff.workspace_id', '=', workspaceId).where('staff.id', 'in', ids).execute()) names.set(row.id, row.name);
  }
  if (filters.by === 'team' && ids.length) {
    for (const row of await db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute()) names.set(row.id, row.name);
  }
  const none = { week: '', agent: 'No agent', team: 'No team', channel: 'No ticket' }[filters.by];
  const items = [...groups].map(([key, group]) => ({ key: key || null, label: key ? (names.get(key) ?? key) : none, ...figuresOf(group.answers, group.invitations) }));
  return { by: filters.by, items: items.sort((a, b) => (filters.by === 'week' ? (a.key ?? '').localeCompare(b.key ?? '') : b.responses - a.responses || a.label.localeCompare(b.label))) };
}
