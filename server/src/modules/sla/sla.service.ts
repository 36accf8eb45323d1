import { z } from 'zod';
import { sql } from 'kysely';
import { jsonArrayFrom as postgresArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteArrayFrom } from 'kysely/helpers/sqlite';
import type { Db, Dialect, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { systemActor, type EventBus, type UnitOfWork } from '../../events/events.js';
import { cancelQueuedJobs, enqueueJob, type BatchJobContext, type JobDefinition, type JobRegistry } from '../../jobs/queue.js';
import { notFound } from '../../http/errors.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { settingsVersion, slaSettings, type SlaSettings } from './sla.settings.js';
import { evaluateSla, type ClockState, type Metric, type TimelineEntry } from './sla.evaluate.js';

export type PolicyRow = Row<'sla_policies'>;

export interface PolicyConditions {
  priorities?: string[];
  tiers?: string[];
  channels?: string[];
  /** Any one of these tags matches. */
  tags?: string[];
}

interface TicketFacts {
  id: string;
  workspaceId: string;
  priority: string;
  channel: string;
  teamId: string | null;
  tier: string;
  tags: string[];
  mergedIntoId: string | null;
}

export function policyMatches(conditions: PolicyConditions, ticket: Pick<TicketFacts, 'priority' | 'channel' | 'tier' | 'tags'>): boolean {
  if (conditions.priorities?.length && !conditions.priorities.includes(ticket.priority)) return false;
  if (conditions.tiers?.length && !conditions.tiers.includes(ticket.tier)) return false;
  if (conditions.channels?.length && !conditions.channels.includes(ticket.channel)) return false;
  if (conditions.tags?.length && !conditions.tags.some((tag) => ticket.tags.includes(tag))) return false;
  return true;
}

/** What re-evaluation compares with, of a ticket's stored clocks. */
const storedColumns = ['metric', 'policy_id', 'target_minutes', 'started_at', 'due_at', 'warning_at', 'met_at', 'breached_at', 'warned_at', 'elapsed_minutes', 'status'] as const;
type StoredClock = Pick<Row<'ticket_sla'>, (typeof storedColumns)[number]>;

/** A JSON array of a subquery's rows, as each dialect builds one (SQLite hands it back as text). */
function rowsOf<R>(value: R[] | string): R[] {
  return typeof value === 'string' ? (JSON.parse(value) as R[]) : value;
}

interface TicketRead {
  ticket: TicketFacts;
  settings: SlaSettings;
  events: Array<{ type: string; payload: string; created_at: string }>;
  stored: StoredClock[];
}

/**
 * Everything an evaluation reads about a workspace's tickets, in one query however many tickets
 * (each query is a round trip, and on PostgreSQL those were most of an evaluation's time): their
 * facts, tags, SLA events, optionally their stored clocks, and the workspace's settings version; the
 * settings come from memory while that version stands. Tickets that do not exist are left out.
 */
async function readTickets(db: Db | Tx, dialect: Dialect, workspaceId: string, ticketIds: string[], withStored: boolean): Promise<Map<string, TicketRead>> {
  const jsonArrayFrom = dialect === 'sqlite' ? sqliteArrayFrom : postgresArrayFrom;
  const rows = await db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select((eb) => [
      'tickets.id',
      'tickets.priority',
      'tickets.channel',
      'tickets.team_id',
      'tickets.merged_into_id',
      'customers.tier',
      settingsVersion(workspaceId).as('settings_version'),
      jsonArrayFrom(eb.selectFrom('ticket_tags').select('tag').where('ticket_tags.workspace_id', '=', workspaceId).whereRef('ticket_tags.ticket_id', '=', 'tickets.id')).as('tags'),
      jsonArrayFrom(
        eb
          .selectFrom('events')
          .select(['type', 'payload', 'created_at'])
          .where('events.workspace_id', '=', workspaceId)
          .whereRef('events.ticket_id', '=', 'tickets.id')
          .where('type', 'in', ['ticket.created', 'message.created', 'ticket.status_changed'])
          .orderBy('events.id'),
      ).as('events'),
      jsonArrayFrom(eb.selectFrom('ticket_sla').select(storedColumns).where('ticket_sla.workspace_id', '=', workspaceId).whereRef('ticket_sla.ticket_id', '=', 'tickets.id').$if(!withStored, (query) => query.where(sql<boolean>`1 = 0`))).as('stored'),
    ])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.id', 'in', ticketIds)
    .execute();
  const read = new Map<string, TicketRead>();
  if (rows.length === 0) return read;
  const settings = await slaSettings(db, workspaceId, rows[0]!.settings_version);
  for (const row of rows) {
    const ticket: TicketFacts = { id: row.id, workspaceId, priority: row.priority, channel: row.channel, teamId: row.team_id, tier: row.tier, tags: rowsOf(row.tags).map((tag) => tag.tag), mergedIntoId: row.merged_into_id };
    read.set(row.id, { ticket, settings, events: rowsOf(row.events), stored: rowsOf(row.stored as StoredClock[] | string) });
  }
  return read;
}

/** The ticket's history as the SLA clocks see it, from its events (oldest first). */
function timelineOf(rows: Array<{ type: string; payload: string; created_at: string }>, categoryOf: Map<string, string>): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  for (const row of rows) {
    const payload = parseJson<Record<string, unknown>>(row.payload, {});
    if (row.type === 'ticket.created') timeline.push({ at: row.created_at, kind: 'created', category: categoryOf.get(String(payload.status)) ?? 'new' });
    else if (row.type === 'ticket.status_changed') timeline.push({ at: row.created_at, kind: 'status', category: String(payload.toCategory ?? categoryOf.get(String(payload.to)) ?? 'open') });
    // Automatic mail (a rule's acknowledgement or reminder) is not a response from a person.
    else if (payload.kind === 'outbound' && payload.authorType === 'system') continue;
    else if (payload.kind === 'inbound' || payload.kind === 'outbound') timeline.push({ at: row.created_at, kind: payload.kind });
  }
  return timeline;
}

