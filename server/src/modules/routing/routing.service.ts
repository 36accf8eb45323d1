import { z } from 'zod';
import type { Db, Tx } from '../../db/database.js';
import { systemActor, type EventBus, type UnitOfWork } from '../../events/events.js';
import { enqueueJob, type JobRegistry } from '../../jobs/queue.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { updateTicket } from '../tickets/index.js';

export type RoutingMethod = 'off' | 'round_robin' | 'load' | 'skills';

export interface Candidate {
  staffId: string;
  capacity: number;
  openTickets: number;
  skills: string[];
}

export interface Choice {
  staffId: string;
  reason: string;
}

/**
 * Pure choice of an agent among the available ones. Nobody over capacity is chosen by any method:
 * a full agent is not "available" for one more ticket.
 */
export function chooseAgent(method: RoutingMethod, candidates: Candidate[], needs: string[], lastAssigned: string | null): Choice | null {
  const open = candidates.filter((candidate) => candidate.openTickets < candidate.capacity).sort((a, b) => a.staffId.localeCompare(b.staffId));
  if (method === 'off' || open.length === 0) return null;
  if (method === 'round_robin') {
    const next = open.find((candidate) => lastAssigned === null || candidate.staffId > lastAssigned) ?? open[0]!;
    return { staffId: next.staffId, reason: 'round robin: next available agent' };
  }
  const leastLoaded = (pool: Candidate[]) => [...pool].sort((a, b) => a.openTickets / a.capacity - b.openTickets / b.capacity || a.openTickets - b.openTickets || a.staffId.localeCompare(b.staffId))[0]!;
  if (method === 'skills') {
    const scored = open.map((candidate) => ({ candidate, matched: needs.filter((need) => candidate.skills.includes(need)) }));
    const best = Math.max(0, ...scored.map((entry) => entry.matched.length));
    if (best > 0) {
      const pool = scored.filter((entry) => entry.matched.length === best);
      const chosen = leastLoaded(pool.map((entry) => entry.candidate));
      const skills = pool.find((entry) => entry.candidate === chosen)!.matched;
      return { staffId: chosen.staffId, reason: `skills: ${skills.join(', ')} (${best} of ${needs.length} needs met; the least loaded of ${pool.length} ${pool.length === 1 ? 'agent' : 'agents'} meeting as many)` };
    }
    const chosen = leastLoaded(open);
    return { staffId: chosen.staffId, reason: `skills: nobody available has ${needs.length ? needs.join(', ') : 'a matching skill'}; least loaded available agent` };
  }
  const chosen = leastLoaded(open);
  return { staffId: chosen.staffId, reason: `load: ${chosen.openTickets} of ${chosen.capacity} open tickets, the lowest share` };
}

