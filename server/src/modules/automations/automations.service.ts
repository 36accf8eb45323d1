import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { eventFromRow, forgetInTransaction, readOncePerTransaction, type Actor, type EventBus, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { enqueueJob, type JobDefinition } from '../../jobs/queue.js';
import { addMilliseconds, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { DomainError, notFound } from '../../http/errors.js';
import { addMessage, changeTags, insertMessage, requireTicket, updateTicket } from '../tickets/index.js';
import { attachPlaybook } from '../playbooks/index.js';
import { requireCustomer } from '../customers/index.js';
import { publicLink, queueAccountEmail } from '../email/index.js';
import { renderMacro, type MacroVariables } from '../macros/index.js';
import { requireStaffMember } from '../staff/index.js';
import type { Action, Conditions } from './automations.schema.js';

export type RuleRow = Row<'automation_rules'>;

/**
 * Loop protection: every event appended while a rule runs inherits the rule's depth + 1; events at
 * this depth do not trigger rules any more, and the stop is recorded as `automation.loop_stopped`.
 */
export const maxDepth = 3;

export interface TicketView {
  id: string;
  priority: string;
  statusCategory: string;
  channel: string;
  tier: string;
  type: string | null;
  tags: string[];
  subject: string;
  assigneeId: string | null;
  updatedAt: string;
}

export async function ticketView(db: Db | Tx, workspaceId: string, ticketId: string): Promise<TicketView | undefined> {
  const row = await db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['tickets.id', 'tickets.priority', 'tickets.status_category', 'tickets.channel', 'tickets.subject', 'tickets.assignee_id', 'tickets.updated_at', 'tickets.merged_into_id', 'tickets.type_key', 'customers.tier'])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!row || row.merged_into_id) return undefined;
  const tags = await db.selectFrom('ticket_tags').select('tag').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).execute();
  return { id: row.id, priority: row.priority, statusCategory: row.status_category, channel: row.channel, tier: row.tier, type: row.type_key, tags: tags.map((tag) => tag.tag), subject: row.subject, assigneeId: row.assignee_id, updatedAt: row.updated_at };
}

/** Pure: do the conditions hold for this ticket (and triggering event), at `now`? */
export function conditionsMatch(conditions: Conditions, ticket: TicketView, event: { payload: Record<string, unknown> } | null, now: number): boolean {
  if (conditions.priorities?.length && !conditions.priorities.includes(ticket.priority as never)) return false;
  if (conditions.statusCategories?.length && !conditions.statusCategories.includes(ticket.statusCategory as never)) return false;
  if (conditions.channels?.length && !conditions.channels.includes(ticket.channel)) return false;
  if (conditions.tiers?.length && !conditions.tiers.includes(ticket.tier)) return false;
  if (conditions.types?.length && !(ticket.type !== null && conditions.types.includes(ticket.type))) return false;
  if (conditions.tagsAny?.length && !conditions.tagsAny.some((tag) => ticket.tags.includes(tag))) return false;
  if (conditions.tagsNone?.some((tag) => ticket.tags.includes(tag))) return false;
  if (conditions.subjectContains && !ticket.subject.toLowerCase().includes(conditions.subjectContains.toLowerCase())) return false;
  if (conditions.assigned !== undefined && (ticket.assigneeId !== null) !== conditions.assigned) return false;
  if (conditions.messageKind && event?.payload.kind !== conditions.messageKind) return false;
  if (conditions.hoursSinceUpdate !== undefined && now - Date.parse(ticket.updatedAt) < conditions.hoursSinceUpdate * 3_600_000) return false;
  return true;
}

export const RunPayload = z.object({ workspaceId: z.string(), eventId: z.number(), depth: z.number().int().min(0), causedByRuleId: z.string().nullable() });
export const TimerPayload = z.object({ workspaceId: z.string(), ticketId: z.string(), ruleId: z.string() });

interface AutomationContext {
  depth: number;
  ruleId: string;
}

