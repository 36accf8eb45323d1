import type { Db } from '../../db/database.js';
import { DomainError } from '../../http/errors.js';
import { addCalendarDays, zonedParts, zonedToInstant } from '../../lib/zoned-time.js';
import { handoffsOfResolvedTickets } from '../escalations/index.js';
import { findWorkspace } from '../workspaces/index.js';

/** PRODUCT.md principle 2: at least 95% of resolved tickets without escalation or approval. */
export const empowermentTarget = 0.95;
const drillLimit = 1000;

type GroupBy = 'agent' | 'team' | 'week';
type Key = string | null;

class Drill {
  count = 0;
  private readonly ids = new Set<string>();
  add(ticketId: string, times = 1): void {
    this.count += times;
    if (this.ids.size < drillLimit) this.ids.add(ticketId);
  }
  toJSON() {
    return { count: this.count, ticketIds: [...this.ids] };
  }
}

class Figures {
  resolved = new Drill();
  empowered = new Drill();
  escalations = new Drill();
  handoffs = new Drill();
  remedies = { count: 0, value: 0, ticketIds: new Set<string>(), byType: new Map<string, { count: number; value: number; ticketIds: Set<string> }>() };
  approvals = { requested: new Drill(), approved: new Drill(), denied: new Drill(), pending: new Drill(), decisionSeconds: [] as number[] };
  promises = { kept: new Drill(), keptEarly: new Drill(), broken: new Drill() };

  toJSON() {
    const rate = this.resolved.count > 0 ? this.empowered.count / this.resolved.count : null;
    const seconds = [...this.approvals.decisionSeconds].sort((a, b) => a - b);
    const middle = Math.floor(seconds.length / 2);
    const median = seconds.length === 0 ? null : seconds.length % 2 ? seconds[middle]! : (seconds[middle - 1]! + seconds[middle]!) / 2;
    return {
      resolved: this.resolved.toJSON(),
      empowered: this.empowered.toJSON(),
      empowermentRate: rate === null ? null : Math.round(rate * 10_000) / 10_000,
      meetsTarget: rate === null ? null : rate >= empowermentTarget,
      escalations: this.escalations.toJSON(),
      handoffs: { ...this.handoffs.toJSON(), perTicket: this.resolved.count > 0 ? Math.round((this.handoffs.count / this.resolved.count) * 1000) / 1000 : null },
      remedies: {
        count: this.remedies.count,
        value: Math.round(this.remedies.value * 100) / 100,
        ticketIds: [...this.remedies.ticketIds].slice(0, drillLimit),
        byType: [...this.remedies.byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, figure]) => ({ type, count: figure.count, value: Math.round(figure.value * 100) / 100, ticketIds: [...figure.ticketIds].slice(0, drillLimit) })),
      },
      approvals: { requested: this.approvals.requested.toJSON(), approved: this.approvals.approved.toJSON(), denied: this.approvals.denied.toJSON(), pending: this.approvals.pending.toJSON(), medianSecondsToDecide: median === null ? null : Math.round(median) },
      promises: { kept: this.promises.kept.toJSON(), keptEarly: this.promises.keptEarly.toJSON(), broken: this.promises.broken.toJSON() },
    };
  }
}

/**
 * The empowerment report. Ticket figures (empowerment rate, escalations, handoffs) are over the
 * tickets resolved in the period, grouped by their assignee, team or resolution week; remedies,
 * approvals and promises are those granted, requested or settled in the period, grouped by the agent
 * who made them, the ticket's team, or the week they happened. Weeks start on Monday in the
 * workspace's time zone.
 */
