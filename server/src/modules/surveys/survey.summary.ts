import type { Db } from '../../db/database.js';
import { parseJson } from '../../lib/json.js';

/** CSAT, NPS, effort and the Grateful share (PRODUCT.md section 4) over survey answers. */
export async function summarizeSurveys(db: Db, workspaceId: string, filters: { since?: string; agentId?: string }) {
  let responsesQuery = db.selectFrom('survey_responses').leftJoin('feedback_items', (join) => join.onRef('feedback_items.source_id', '=', 'survey_responses.id').on('feedback_items.source', '=', 'survey'))
    .select(['survey_responses.kind', 'survey_responses.score', 'survey_responses.feelings', 'feedback_items.sentiment_label'])
    .where('survey_responses.workspace_id', '=', workspaceId);
  let invitationsQuery = db.selectFrom('survey_invitations').select((eb) => eb.fn.countAll<number>().as('count')).where('workspace_id', '=', workspaceId);
  if (filters.since) {
    responsesQuery = responsesQuery.where('survey_responses.created_at', '>=', filters.since);
    invitationsQuery = invitationsQuery.where('created_at', '>=', filters.since);
  }
  if (filters.agentId) {
    responsesQuery = responsesQuery.where('survey_responses.agent_id', '=', filters.agentId);
    invitationsQuery = invitationsQuery.where('agent_id', '=', filters.agentId);
  }
  const rows = await responsesQuery.limit(200_000).execute();
  const invitations = Number((await invitationsQuery.executeTakeFirst())?.count ?? 0);
  const scored = (kind: string) => rows.filter((row) => row.kind === kind && row.score !== null).map((row) => Number(row.score));
  const average = (values: number[]) => (values.length ? Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100 : null);
  const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
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