export interface AutomationServices {
  app: AppContext;
  bus: EventBus;
  dialect: 'sqlite' | 'postgres';
  runJob: JobDefinition<typeof RunPayload>;
  timerJob: JobDefinition<typeof TimerPayload>;
}

/** Which automation (if any) is appending events in this unit of work. */
const running = new WeakMap<object, AutomationContext>();

const firstNameOf = (name: string) => name.trim().split(/\s+/)[0] ?? '';

/** Macro variables as an automation sees them: the "agent" is the assignee, or the workspace when nobody is. */
async function macroVariables(trx: Tx, workspaceId: string, ticketId: string): Promise<MacroVariables> {
  const ticket = await requireTicket(trx, workspaceId, ticketId);
  const customer = await requireCustomer(trx, workspaceId, ticket.customer_id);
  const agentName = ticket.assignee_id
    ? (await requireStaffMember(trx, workspaceId, ticket.assignee_id)).name
    : ((await trx.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirst())?.name ?? '');
  return {
    customer: { name: customer.name, first_name: firstNameOf(customer.name), email: customer.email ?? '' },
    ticket: { number: String(ticket.number), subject: ticket.subject },
    agent: { name: agentName, first_name: firstNameOf(agentName) },
  };
}

/**
 * A message written by a rule. It is inserted without the implications of an agent's reply (it is
 * not a first response and does not open the ticket), and an outbound one is mailed by the email
 * module as automatic mail (Auto-Submitted, held back for auto-replies and bursts).
 */
async function writeAutomaticMessage(uow: UnitOfWork, services: AutomationServices, workspaceId: string, ticketId: string, rule: RuleRow, kind: 'outbound' | 'note', text: string): Promise<void> {
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  if (kind === 'outbound' && ticket.status_category === 'closed') throw new DomainError('invalid_state', 'The ticket is closed: no more mail goes out on it.');
  // Whatever the ticket's channel, automatic mail goes to the customer's address: without one it is refused (and recorded), not lost.
  if (kind === 'outbound' && !(await requireCustomer(uow.trx, workspaceId, ticket.customer_id)).email) throw new DomainError('invalid_state', 'The customer has no email address: the mail cannot go out.');
  await insertMessage(uow, { bus: services.bus, dialect: services.dialect }, ticket, { type: 'system', id: null }, { kind, text, authorType: 'system', authorId: null, metadata: { ruleId: rule.id } });
}

/**
 * The staff a rule notifies also get an email (the notice in the app reaches only a signed-in
 * screen), queued in the rule's transaction so a notification is never committed without its mail.
 * Staff deactivated since the rule was saved are not written to.
 */
async function emailNotifiedStaff(trx: Tx, app: AppContext, workspaceId: string, ticketId: string, rule: RuleRow, action: Extract<Action, { type: 'notify_staff' }>): Promise<void> {
  if (action.staffIds.length === 0) return;
  const ticket = await requireTicket(trx, workspaceId, ticketId);
  const recipients = await trx
    .selectFrom('staff')
    .innerJoin('users', 'users.id', 'staff.user_id')
    .select(['users.email', 'users.name'])
    .where('staff.workspace_id', '=', workspaceId)
    .where('staff.id', 'in', action.staffIds)
    .where('staff.is_active', '=', 1)
    .orderBy('staff.id')
    .execute();
  for (const recipient of recipients) {
    await queueAccountEmail(trx, app.config, {
      workspaceId,
      purpose: 'notification',
      to: recipient.email,
      subject: `[#${ticket.number}] ${action.message}`,
      text: [`Hello ${recipient.name},`, '', action.message, '', `Ticket #${ticket.number}: ${ticket.subject}`, `(rule "${rule.name}")`, '', publicLink(app, `/tickets/${ticket.id}`)].join('\n'),
      isSensitive: false,
    });
  }
}

