import type { Db } from '../../db/database.js';
import type { PreventiveActionRow, ProblemRow } from './problem.service.js';

export function presentPreventiveAction(row: PreventiveActionRow) {
  return { id: row.id, problemId: row.problem_id, rootCauseId: row.root_cause_id, description: row.description, ownerId: row.owner_id, dueAt: row.due_at, status: row.status, doneAt: row.done_at, createdAt: row.created_at };
}

/**
 * Problems with what they cost: tickets and customers affected, the customers' lifetime value, and
 * the preventive actions. Most-affected first.
 */
export async function listProblems(db: Db, workspaceId: string, filter: { status?: 'open' | 'solved'; problemId?: string }) {
  let select = db.selectFrom('problems').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.status) select = select.where('status', '=', filter.status);
  if (filter.problemId) select = select.where('id', '=', filter.problemId);
  const problems = await select.orderBy('updated_at', 'desc').limit(500).execute();
  if (problems.length === 0) return [];
  const ids = problems.map((problem) => problem.id);
  const causes = await db
    .selectFrom('root_causes')
    .leftJoin('customers', 'customers.id', 'root_causes.customer_id')
    .select(['root_causes.problem_id', 'root_causes.ticket_id', 'root_causes.customer_id', 'root_causes.created_at', 'customers.lifetime_value'])
    .where('root_causes.workspace_id', '=', workspaceId)
    .where('root_causes.problem_id', 'in', ids)
    .execute();
  const actions = await db.selectFrom('preventive_actions').selectAll().where('workspace_id', '=', workspaceId).where('problem_id', 'in', ids).orderBy('created_at').execute();
  return problems
    .map((problem: ProblemRow) => {
      const own = causes.filter((cause) => cause.problem_id === problem.id);
      const customers = new Map(own.map((cause) => [cause.customer_id, Number(cause.lifetime_value ?? 0)]));
      const ticketIds = [...new Set(own.map((cause) => cause.ticket_id))];
      return {
        id: problem.id,
        category: problem.category,
        title: problem.title,
        status: problem.status,
        ticketsAffected: ticketIds.length,
        customersAffected: customers.size,
        lifetimeValueAffected: [...customers.values()].reduce((sum, value) => sum + value, 0),
        ticketIds,
        lastSeenAt: own.reduce((latest, cause) => (cause.created_at > latest ? cause.created_at : latest), problem.created_at),
        preventiveActions: actions.filter((action) => action.problem_id === problem.id).map(presentPreventiveAction),
        createdAt: problem.created_at,
      };
    })
    .sort((left, right) => right.ticketsAffected - left.ticketsAffected || right.lifetimeValueAffected - left.lifetimeValueAffected);
}
