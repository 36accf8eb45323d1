import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

const dayMilliseconds = 86_400_000;

/** Monday (UTC) of the week a day falls in, as YYYY-MM-DD. */
export function weekStartOf(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * dayMilliseconds).toISOString().slice(0, 10);
}

function percentile(sorted: number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

/**
 * PRODUCT.md section 4: recovery rate = recovered ÷ recoveries closed (in the window); time to
 * recover from the misery's recovery being opened to its recovered close; LTV at risk = lifetime
 * value of customers with an open misery (a recovery still proposed or open), now.
 */
export async function momentsReport(db: Db, workspaceId: string, window: { from: string; to: string }) {
  // Moments of truth are as many as messages: counted per day in SQL, folded into weeks here.
  const perDay = await db
    .selectFrom('moments')
    .select([sql<string>`substr(occurred_at, 1, 10)`.as('day'), 'kind', (eb) => eb.fn.countAll<string>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('occurred_at', '>=', window.from)
    .where('occurred_at', '<', window.to)
    .groupBy([sql`substr(occurred_at, 1, 10)`, 'kind'])
    .execute();
  const notable = await db.selectFrom('moments').select(['kind', 'occurred_at', 'ticket_id']).where('workspace_id', '=', workspaceId).where('kind', 'in', ['misery', 'magic']).where('occurred_at', '>=', window.from).where('occurred_at', '<', window.to).limit(100_000).execute();
  const weeks = new Map<string, { weekStart: string; truth: number; misery: number; magic: number; miseryTicketIds: Set<string>; magicTicketIds: Set<string> }>();
  const weekOf = (day: string) => {
    const start = weekStartOf(day);
    let week = weeks.get(start);
    if (!week) weeks.set(start, (week = { weekStart: start, truth: 0, misery: 0, magic: 0, miseryTicketIds: new Set(), magicTicketIds: new Set() }));
    return week;
  };
  for (const row of perDay) weekOf(row.day)[row.kind] += Number(row.count);
  for (const row of notable) if (row.ticket_id) (row.kind === 'misery' ? weekOf(row.occurred_at.slice(0, 10)).miseryTicketIds : weekOf(row.occurred_at.slice(0, 10)).magicTicketIds).add(row.ticket_id);

  const closed = await db.selectFrom('recoveries').select(['id', 'ticket_id', 'outcome', 'created_at', 'closed_at']).where('workspace_id', '=', workspaceId).where('status', '=', 'closed').where('closed_at', '>=', window.from).where('closed_at', '<', window.to).execute();
  const recovered = closed.filter((row) => row.outcome === 'recovered');
  const hours = recovered.map((row) => ({ ticketId: row.ticket_id, hours: (Date.parse(row.closed_at!) - Date.parse(row.created_at)) / 3_600_000 })).sort((left, right) => left.hours - right.hours);
  const sortedHours = hours.map((entry) => entry.hours);

  const causes = await db
    .selectFrom('root_causes')
    .innerJoin('problems', 'problems.id', 'root_causes.problem_id')
    .select(['root_causes.category', 'root_causes.problem_id', 'problems.title', 'root_causes.ticket_id'])
    .where('root_causes.workspace_id', '=', workspaceId)
    .where('root_causes.created_at', '>=', window.from)
    .where('root_causes.created_at', '<', window.to)
    .execute();
  const byProblem = new Map<string, { problemId: string; category: string; title: string; count: number; ticketIds: string[] }>();
  for (const cause of causes) {
    const entry = byProblem.get(cause.problem_id) ?? { problemId: cause.problem_id, category: cause.category, title: cause.title, count: 0, ticketIds: [] };
    entry.count += 1;
    entry.ticketIds.push(cause.ticket_id);
    byProblem.set(cause.problem_id, entry);
  }

  const atRisk = await db
    .selectFrom('recoveries')
    .innerJoin('customers', 'customers.id', 'recoveries.customer_id')
    .select(['recoveries.ticket_id', 'recoveries.customer_id', 'customers.lifetime_value'])
    .where('recoveries.workspace_id', '=', workspaceId)
    .where('recoveries.status', 'in', ['proposed', 'open'])
    .execute();
  const atRiskCustomers = new Map(atRisk.map((row) => [row.customer_id, Number(row.lifetime_value) || 0]));

  const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  return {
    from: window.from,
    to: window.to,
    weeks: [...weeks.values()]
      .sort((left, right) => left.weekStart.localeCompare(right.weekStart))
      .map((week) => ({ weekStart: week.weekStart, truth: week.truth, misery: week.misery, magic: week.magic, miseryTicketIds: [...week.miseryTicketIds], magicTicketIds: [...week.magicTicketIds] })),
    recovery: {
      closed: closed.length,
      recovered: recovered.length,
      rate: closed.length === 0 ? null : round(recovered.length / closed.length),
      recoveredTicketIds: recovered.map((row) => row.ticket_id),
      notRecoveredTicketIds: closed.filter((row) => row.outcome !== 'recovered').map((row) => row.ticket_id),
    },
    timeToRecoverHours: { median: round(percentile(sortedHours, 0.5)), p90: round(percentile(sortedHours, 0.9)), slowestTicketIds: hours.slice(-5).reverse().map((entry) => entry.ticketId) },
    topRootCauses: [...byProblem.values()].sort((left, right) => right.count - left.count).slice(0, 10),
    lifetimeValueAtRisk: { total: [...atRiskCustomers.values()].reduce((sum, value) => sum + value, 0), customerIds: [...atRiskCustomers.keys()], ticketIds: [...new Set(atRisk.map((row) => row.ticket_id))] },
  };
}
