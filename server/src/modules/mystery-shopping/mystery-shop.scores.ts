import type { Db } from '../../db/database.js';
import { parseJson } from '../../lib/json.js';

function periodOf(iso: string, interval: 'week' | 'month'): string {
  if (interval === 'month') return iso.slice(0, 7);
  const day = new Date(iso);
  const offset = (day.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - offset)).toISOString().slice(0, 10);
}

/** Scores over time: the mean overall score and the mean of each criterion per period, oldest first. */
export async function scoresOverTime(db: Db, workspaceId: string, options: { interval: 'week' | 'month'; formId?: string }) {
  let query = db.selectFrom('mystery_shop_evaluations').select(['submitted_at', 'score', 'scores']).where('workspace_id', '=', workspaceId).where('submitted_at', 'is not', null);
  if (options.formId) query = query.where('form_id', '=', options.formId);
  const rows = await query.orderBy('submitted_at').limit(50_000).execute();
  const periods = new Map<string, { scores: number[]; criteria: Map<string, number[]> }>();
  for (const row of rows) {
    const period = periodOf(row.submitted_at!, options.interval);
    const entry = periods.get(period) ?? { scores: [] as number[], criteria: new Map<string, number[]>() };
    if (row.score !== null) entry.scores.push(Number(row.score));
    for (const [key, value] of Object.entries(parseJson<Record<string, number>>(row.scores, {}))) entry.criteria.set(key, [...(entry.criteria.get(key) ?? []), value]);
    periods.set(period, entry);
  }
  const mean = (values: number[]) => Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100;
  return {
    items: [...periods].map(([period, entry]) => ({
      period,
      evaluations: entry.scores.length,
      averageScore: entry.scores.length ? mean(entry.scores) : null,
      criteria: Object.fromEntries([...entry.criteria].map(([key, values]) => [key, mean(values)])),
    })),
  };
}