async function applyAction(uow: UnitOfWork, services: AutomationServices, workspaceId: string, ticketId: string, rule: RuleRow, action: Action, depth: number): Promise<void> {
  const actor: Actor = { type: 'system', id: null };
  const ticketServices = { bus: services.bus, dialect: services.dialect };
  switch (action.type) {
    case 'apply_macro': {
      const macro = await uow.trx.selectFrom('macros').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', action.macroId).executeTakeFirst();
      if (!macro) throw notFound('Macro');
      const text = renderMacro(macro.body, await macroVariables(uow.trx, workspaceId, ticketId));
      await writeAutomaticMessage(uow, services, workspaceId, ticketId, rule, macro.kind === 'reply' ? 'outbound' : 'note', text);
      if (macro.set_status) await updateTicket(uow, ticketServices, workspaceId, actor, ticketId, { status: macro.set_status });
      break;
    }
    case 'send_email':
      await writeAutomaticMessage(uow, services, workspaceId, ticketId, rule, 'outbound', renderMacro(action.text, await macroVariables(uow.trx, workspaceId, ticketId)));
      break;
    case 'assign':
      await updateTicket(uow, ticketServices, workspaceId, actor, ticketId, { assigneeId: action.staffId, assignmentReason: `automation rule "${rule.name}"` });
      break;
    case 'set_priority':
      await updateTicket(uow, ticketServices, workspaceId, actor, ticketId, { priority: action.priority });
      break;
    case 'set_status':
      await updateTicket(uow, ticketServices, workspaceId, actor, ticketId, { status: action.status });
      break;
    case 'set_team':
      await updateTicket(uow, ticketServices, workspaceId, actor, ticketId, { teamId: action.teamId });
      break;
    case 'set_type':
      await updateTicket(uow, ticketServices, workspaceId, actor, ticketId, { type: action.typeKey });
      break;
    case 'add_tag':
      await changeTags(uow, ticketServices, workspaceId, actor, ticketId, [action.tag], []);
      break;
    case 'add_note':
      await addMessage(uow, ticketServices, workspaceId, actor, ticketId, { kind: 'note', text: action.text, authorType: 'system', authorId: null, metadata: { ruleId: rule.id } });
      break;
    case 'attach_playbook':
      await attachPlaybook(uow, services.bus, workspaceId, actor, ticketId, action.playbookId, { ruleId: rule.id });
      break;
    case 'notify_staff':
      await services.bus.append(uow, { workspaceId, actor, type: 'staff.notified', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { ruleId: rule.id, staffIds: action.staffIds, message: action.message, depth }, recipients: action.staffIds });
      await emailNotifiedStaff(uow.trx, services.app, workspaceId, ticketId, rule, action);
      break;
  }
  // The audit trail: each action is an event naming the rule that caused it.
  await services.bus.append(uow, { workspaceId, actor, type: 'automation.action_applied', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { ruleId: rule.id, ruleName: rule.name, action, depth } });
}

/** Runs one rule's actions in order inside `uow`, marking the events they cause with the depth. */
async function runRule(uow: UnitOfWork, services: AutomationServices, workspaceId: string, ticketId: string, rule: RuleRow, depth: number): Promise<void> {
  const previous = running.get(uow.events);
  running.set(uow.events, { depth: depth + 1, ruleId: rule.id });
  try {
    for (const action of parseJson<Action[]>(rule.actions, [])) {
      try {
        await applyAction(uow, services, workspaceId, ticketId, rule, action, depth + 1);
      } catch (error) {
        // A refused action (a deleted macro, "solved" blocked by a playbook's required steps) is
        // recorded and the rest run: retrying the job could not make it succeed. Domain errors are
        // raised before the refused write, so the transaction is still good.
        if (!(error instanceof DomainError)) throw error;
        await services.bus.append(uow, { workspaceId, actor: { type: 'system', id: null }, type: 'automation.action_skipped', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { ruleId: rule.id, ruleName: rule.name, action, reason: error.message, depth: depth + 1 } });
      }
    }
  } finally {
    if (previous) running.set(uow.events, previous);
    else running.delete(uow.events);
  }
}

