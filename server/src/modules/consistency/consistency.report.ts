import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/**
 * The consistency report: not an average, but how often the standard was met, how wide the spread
 * is, and which tickets fell outside it and why. Per-ticket facts (durations, SLA outcomes) are
 * computed in SQL; grouping and nearest-rank percentiles run on those facts in one place, so both
 * dialects give the same figures by construction.
 */
export type GroupBy = 'agent' | 'team' | 'channel' | 'week';

interface TicketFact {
  id: string;
  number: number;
  assigneeId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  teamName: string | null;
  channel: string;
  createdAt: string;
  firstResponseMinutes: number | null;
  /** Whether firstResponseMinutes is in business minutes (the ticket's SLA clock) or wall-clock minutes. */
  firstResponseInBusinessTime: boolean;
  resolutionMinutes: number | null;
}

interface SlaFact {
  ticketId: string;
  metric: string;
  status: string;
  dueAt: string | null;
  metAt: string | null;
  breachedAt: string | null;
  elapsedMinutes: number;
}

function minutesBetween(dialect: Dialect, later: string, earlier: string) {
  return dialect === 'sqlite'
    ? sql<number | null>`(julianday(${sql.ref(later)}) - julianday(${sql.ref(earlier)})) * 1440.0`
    : sql<number | null>`extract(epoch from (${sql.ref(later)}::timestamptz - ${sql.ref(earlier)}::timestamptz)) / 60.0`;
}