export interface TicketSlaView {
  policy: { id: string; name: string } | null;
  targets: ClockState[];
}

/** Evaluates a ticket's SLA at `now` (milliseconds) without writing anything. */
export async function computeTicketSla(db: Db | Tx, dialect: Dialect, workspaceId: string, ticketId: string, now: number): Promise<TicketSlaView> {
  const read = (await readTickets(db, dialect, workspaceId, [ticketId], false)).get(ticketId);
  if (!read) throw notFound('Ticket');
  return evaluateTicket(read, now);
}

/** Where the clocks of a ticket (as read) stand at `now`. */
function evaluateTicket(read: TicketRead, now: number): TicketSlaView {
  const { ticket, settings } = read;
  const policy = ticket.mergedIntoId ? undefined : settings.policies.find((candidate) => policyMatches(candidate.conditions, ticket))?.row;
  if (!policy) return { policy: null, targets: [] };
  const calendar = settings.calendarFor({ calendarId: policy.calendar_id, teamId: ticket.teamId });
  const targets = evaluateSla(
    timelineOf(read.events, settings.categoryOf),
    { first_response: policy.first_response_minutes, next_response: policy.next_response_minutes, resolution: policy.resolution_minutes, warningPercent: policy.warning_percent },
    calendar,
    now,
  );
  return { policy: { id: policy.id, name: policy.name }, targets };
}

export const EvaluatePayload = z.object({ workspaceId: z.string(), ticketId: z.string() });

export interface SlaServices {
  bus: EventBus;
  dialect: Dialect;
  evaluateJob: JobDefinition<typeof EvaluatePayload>;
}

/**
 * Re-evaluates tickets (one, or the timers of a job batch) and makes the stored state match: rows
 * per target, `sla.warning` and `sla.breached` events exactly once per clock cycle (guarded by
 * conditional updates, so two workers racing cannot both record one), and a timer job for the next
 * warning or due time. Timer ids are derived from ticket, metric and time, so rescheduling to the
 * same moment is a no-op and a stale timer simply re-evaluates and finds nothing to do. One read
 * per workspace however many tickets; a ticket named twice is evaluated once; tickets are written
 * in id order, so two transactions refreshing overlapping sets on PostgreSQL take their row locks
 * in the same order.
 */
