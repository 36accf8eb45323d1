import { z } from 'zod';
import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { systemActor, type EventBus, type UnitOfWork } from '../../events/events.js';
import { enqueueJob, type JobDefinition, type JobRegistry } from '../../jobs/queue.js';
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

/** The ticket, with the workspace's SLA settings (from memory while their version stands). */
async function ticketFacts(db: Db | Tx, workspaceId: string, ticketId: string): Promise<{ ticket: TicketFacts; settings: SlaSettings } | undefined> {
  const row = await db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['tickets.id', 'tickets.priority', 'tickets.channel', 'tickets.team_id', 'tickets.merged_into_id', 'customers.tier', settingsVersion(workspaceId).as('settings_version')])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!row) return undefined;
  const settings = await slaSettings(db, workspaceId, row.settings_version);
  // Tags only decide which policy applies, so they are not read when no policy asks about them.
  const tags = settings.usesTags && !row.merged_into_id ? await db.selectFrom('ticket_tags').select('tag').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).execute() : [];
  return { ticket: { id: row.id, workspaceId, priority: row.priority, channel: row.channel, teamId: row.team_id, tier: row.tier, tags: tags.map((tag) => tag.tag), mergedIntoId: row.merged_into_id }, settings };
}

/** The ticket's history as the SLA clocks see it, from its events. */
async function timelineOf(db: Db | Tx, workspaceId: string, ticketId: string, categoryOf: Map<string, string>): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', '=', ticketId)
    .where('type', 'in', ['ticket.created', 'message.created', 'ticket.status_changed'])
    .orderBy('id')
    .execute();
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
export async function computeTicketSla(db: Db | Tx, workspaceId: string, ticketId: string, now: number): Promise<TicketSlaView> {
  const view = await evaluateTicket(db, workspaceId, ticketId, now);
  if (!view) throw notFound('Ticket');
  return view;
}

/** The same, with `undefined` for a ticket that does not exist (any more). */
async function evaluateTicket(db: Db | Tx, workspaceId: string, ticketId: string, now: number): Promise<TicketSlaView | undefined> {
  const facts = await ticketFacts(db, workspaceId, ticketId);
  if (!facts) return undefined;
  const { ticket, settings } = facts;
  if (ticket.mergedIntoId) return { policy: null, targets: [] };
  const policy = settings.policies.find((candidate) => policyMatches(candidate.conditions, ticket))?.row;
  if (!policy) return { policy: null, targets: [] };
  const calendar = settings.calendarFor({ calendarId: policy.calendar_id, teamId: ticket.teamId });
  const timeline = await timelineOf(db, workspaceId, ticketId, settings.categoryOf);
  const targets = evaluateSla(
    timeline,
    { first_response: policy.first_response_minutes, next_response: policy.next_response_minutes, resolution: policy.resolution_minutes, warningPercent: policy.warning_percent },
    calendar,
    now,
  );
  return { policy: { id: policy.id, name: policy.name }, targets };
}

export const EvaluatePayload = z.object({ workspaceId: z.string(), ticketId: z.string() });

export interface SlaServices {
  bus: EventBus;
  evaluateJob: JobDefinition<typeof EvaluatePayload>;
}

/**
 * Re-evaluates a ticket and makes the stored state match: rows per target, `sla.warning` and
 * `sla.breached` events exactly once per clock cycle (guarded by conditional updates, so two
 * workers racing cannot both record one), and a timer job for the next warning or due time. Timer
 * ids are derived from ticket, metric and time, so rescheduling to the same moment is a no-op and
 * a stale timer simply re-evaluates and finds nothing to do.
 */
export async function refreshTicketSla(uow: UnitOfWork, services: SlaServices, workspaceId: string, ticketId: string, now: number): Promise<TicketSlaView | undefined> {
  const { trx } = uow;
  const view = await evaluateTicket(trx, workspaceId, ticketId, now);
  if (!view) return undefined;
  const stored = new Map((await trx.selectFrom('ticket_sla').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).execute()).map((row) => [row.metric, row]));
  const stale = [...stored.keys()].filter((metric) => !view.targets.some((target) => target.metric === metric));
  if (stale.length > 0) await trx.deleteFrom('ticket_sla').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).where('metric', 'in', stale).execute();
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
        await enqueueJob(trx, services.evaluateJob, { workspaceId, ticketId }, { workspaceId, runAt: at, id: `sla:${ticketId}:${target.metric}:${kind}:${at}` });
      }
    }
  }
  return view;
}

const triggers = new Set(['ticket.created', 'message.created', 'ticket.status_changed', 'ticket.priority_changed', 'ticket.tags_changed', 'ticket.team_changed']);

/** Wires the SLA clocks to ticket changes and defines the durable timer job. */
export function defineSlaJobs(context: { bus: EventBus; jobs: JobRegistry; database: { db: Db }; pokeWorker(): void }): SlaServices {
  const services = { bus: context.bus } as SlaServices;
  services.evaluateJob = context.jobs.define({
    type: 'sla.evaluate',
    version: 1,
    payload: EvaluatePayload,
    async handle(job, payload) {
      const uow: UnitOfWork = { trx: undefined as unknown as Tx, events: [] };
      await job.complete(async (trx) => {
        uow.trx = trx;
        await refreshTicketSla(uow, services, payload.workspaceId, payload.ticketId, Date.now());
      });
      context.bus.publish(uow.events);
    },
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