export async function buildEmpowermentReport(db: Db, workspaceId: string, query: { from?: string; to?: string; groupBy: GroupBy }) {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw new DomainError('validation_failed', '`from` must be before `to`.', [{ path: 'querystring.from', message: 'is not before to' }]);
  if (to.getTime() - from.getTime() > 800 * 86_400_000) throw new DomainError('validation_failed', 'At most about two years per report.', [{ path: 'querystring.from', message: 'range too long' }]);
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  const timeZone = (await findWorkspace(db, workspaceId))?.time_zone ?? 'UTC';

  const weekOf = weekFinder(from, to, timeZone);
  const total = new Figures();
  const groups = new Map<Key, Figures>();
  const figuresFor = (key: Key): Figures[] => {
    let figures = groups.get(key);
    if (!figures) groups.set(key, (figures = new Figures()));
    return [total, figures];
  };
  const keyOf = (row: { staff: string | null; team: string | null; at: string }): Key => (query.groupBy === 'agent' ? row.staff : query.groupBy === 'team' ? row.team : weekOf(row.at));

  // Ticket figures, over the tickets resolved in the period.
  const resolved = await db
    .selectFrom('tickets')
    .select(['id', 'assignee_id', 'team_id', 'solved_at'])
    .where('workspace_id', '=', workspaceId)
    .where('merged_into_id', 'is', null)
    .where('solved_at', '>=', fromIso)
    .where('solved_at', '<', toIso)
    .execute();
  const resolvedIn = db.selectFrom('tickets').select('tickets.id').where('tickets.workspace_id', '=', workspaceId).where('tickets.merged_into_id', 'is', null).where('tickets.solved_at', '>=', fromIso).where('tickets.solved_at', '<', toIso);
  const escalationRows = await db.selectFrom('escalations').select('ticket_id').where('workspace_id', '=', workspaceId).where('ticket_id', 'in', resolvedIn).execute();
  const approvalTicketRows = await db.selectFrom('approvals').select('ticket_id').where('workspace_id', '=', workspaceId).where('ticket_id', 'in', resolvedIn).execute();
  const escalationsByTicket = new Map<string, number>();
  for (const row of escalationRows) escalationsByTicket.set(row.ticket_id, (escalationsByTicket.get(row.ticket_id) ?? 0) + 1);
  const ticketsWithApproval = new Set(approvalTicketRows.map((row) => row.ticket_id));
  const handoffs = await handoffsOfResolvedTickets(db, workspaceId, fromIso, toIso);
  for (const ticket of resolved) {
    const escalations = escalationsByTicket.get(ticket.id) ?? 0;
    const ticketHandoffs = handoffs.get(ticket.id) ?? 0;
    for (const figures of figuresFor(keyOf({ staff: ticket.assignee_id, team: ticket.team_id, at: ticket.solved_at! }))) {
      figures.resolved.add(ticket.id);
      if (escalations === 0 && !ticketsWithApproval.has(ticket.id)) figures.empowered.add(ticket.id);
      if (escalations > 0) figures.escalations.add(ticket.id, escalations);
      if (ticketHandoffs > 0) figures.handoffs.add(ticket.id, ticketHandoffs);
    }
  }

  const remedies = await db
    .selectFrom('remedies')
    .innerJoin('tickets', 'tickets.id', 'remedies.ticket_id')
    .select(['remedies.ticket_id', 'remedies.staff_id', 'remedies.type', 'remedies.value', 'remedies.granted_at', 'tickets.team_id'])
    .where('remedies.workspace_id', '=', workspaceId)
    .where('remedies.status', '=', 'granted')
    .where('remedies.granted_at', '>=', fromIso)
    .where('remedies.granted_at', '<', toIso)
    .execute();
  for (const remedy of remedies) {
    for (const figures of figuresFor(keyOf({ staff: remedy.staff_id, team: remedy.team_id, at: remedy.granted_at! }))) {
      const value = Number(remedy.value);
      figures.remedies.count++;
      figures.remedies.value += value;
      figures.remedies.ticketIds.add(remedy.ticket_id);
      const byType = figures.remedies.byType.get(remedy.type) ?? { count: 0, value: 0, ticketIds: new Set<string>() };
      byType.count++;
      byType.value += value;
      byType.ticketIds.add(remedy.ticket_id);
      figures.remedies.byType.set(remedy.type, byType);
    }
  }

  const approvals = await db
    .selectFrom('approvals')
    .innerJoin('tickets', 'tickets.id', 'approvals.ticket_id')
    .select(['approvals.ticket_id', 'approvals.requested_by', 'approvals.status', 'approvals.created_at', 'approvals.decided_at', 'tickets.team_id'])
    .where('approvals.workspace_id', '=', workspaceId)
    .where('approvals.created_at', '>=', fromIso)
    .where('approvals.created_at', '<', toIso)
    .execute();
  for (const approval of approvals) {
    for (const figures of figuresFor(keyOf({ staff: approval.requested_by, team: approval.team_id, at: approval.created_at }))) {
      figures.approvals.requested.add(approval.ticket_id);
      figures.approvals[approval.status].add(approval.ticket_id);
      if (approval.decided_at) figures.approvals.decisionSeconds.push((Date.parse(approval.decided_at) - Date.parse(approval.created_at)) / 1000);
    }
  }

  const commitments = await db
    .selectFrom('commitments')
    .innerJoin('tickets', 'tickets.id', 'commitments.ticket_id')
    .select(['commitments.ticket_id', 'commitments.staff_id', 'commitments.status', 'commitments.is_kept_early', 'commitments.settled_at', 'tickets.team_id'])
    .where('commitments.workspace_id', '=', workspaceId)
    .where('commitments.status', 'in', ['kept', 'broken'])
    .where('commitments.settled_at', '>=', fromIso)
    .where('commitments.settled_at', '<', toIso)
    .execute();
  for (const commitment of commitments) {
    for (const figures of figuresFor(keyOf({ staff: commitment.staff_id, team: commitment.team_id, at: commitment.settled_at! }))) {
      if (commitment.status === 'broken') figures.promises.broken.add(commitment.ticket_id);
      else {
        figures.promises.kept.add(commitment.ticket_id);
        if (commitment.is_kept_early === 1) figures.promises.keptEarly.add(commitment.ticket_id);
      }
    }
  }

  const labels = await labelsFor(db, workspaceId, query.groupBy, [...groups.keys()]);
  return {
    from: fromIso,
    to: toIso,
    groupBy: query.groupBy,
    target: empowermentTarget,
    total: total.toJSON(),
    groups: [...groups]
      .map(([key, figures]) => ({ key, label: labels.get(key) ?? String(key), ...figures.toJSON() }))
      .sort((a, b) => (query.groupBy === 'week' ? String(a.key).localeCompare(String(b.key)) : a.label.localeCompare(b.label))),
  };
}