async function candidates(trx: Tx, workspaceId: string): Promise<Candidate[]> {
  const rows = await trx
    .selectFrom('agent_availability')
    .innerJoin('staff', 'staff.id', 'agent_availability.staff_id')
    .select(['agent_availability.staff_id', 'agent_availability.capacity', 'agent_availability.skills'])
    .where('agent_availability.workspace_id', '=', workspaceId)
    .where('agent_availability.is_available', '=', 1)
    .where('staff.workspace_id', '=', workspaceId)
    .where('staff.is_active', '=', 1)
    .execute();
  const loads = await trx
    .selectFrom('tickets')
    .select(['assignee_id', ({ fn }) => fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('assignee_id', 'is not', null)
    .where('status_category', 'not in', ['solved', 'closed'])
    .groupBy('assignee_id')
    .execute();
  const loadOf = new Map(loads.map((row) => [row.assignee_id, Number(row.count)]));
  return rows.map((row) => ({ staffId: row.staff_id, capacity: row.capacity, openTickets: loadOf.get(row.staff_id) ?? 0, skills: parseJson<string[]>(row.skills, []) }));
}

/** The kinds of skill, written `kind:value` on agents and compared with what a ticket needs. */
export const skillKinds = ['language', 'product', 'tier'] as const;

const fieldText = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null);

/**
 * What a ticket asks of an agent, in the skills' own `kind:value` form: the customer's language (the
 * customer's `language` custom field), the ticket's product (the ticket's `product` custom field) and
 * the customer's tier. A need whose source is empty is not asked for.
 */
function ticketNeeds(source: { customerFields: Record<string, unknown>; ticketFields: Record<string, unknown>; tier: string | null }): string[] {
  const values = { language: fieldText(source.customerFields.language), product: fieldText(source.ticketFields.product), tier: fieldText(source.tier) };
  return skillKinds.flatMap((kind) => (values[kind] === null ? [] : [`${kind}:${values[kind]}`]));
}

async function needsOf(trx: Tx, workspaceId: string, ticket: { customer_id: string; custom_fields: string }): Promise<string[]> {
  const customer = await trx.selectFrom('customers').select(['tier', 'custom_fields']).where('workspace_id', '=', workspaceId).where('id', '=', ticket.customer_id).executeTakeFirst();
  return ticketNeeds({ customerFields: parseJson(customer?.custom_fields ?? '{}', {}), ticketFields: parseJson(ticket.custom_fields, {}), tier: customer?.tier ?? null });
}

export const RoutePayload = z.object({ workspaceId: z.string(), ticketId: z.string() });

/** Assigns an unassigned open ticket by the workspace's method, with an event saying why. */
export async function routeTicket(uow: UnitOfWork, bus: EventBus, dialect: 'sqlite' | 'postgres', workspaceId: string, ticketId: string): Promise<Choice | null> {
  const { trx } = uow;
  const settings = await trx.selectFrom('routing_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!settings || settings.method === 'off') return null;
  const ticket = await trx.selectFrom('tickets').select(['id', 'assignee_id', 'status_category', 'merged_into_id', 'customer_id', 'custom_fields']).where('workspace_id', '=', workspaceId).where('id', '=', ticketId).executeTakeFirst();
  if (!ticket || ticket.assignee_id || ticket.merged_into_id || ['solved', 'closed'].includes(ticket.status_category)) return null;
  const needs = settings.method === 'skills' ? await needsOf(trx, workspaceId, ticket) : [];
  const choice = chooseAgent(settings.method, await candidates(trx, workspaceId), needs, settings.last_assigned_staff_id);
  if (!choice) {
    await bus.append(uow, { workspaceId, actor: systemActor, type: 'routing.unassigned', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { method: settings.method, reason: 'no available agent with capacity', needs } });
    return null;
  }
  await updateTicket(uow, { bus, dialect }, workspaceId, systemActor, ticketId, { assigneeId: choice.staffId, assignmentReason: `routing ${choice.reason}` });
  await trx.updateTable('routing_settings').set({ last_assigned_staff_id: choice.staffId, updated_at: nowIso() }).where('workspace_id', '=', workspaceId).execute();
  await bus.append(uow, { workspaceId, actor: systemActor, type: 'routing.assigned', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { method: settings.method, staffId: choice.staffId, reason: choice.reason, needs } });
  return choice;
}

export function defineRoutingJobs(context: { bus: EventBus; jobs: JobRegistry; database: { db: Db; dialect: 'sqlite' | 'postgres' }; pokeWorker(): void }) {
  const job = context.jobs.define({
    type: 'routing.assign',
    version: 1,
    payload: RoutePayload,
    async handle(ctx, payload) {
      const uow: UnitOfWork = { trx: undefined as unknown as Tx, events: [] };
      await ctx.complete(async (trx) => {
        uow.trx = trx;
        // Round robin reads and moves a shared pointer: serialise routing per workspace on PostgreSQL.
        if (context.database.dialect === 'postgres') await trx.selectFrom('routing_settings').select('workspace_id').where('workspace_id', '=', payload.workspaceId).forUpdate().execute();
        await routeTicket(uow, context.bus, context.database.dialect, payload.workspaceId, payload.ticketId);
      });
      context.bus.publish(uow.events);
    },
  });
  // New tickets, and tickets that lose their assignee, are routed after the change commits.
  context.bus.onAppend(async (uow, event) => {
    if (!event.ticketId) return;
    const unassigned = (event.type === 'ticket.created' && !event.payload.assigneeId) || (event.type === 'ticket.assigned' && event.payload.to === null);
    if (!unassigned) return;
    const settings = await uow.trx.selectFrom('routing_settings').select('method').where('workspace_id', '=', event.workspaceId).executeTakeFirst();
    if (!settings || settings.method === 'off') return;
    await enqueueJob(uow.trx, job, { workspaceId: event.workspaceId, ticketId: event.ticketId }, { workspaceId: event.workspaceId, id: `routing:${event.id}` });
  });
  context.bus.onCommitted((event) => {
    if (event.type === 'ticket.created') context.pokeWorker();
  });
  return job;
}