/** Nearest rank: the smallest value with at least p% of values at or below it. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

interface Measure {
  id: string;
  value: number | null;
  inBusinessTime?: boolean;
}

function distribution(entries: Measure[]) {
  const measured = entries.filter((entry): entry is Measure & { value: number } => entry.value !== null).sort((a, b) => a.value - b.value || a.id.localeCompare(b.id));
  const values = measured.map((entry) => entry.value);
  const p50 = percentile(values, 50);
  const p90 = percentile(values, 90);
  const p99 = percentile(values, 99);
  return {
    count: values.length,
    inBusinessTime: measured.filter((entry) => entry.inBusinessTime).length,
    p50,
    p90,
    p99,
    spread: p50 && p90 !== null ? Math.round((p90 / p50) * 100) / 100 : null,
    ticketIds: measured.map((entry) => entry.id),
    slowestTicketIds: p90 === null ? [] : measured.filter((entry) => entry.value >= p90).map((entry) => entry.id),
  };
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/** Monday of the ISO week, UTC. */
export function weekOf(iso: string): string {
  const date = new Date(iso.slice(0, 10) + 'T00:00:00Z');
  const weekday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** The period's own tickets: created within [from, to) and not merged into another. */
function periodTickets(eb: ExpressionBuilder<Database, 'tickets'>, period: { from: string; to: string }) {
  return eb.and([eb('tickets.merged_into_id', 'is', null), eb('tickets.created_at', '>=', period.from), eb('tickets.created_at', '<', period.to)]);
}

export async function consistencyReport(db: Db, dialect: Dialect, workspaceId: string, options: { from: string; to: string; groupBy: GroupBy }) {
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('staff', 'staff.id', 'tickets.assignee_id')
    .leftJoin('users', 'users.id', 'staff.user_id')
    .leftJoin('teams', 'teams.id', 'tickets.team_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.assignee_id',
      'users.name as assignee_name',
      'tickets.team_id',
      'teams.name as team_name',
      'tickets.channel',
      'tickets.created_at',
      minutesBetween(dialect, 'tickets.first_response_at', 'tickets.created_at').as('first_response_minutes'),
      minutesBetween(dialect, 'tickets.solved_at', 'tickets.created_at').as('resolution_minutes'),
    ])
    .where('tickets.workspace_id', '=', workspaceId)
    .where((eb) => periodTickets(eb, options))
    .orderBy('tickets.number')
    .execute();
  const facts: TicketFact[] = rows.map((row) => ({
    id: row.id,
    number: Number(row.number),
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    teamId: row.team_id,
    teamName: row.team_name,
    channel: row.channel,
    createdAt: row.created_at,
    firstResponseMinutes: round(row.first_response_minutes === null ? null : Number(row.first_response_minutes)),
    firstResponseInBusinessTime: false,
    resolutionMinutes: round(row.resolution_minutes === null ? null : Number(row.resolution_minutes)),
  }));
  const slaRows = await db
    .selectFrom('ticket_sla')
    .innerJoin('tickets', 'tickets.id', 'ticket_sla.ticket_id')
    .select(['ticket_sla.ticket_id', 'ticket_sla.metric', 'ticket_sla.status', 'ticket_sla.due_at', 'ticket_sla.met_at', 'ticket_sla.breached_at', 'ticket_sla.elapsed_minutes'])
    .where('ticket_sla.workspace_id', '=', workspaceId)
    .where('tickets.workspace_id', '=', workspaceId)
    .where((eb) => periodTickets(eb, options))
    .orderBy('ticket_sla.ticket_id')
    .orderBy('ticket_sla.metric')
    .execute();
  const slaByTicket = new Map<string, SlaFact[]>();
  for (const row of slaRows) {
    const list = slaByTicket.get(row.ticket_id) ?? [];
    list.push({ ticketId: row.ticket_id, metric: row.metric, status: row.status, dueAt: row.due_at, metAt: row.met_at, breachedAt: row.breached_at, elapsedMinutes: Number(row.elapsed_minutes) });
    slaByTicket.set(row.ticket_id, list);
  }
  // A first response under an SLA target is measured as that target's clock measured it: in business
  // minutes of the policy's calendar (nights, weekends, holidays and pending pauses not counted).
  // Tickets without a first-response target keep wall-clock minutes.
  for (const fact of facts) {
    const clock = slaByTicket.get(fact.id)?.find((sla) => sla.metric === 'first_response');
    if (fact.firstResponseMinutes === null || !clock?.metAt) continue;
    fact.firstResponseMinutes = round(clock.elapsedMinutes);
    fact.firstResponseInBusinessTime = true;
  }

  const keyOf = (fact: TicketFact): { key: string; label: string } => {
    switch (options.groupBy) {
      case 'agent':
        return { key: fact.assigneeId ?? 'unassigned', label: fact.assigneeName ?? 'Unassigned' };
      case 'team':
        return { key: fact.teamId ?? 'no-team', label: fact.teamName ?? 'No team' };
      case 'channel':
        return { key: fact.channel, label: fact.channel };
      case 'week':
        return { key: weekOf(fact.createdAt), label: `Week of ${weekOf(fact.createdAt)}` };
    }
  };

  const summarize = (members: TicketFact[]) => {
    const attainment: Record<string, { due: number; met: number; breached: number; rate: number | null; metTicketIds: string[]; breachedTicketIds: string[] }> = {};
    for (const metric of ['first_response', 'next_response', 'resolution']) {
      const met: string[] = [];
      const breached: string[] = [];
      for (const fact of members) {
        const target = slaByTicket.get(fact.id)?.find((sla) => sla.metric === metric);
        if (!target) continue;
        if (target.breachedAt || target.status === 'breached') breached.push(fact.id);
        else if (target.status === 'met') met.push(fact.id);
      }
      const due = met.length + breached.length;
      attainment[metric] = { due, met: met.length, breached: breached.length, rate: due === 0 ? null : Math.round((met.length / due) * 10_000) / 10_000, metTicketIds: met, breachedTicketIds: breached };
    }
    return {
      tickets: members.length,
      ticketIds: members.map((fact) => fact.id),
      attainment,
      firstResponseMinutes: distribution(members.map((fact) => ({ id: fact.id, value: fact.firstResponseMinutes, inBusinessTime: fact.firstResponseInBusinessTime }))),
      resolutionMinutes: distribution(members.map((fact) => ({ id: fact.id, value: fact.resolutionMinutes }))),
    };
  };

  // Each agent's, team's or channel's figures week by week, so a drift shows before the period's total hides it.
  const weekly = (members: TicketFact[]) => {
    const weeks = new Map<string, TicketFact[]>();
    for (const fact of members) weeks.set(weekOf(fact.createdAt), [...(weeks.get(weekOf(fact.createdAt)) ?? []), fact]);
    return [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, weekMembers]) => ({ week, ...summarize(weekMembers) }));
  };

  const groups = new Map<string, { key: string; label: string; members: TicketFact[] }>();
  for (const fact of facts) {
    const { key, label } = keyOf(fact);
    const group = groups.get(key) ?? { key, label, members: [] };
    group.members.push(fact);
    groups.set(key, group);
  }
  const overall = summarize(facts);

  // Outside standard: a missed target, or a first response in the slowest tenth of the period.
  const outside: Array<{ ticketId: string; number: number; reasons: string[] }> = [];
  const frP90 = overall.firstResponseMinutes.p90;
  for (const fact of facts) {
    const reasons: string[] = [];
    for (const sla of slaByTicket.get(fact.id) ?? []) {
      if (sla.breachedAt || sla.status === 'breached') reasons.push(`${sla.metric.replace('_', ' ')} target missed (due ${sla.breachedAt ?? sla.dueAt}${sla.metAt ? `, done ${sla.metAt}` : ', still not done'})`);
    }
    if (frP90 !== null && overall.firstResponseMinutes.count >= 10 && fact.firstResponseMinutes !== null && fact.firstResponseMinutes > frP90) {
      reasons.push(`first response took ${fact.firstResponseMinutes} ${fact.firstResponseInBusinessTime ? 'business ' : ''}min, above the period's p90 of ${frP90} min`);
    }
    if (reasons.length > 0) outside.push({ ticketId: fact.id, number: fact.number, reasons });
  }

  // Playbooks: how many of the checklists given to the period's tickets were finished.
  const attachments = await db
    .selectFrom('ticket_playbooks')
    .innerJoin('tickets', 'tickets.id', 'ticket_playbooks.ticket_id')
    .select(['ticket_playbooks.playbook_id', 'ticket_playbooks.name', 'ticket_playbooks.ticket_id', 'ticket_playbooks.completed_at'])
    .where('ticket_playbooks.workspace_id', '=', workspaceId)
    .where((eb) => periodTickets(eb, options))
    .orderBy('ticket_playbooks.attached_at')
    .execute();
  const playbooks = new Map<string, { playbookId: string; name: string; attached: number; completedTicketIds: string[]; incompleteTicketIds: string[] }>();
  for (const row of attachments) {
    const entry = playbooks.get(row.playbook_id) ?? { playbookId: row.playbook_id, name: row.name, attached: 0, completedTicketIds: [], incompleteTicketIds: [] };
    entry.attached++;
    (row.completed_at ? entry.completedTicketIds : entry.incompleteTicketIds).push(row.ticket_id);
    playbooks.set(row.playbook_id, entry);
  }

  return {
    from: options.from,
    to: options.to,
    groupBy: options.groupBy,
    overall,
    playbooks: [...playbooks.values()].map((entry) => ({ ...entry, completionRate: Math.round((entry.completedTicketIds.length / entry.attached) * 10_000) / 10_000 })),
    groups: [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)).map((group) => ({ key: group.key, label: group.label, ...summarize(group.members), weeks: options.groupBy === 'week' ? [] : weekly(group.members) })),
    outsideStandard: outside,
  };
}