/**
 * Monday-midnight instants of every week the range touches, computed once: Intl is too slow to ask
 * about each of thousands of rows. Returns a lookup from an instant to its week's Monday (a date).
 */
function weekFinder(from: Date, to: Date, timeZone: string): (iso: string) => string {
  const first = zonedParts(from, timeZone);
  let monday = addCalendarDays(first, -((first.weekday + 6) % 7));
  const starts: Array<{ at: string; key: string }> = [];
  for (;;) {
    const at = zonedToInstant(monday, timeZone).toISOString();
    if (at >= to.toISOString()) break;
    starts.push({ at, key: `${monday.year}-${String(monday.month).padStart(2, '0')}-${String(monday.day).padStart(2, '0')}` });
    monday = addCalendarDays(monday, 7);
  }
  return (iso) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (starts[middle]!.at <= iso) low = middle;
      else high = middle - 1;
    }
    return starts[low]!.key;
  };
}

async function labelsFor(db: Db, workspaceId: string, groupBy: GroupBy, keys: Key[]): Promise<Map<Key, string>> {
  const labels = new Map<Key, string>();
  const ids = keys.filter((key): key is string => key !== null);
  if (groupBy === 'week') {
    for (const key of ids) labels.set(key, `Week of ${key}`);
    return labels;
  }
  labels.set(null, groupBy === 'agent' ? 'Unassigned' : 'No team');
  if (ids.length === 0) return labels;
  if (groupBy === 'agent') {
    const rows = await db.selectFrom('staff').innerJoin('users', 'users.id', 'staff.user_id').select(['staff.id', 'users.name']).where('staff.workspace_id', '=', workspaceId).where('staff.id', 'in', ids).execute();
    for (const row of rows) labels.set(row.id, row.name);
  } else {
    const rows = await db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
    for (const row of rows) labels.set(row.id, row.name);
  }
  return labels;
}