async function activeRules(db: Db | Tx, workspaceId: string, trigger: string): Promise<RuleRow[]> {
  return db.selectFrom('automation_rules').selectAll().where('workspace_id', '=', workspaceId).where('trigger', '=', trigger).where('is_active', '=', 1).orderBy('position').orderBy('created_at').execute();
}

const activeRulesKey = (workspaceId: string) => `automations.active_rules:${workspaceId}`;

/** Every active rule of the workspace in order, read once per transaction for the listener, which runs for every event. */
function allActiveRules(uow: UnitOfWork, workspaceId: string): Promise<RuleRow[]> {
  return readOncePerTransaction(uow, activeRulesKey(workspaceId), () => uow.trx.selectFrom('automation_rules').selectAll().where('workspace_id', '=', workspaceId).where('is_active', '=', 1).orderBy('position').orderBy('created_at').execute());
}

/** Called by every write to a workspace's rules, so events later in the same transaction see the change. */
export function forgetActiveRules(uow: UnitOfWork, workspaceId: string): void {
  forgetInTransaction(uow, activeRulesKey(workspaceId));
}

async function handleRun(db: Db, services: AutomationServices, job: { complete(work: (trx: Tx) => Promise<void>): Promise<void> }, payload: z.output<typeof RunPayload>): Promise<void> {
  const uow: UnitOfWork = { trx: undefined as unknown as Tx, events: [] };
  await job.complete(async (trx) => {
    uow.trx = trx;
    const row = await trx.selectFrom('events').selectAll().where('workspace_id', '=', payload.workspaceId).where('id', '=', payload.eventId).executeTakeFirst();
    if (!row?.ticket_id) return;
    const event = eventFromRow(row);
    const rules = (await activeRules(trx, payload.workspaceId, event.type)).filter((rule) => rule.id !== payload.causedByRuleId);
    if (rules.length === 0) return;
    if (payload.depth >= maxDepth) {
      await services.bus.append(uow, {
        workspaceId: payload.workspaceId,
        actor: { type: 'system', id: null },
        type: 'automation.loop_stopped',
        subjectType: 'ticket',
        subjectId: row.ticket_id,
        ticketId: row.ticket_id,
        payload: { eventId: event.id, eventType: event.type, depth: payload.depth, causedByRuleId: payload.causedByRuleId, ruleIds: rules.map((rule) => rule.id) },
      });
      return;
    }
    for (const rule of rules) {
      // Each rule sees the ticket as the rules before it left it.
      const ticket = await ticketView(trx, payload.workspaceId, row.ticket_id);
      if (!ticket) return;
      if (conditionsMatch(parseJson<Conditions>(rule.conditions, {}), ticket, event, Date.now())) await runRule(uow, services, payload.workspaceId, ticket.id, rule, payload.depth);
    }
  });
  services.bus.publish(uow.events);
}

async function handleTimer(services: AutomationServices, job: { complete(work: (trx: Tx) => Promise<void>): Promise<void> }, payload: z.output<typeof TimerPayload>): Promise<void> {
  const uow: UnitOfWork = { trx: undefined as unknown as Tx, events: [] };
  await job.complete(async (trx) => {
    uow.trx = trx;
    const rule = await trx.selectFrom('automation_rules').selectAll().where('workspace_id', '=', payload.workspaceId).where('id', '=', payload.ruleId).where('is_active', '=', 1).executeTakeFirst();
    if (!rule) return;
    const ticket = await ticketView(trx, payload.workspaceId, payload.ticketId);
    // Re-checked now: a ticket that changed since the timer was set has a newer timer of its own.
    if (ticket && conditionsMatch(parseJson<Conditions>(rule.conditions, {}), ticket, null, Date.now())) await runRule(uow, services, payload.workspaceId, ticket.id, rule, 0);
  });
  services.bus.publish(uow.events);
}