export async function refreshTicketsSla(uow: UnitOfWork, services: SlaServices, tickets: Array<z.output<typeof EvaluatePayload>>, now: number): Promise<void> {
  const byWorkspace = new Map<string, Set<string>>();
  for (const { workspaceId, ticketId } of tickets) byWorkspace.set(workspaceId, (byWorkspace.get(workspaceId) ?? new Set()).add(ticketId));
  for (const [workspaceId, ticketIds] of byWorkspace) {
    const reads = await readTickets(uow.trx, services.dialect, workspaceId, [...ticketIds], true);
    for (const ticketId of [...reads.keys()].sort()) await storeTicketSla(uow, services, reads.get(ticketId)!, now);
  }
}

/** Makes a ticket's stored clocks, breach and warning events and timers match its evaluation at `now`. */
async function storeTicketSla(uow: UnitOfWork, services: SlaServices, read: TicketRead, now: number): Promise<void> {
  const { trx } = uow;
  const { workspaceId, id: ticketId } = read.ticket;
  const view = evaluateTicket(read, now);
  const stored = new Map(read.stored.map((row) => [row.metric, row]));
  const stale = [...stored.keys()].filter((metric) => !view.targets.some((target) => target.metric === metric));
  if (stale.length > 0) await trx.deleteFrom('ticket_sla').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).where('metric', 'in', stale).execute();
  const timerId = (metric: string, kind: 'warning' | 'due', at: string) => `sla:${ticketId}:${metric}:${kind}:${at}`;
  // Timers set for a clock as it was stored and no longer set for it as it is now (met, paused,
  // moved, or its target gone) would each run one evaluation for nothing.
  const obsoleteTimers: string[] = [];
  for (const clock of read.stored) {
    if (clock.status !== 'running') continue;
    const target = view.targets.find((target) => target.metric === clock.metric);
    for (const [kind, at, current] of [['warning', clock.warning_at, target?.warningAt], ['due', clock.due_at, target?.dueAt]] as const) {
      if (at && !(target?.status === 'running' && current === at)) obsoleteTimers.push(timerId(clock.metric, kind, at));
    }
  }
  const updatedAt = new Date(now).toISOString();
  for (const target of view.targets) {
    const existing = stored.get(target.metric);
    const sameCycle = existing?.started_at === target.startedAt;
    const values = {
      policy_id: view.policy!.id,
      target_minutes: target.targetMinutes,
      started_at: target.startedAt,
      due_at: target.dueAt,
      warning_at: target.warningAt,
      met_at: target.metAt,
      elapsed_minutes: target.elapsedMinutes,
      status: target.status,
      updated_at: updatedAt,
    };
    // Most evaluations (a timer firing, a change that does not move the clocks) find the row as it
    // was: then it is not rewritten and its timers, set when it was written, are not set again. A
    // running clock's elapsed time grows by itself and is not a change.
    const unchanged =
      existing !== undefined &&
      sameCycle &&
      existing.policy_id === values.policy_id &&
      existing.target_minutes === values.target_minutes &&
      existing.due_at === values.due_at &&
      existing.warning_at === values.warning_at &&
      existing.met_at === values.met_at &&
      existing.status === values.status &&
      (values.status === 'running' || Number(existing.elapsed_minutes) === values.elapsed_minutes);
    if (existing && !unchanged) {
      await trx
        .updateTable('ticket_sla')
        .set({ ...values, ...(sameCycle ? {} : { breached_at: null, warned_at: null }) })
        .where('ticket_id', '=', ticketId)
        .where('metric', '=', target.metric)
        .execute();
    } else if (!existing) {
      await trx.insertInto('ticket_sla').values({ workspace_id: workspaceId, ticket_id: ticketId, metric: target.metric, breached_at: null, warned_at: null, ...values }).execute();
    }
    const event = (type: string) =>
      services.bus.append(uow, {
        workspaceId,
        actor: systemActor,
        type,
        subjectType: 'ticket',
        subjectId: ticketId,
        ticketId,
        payload: { ticketId, metric: target.metric, dueAt: target.breachedAt ?? target.dueAt, targetMinutes: target.targetMinutes, policy: view.policy },
      });
    // A breach or warning this cycle already recorded (as read above) needs no attempt to record it.
    const recorded = (field: 'breached_at' | 'warned_at') => sameCycle && existing?.[field] != null;
    if (target.breachedAt) {
      if (!recorded('breached_at')) {
        const marked = await trx.updateTable('ticket_sla').set({ breached_at: target.breachedAt }).where('ticket_id', '=', ticketId).where('metric', '=', target.metric).where('breached_at', 'is', null).executeTakeFirst();
        if (Number(marked.numUpdatedRows) === 1) await event('sla.breached');
      }
    } else if (target.status === 'running' && target.warningAt && Date.parse(target.warningAt) <= now && !recorded('warned_at')) {
      const marked = await trx.updateTable('ticket_sla').set({ warned_at: target.warningAt }).where('ticket_id', '=', ticketId).where('metric', '=', target.metric).where('warned_at', 'is', null).executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 1) await event('sla.warning');
    }
    if (target.status === 'running' && !unchanged) {
      for (const [kind, at] of [['warning', target.warningAt], ['due', target.dueAt]] as const) {
        if (!at || Date.parse(at) <= now) continue;
        await enqueueJob(trx, services.evaluateJob, { workspaceId, ticketId }, { workspaceId, runAt: at, id: timerId(target.metric, kind, at) });
      }
    }
  }
  await cancelQueuedJobs(trx, workspaceId, obsoleteTimers);
}