const triggerable = new Set(['ticket.created', 'message.created', 'ticket.status_changed', 'ticket.priority_changed', 'ticket.tags_changed', 'ticket.assigned', 'ticket.team_changed', 'ticket.type_changed', 'sla.warning', 'sla.breached']);

export function defineAutomationJobs(context: AppContext): AutomationServices {
  const services = { app: context, bus: context.bus, dialect: context.database.dialect } as AutomationServices;
  services.runJob = context.jobs.define({ type: 'automation.run', version: 1, payload: RunPayload, handle: (job, payload) => handleRun(context.database.db, services, job, payload) });
  services.timerJob = context.jobs.define({ type: 'automation.timer', version: 1, payload: TimerPayload, handle: (job, payload) => handleTimer(services, job, payload) });

  // Enqueued in the transaction of the change, run after it commits: rules see committed state.
  context.bus.onAppend(async (uow, event: StoredEvent) => {
    if (!event.ticketId || !triggerable.has(event.type)) return;
    const automation = running.get(uow.events);
    const rules = await allActiveRules(uow, event.workspaceId);
    if (!rules.some((rule) => rule.trigger === event.type || rule.trigger === 'time')) return;
    await enqueueJob(uow.trx, services.runJob, { workspaceId: event.workspaceId, eventId: event.id, depth: automation?.depth ?? 0, causedByRuleId: automation?.ruleId ?? null }, { workspaceId: event.workspaceId, id: `automation:${event.id}` });
    // Time-based rules: a timer per rule from this change; an older timer finds the ticket changed and does nothing.
    for (const rule of rules.filter((candidate) => candidate.trigger === 'time')) {
      const hours = parseJson<Conditions>(rule.conditions, {}).hoursSinceUpdate ?? 0;
      const runAt = addMilliseconds(nowIso(), hours * 3_600_000 + 1000);
      await enqueueJob(uow.trx, services.timerJob, { workspaceId: event.workspaceId, ticketId: event.ticketId, ruleId: rule.id }, { workspaceId: event.workspaceId, runAt, id: `automation-time:${rule.id}:${event.ticketId}:${runAt}` });
    }
  });
  context.bus.onCommitted((event) => {
    if (event.ticketId && triggerable.has(event.type)) context.pokeWorker();
  });
  return services;
}

/** "Which tickets would this rule have matched?": trigger events of the last `days`, conditions against each ticket as it is now. */
export async function testRule(db: Db, workspaceId: string, rule: { trigger: string; conditions: Conditions }, now: number, days = 7) {
  const since = new Date(now - days * 86_400_000).toISOString();
  const matched = new Map<string, { ticketId: string; eventId: number | null; at: string }>();
  if (rule.trigger === 'time') {
    const tickets = await db.selectFrom('tickets').select('id').where('workspace_id', '=', workspaceId).where('updated_at', '>=', since).orderBy('updated_at').limit(5000).execute();
    for (const { id } of tickets) {
      const ticket = await ticketView(db, workspaceId, id);
      if (ticket && conditionsMatch(rule.conditions, ticket, null, now)) matched.set(id, { ticketId: id, eventId: null, at: ticket.updatedAt });
    }
  } else {
    const events = await db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('type', '=', rule.trigger).where('created_at', '>=', since).where('ticket_id', 'is not', null).orderBy('id').limit(5000).execute();
    for (const row of events) {
      if (matched.has(row.ticket_id!)) continue;
      const ticket = await ticketView(db, workspaceId, row.ticket_id!);
      if (ticket && conditionsMatch({ ...rule.conditions, hoursSinceUpdate: undefined }, ticket, eventFromRow(row), now)) matched.set(row.ticket_id!, { ticketId: row.ticket_id!, eventId: Number(row.id), at: row.created_at });
    }
  }
  return { since, matches: [...matched.values()] };
}