const triggers = new Set(['ticket.created', 'message.created', 'ticket.status_changed', 'ticket.priority_changed', 'ticket.tags_changed', 'ticket.team_changed']);

/** Wires the SLA clocks to ticket changes and defines the durable timer job. */
export function defineSlaJobs(context: { bus: EventBus; jobs: JobRegistry; database: { db: Db; dialect: Dialect }; pokeWorker(): void }): SlaServices {
  const services = { bus: context.bus, dialect: context.database.dialect } as SlaServices;
  /** Evaluates the jobs' tickets in the transaction that completes them; listeners hear of it after the commit. */
  const evaluateInJob = async (complete: BatchJobContext<z.output<typeof EvaluatePayload>>['complete']) => {
    const uow: UnitOfWork = { trx: undefined as unknown as Tx, events: [] };
    await complete(async (trx, payloads) => {
      uow.trx = trx;
      await refreshTicketsSla(uow, services, payloads, Date.now());
    });
    context.bus.publish(uow.events);
  };
  services.evaluateJob = context.jobs.define({
    type: 'sla.evaluate',
    version: 1,
    payload: EvaluatePayload,
    handle: (job, payload) => evaluateInJob((work) => job.complete((trx) => work(trx, [payload]))),
    // Timers of many tickets coming due together (a burst of breaches) are evaluated with one read.
    handleBatch: (batch) => evaluateInJob(batch.complete),
  });
  // One evaluation per ticket per transaction, run after the change commits (the ticket row is
  // only fully written by then; listeners fire mid-update).
  const seen = new WeakMap<object, Set<string>>();
  context.bus.onAppend(async (uow, event) => {
    if (!event.ticketId || !triggers.has(event.type)) return;
    const tickets = seen.get(uow.events) ?? new Set<string>();
    seen.set(uow.events, tickets);
    if (tickets.has(event.ticketId)) return;
    tickets.add(event.ticketId);
    // Without policies there is nothing to measure; a ticket with stale SLA rows still gets cleaned up.
    const policy = await uow.trx.selectFrom('sla_policies').select('id').where('workspace_id', '=', event.workspaceId).where('is_active', '=', 1).limit(1).executeTakeFirst();
    const stale = policy ? undefined : await uow.trx.selectFrom('ticket_sla').select('metric').where('workspace_id', '=', event.workspaceId).where('ticket_id', '=', event.ticketId).limit(1).executeTakeFirst();
    if (!policy && !stale) return;
    await enqueueJob(uow.trx, services.evaluateJob, { workspaceId: event.workspaceId, ticketId: event.ticketId }, { workspaceId: event.workspaceId, id: `sla-eval:${event.id}` });
  });
  context.bus.onCommitted((event) => {
    if (event.ticketId && triggers.has(event.type)) context.pokeWorker();
  });
  return services;
}

export type { Metric };
