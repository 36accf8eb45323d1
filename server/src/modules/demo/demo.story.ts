import type { App, AppContext } from '../../context.js';
import { withoutWaitingForDisk } from '../../db/database.js';
import { addBusinessTime, businessMinutesBetween, type BusinessCalendar } from '../business-hours/index.js';
import * as words from './demo.data.js';
import { demoStaffPassword, generateDemoData, randomFrom, type Random } from './demo.generator.js';
import { DemoClient, DemoCustomer, Simulation } from './demo.replay.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** Mon–Fri 08:00–18:00 and Saturday mornings, London time: the demo's SLA clocks run on these. */
const supportHours: BusinessCalendar = {
  timeZone: 'Europe/London',
  intervals: [1, 2, 3, 4, 5].map((weekday) => ({ day: weekday, start: 8 * 60, end: 18 * 60 })).concat([{ day: 6, start: 9 * 60, end: 13 * 60 }]),
  holidays: ['2026-12-25', '2026-12-26', '2027-01-01'],
};

type Tone = 'polite' | 'angry' | 'sarcastic';

interface Agent {
  id: string;
  name: string;
  client: DemoClient;
}

interface Customer {
  id: string;
  name: string;
  lifetimeValue: number;
  /** The customer's own hand: new tickets and answers in their name. */
  writer: DemoCustomer;
}

interface SurveyAnswer {
  ratings: Record<string, number>;
  comment?: string;
  feelings?: string[];
}

/** Everything the stories share: the staff signed in, the customers, the clock and the planned survey answers. */
interface Desk {
  sim: Simulation;
  random: Random;
  start: number;
  end: number;
  owner: DemoClient;
  manager: Agent;
  agents: Agent[];
  customers: Customer[];
  /** Who writes the next routine ticket: customers who buy more write more (weights by lifetime value). */
  pickCustomer(): Customer;
  /** Team ids by name (Support, Billing, Returns). */
  teams: Map<string, string>;
  /** The answer a customer will give when asked about a ticket: keyed by ticket id for CSAT, `ces:<ticket id>` for CES. */
  answers: Map<string, SurveyAnswer>;
  /** Who has written each stock survey comment so far. */
  commentWriters: Map<string, Set<string>>;
  playbookId?: string;
}

export interface DemoDeskOptions {
  workspaceId: string;
  ownerStaffId: string;
  ownerEmail: string;
  ownerPassword: string;
  /** Tickets in all, every one lived through the services from the customer's first message. */
  tickets: number;
  customers: number;
  seed: number;
  weeks: number;
  /** Told the share of the weeks lived so far (0 to 1), about once per simulated day. */
  onProgress?(share: number): void;
}

/**
 * The demo workspace's history. Staff, teams and customers are written in bulk by the generator the
 * benchmark uses; then the desk is lived through the real API on a simulated clock: settings on day
 * one, then every ticket from the customer's first message to the survey, with the SLA timers,
 * feelings, moments, promises, escalations and recoveries the services make of it. The last twelve
 * days hold the featured stories (and a short-staffed week); the older weeks are routine work.
 */
export async function replayDemoDesk(app: App, context: AppContext, options: DemoDeskOptions): Promise<void> {
  const end = Date.now();
  const start = end - options.weeks * 7 * day;
  const featuredFrom = end - 12 * day;
  await generateDemoData(context.database, { workspaceId: options.workspaceId, ownerStaffId: options.ownerStaffId, tickets: 0, customers: options.customers, seed: options.seed, weeks: options.weeks });
  const { db } = context.database;
  const staff = await db
    .selectFrom('staff')
    .innerJoin('users', 'users.id', 'staff.user_id')
    .select(['staff.id', 'staff.role', 'users.email', 'users.name'])
    .where('staff.workspace_id', '=', options.workspaceId)
    .where('staff.role', '!=', 'owner')
    .orderBy('users.email')
    .execute();
  const signedIn = await Promise.all(staff.map(async (member) => ({ id: member.id, name: member.name, role: member.role, client: await DemoClient.signIn(app, member.email, demoStaffPassword) })));
  const owner = await DemoClient.signIn(app, options.ownerEmail, options.ownerPassword);
  const rows = await db.selectFrom('customers').select(['id', 'name', 'lifetime_value']).where('workspace_id', '=', options.workspaceId).orderBy('email').execute();
  const customers = rows.map((row) => ({ id: row.id, name: row.name, lifetimeValue: Number(row.lifetime_value), writer: new DemoCustomer(context, options.workspaceId, row.id) }));
  const random = randomFrom(options.seed);
  const weights = customers.map((customer) => Math.sqrt(customer.lifetimeValue));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const desk: Desk = {
    sim: new Simulation(context, start, end, options.onProgress),
    random,
    start,
    end,
    owner,
    manager: signedIn.find((member) => member.role === 'manager')!,
    agents: signedIn.filter((member) => member.role === 'agent'),
    customers,
    pickCustomer: () => {
      let draw = random.next() * totalWeight;
      return customers.find((_, index) => (draw -= weights[index]!) < 0) ?? customers[customers.length - 1]!;
    },
    answers: new Map(),
    commentWriters: new Map(),
    teams: new Map((await db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', options.workspaceId).execute()).map((team) => [team.name, team.id])),
  };
  const log = context.log.level;
  // The replay's few thousand requests are the demo's making, not traffic worth a log line each.
  context.log.level = 'warn';
  // Nothing of the replay's making is acknowledged to anyone before it ends (a crash leaves half a demo
  // whatever the disk holds), so its thousands of commits need not each wait for the disk.
  await withoutWaitingForDisk(db, async () => {
    try {
      desk.sim.spawn(() => configureDesk(desk));
      const special = spawnFeaturedStories(desk, featuredFrom) + spawnPestStories(desk);
      const routine = Math.max(0, options.tickets - special);
      for (let index = 0; index < routine; index++) {
        const plan = planTicket(desk, start + day, index, routine);
        desk.sim.spawn(() => ticketStory(desk, plan));
      }
      desk.sim.spawn(() => answerSurveysDaily(desk));
      desk.sim.spawn(() => npsStory(desk));
      desk.sim.spawn(() => listeningStory(desk));
      await desk.sim.run();
    } finally {
      context.log.level = log;
    }
  });
}

/** Business hours, SLA policies, a playbook, automations, empowerment and listening settings, on day one. */
async function configureDesk(desk: Desk): Promise<void> {
  await desk.sim.until(desk.start);
  const { owner } = desk;
  const calendar = await owner.post('/api/v1/business-hours', { name: 'Support hours', ...supportHours });
  const targets = (firstResponse: number, nextResponse: number, resolution: number) => ({ firstResponse, nextResponse, resolution });
  await owner.post('/api/v1/sla-policies', { name: 'Urgent and high', position: 0, conditions: { priorities: ['urgent', 'high'] }, targets: targets(60, 120, 480), calendarId: calendar.id });
  await owner.post('/api/v1/sla-policies', { name: 'Best customers', position: 1, conditions: { tiers: ['best'] }, targets: targets(120, 240, 960), calendarId: calendar.id });
  await owner.post('/api/v1/sla-policies', { name: 'Everyone else', position: 2, conditions: {}, targets: targets(240, 480, 1800), calendarId: calendar.id });
  const playbook = await owner.post('/api/v1/playbooks', {
    name: 'Damaged item',
    steps: [{ title: 'Ask for a photo only if it helps the carrier claim' }, { title: 'Ship the replacement or refund today', required: true }, { title: 'Tell the customer when it arrives' }],
  });
  desk.playbookId = playbook.id;
  await owner.post('/api/v1/automations', { name: 'Damaged items get the checklist', trigger: 'ticket.created', conditions: { subjectContains: 'damaged' }, actions: [{ type: 'attach_playbook', playbookId: playbook.id }] });
  await owner.post('/api/v1/automations', { name: 'Best customers come first', trigger: 'ticket.created', conditions: { tiers: ['best'] }, actions: [{ type: 'add_tag', tag: 'vip' }] });
  await owner.post('/api/v1/automations', { name: 'Tell the team lead before a breach', trigger: 'sla.warning', conditions: { statusCategories: ['new', 'open'] }, actions: [{ type: 'notify_staff', staffIds: [desk.manager.id], message: 'A ticket is about to miss its SLA.' }] });
  await owner.put('/api/v1/empowerment/settings', { monthlyBudget: 6000, limits: { roles: { agent: { perRemedy: 100, perMonth: 1500 } } } });
  await owner.patch('/api/v1/listening/settings', {
    surveys: { throttleDays: 1, stages: { first_response: { enabled: false, kind: 'ces' }, solved: { enabled: true, kind: 'csat' }, recovery: { enabled: true, kind: 'csat' }, periodic_nps: { enabled: false, everyDays: 90 } } },
  });
}

interface TicketPlan {
  index: number;
  createdAt: number;
  scenario: (typeof words.scenarios)[number];
  tone: Tone;
  customer: Customer;
  agent: Agent;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  /** A phone call is logged by the agent who took it; every other channel is the customer writing in. */
  channel: 'email' | 'web' | 'chat' | 'phone';
  /** Business minutes to the first reply; null: not answered yet (the last days' inbox). */
  firstReplyMinutes: number | null;
  customerAnswers: boolean;
  solveAfterMinutes: number | null;
  reopens: boolean;
  csat: number | null;
  /** What the agent did beyond replying (a remedy, a promise, an escalation), right after the first reply. */
  afterReply?: (agent: Agent, path: string) => Promise<void>;
  surveyComment?: string;
}

/** A plausible moment for a customer to write: mostly working hours, some evenings and weekends. */
function creationTime(desk: Desk, from: number, index: number, total: number): number {
  const { random } = desk;
  const span = desk.end - from - 2 * hour;
  const base = from + ((index + random.next()) / total) * span;
  const date = new Date(base);
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  const hourOfDay = random.next() < (weekend ? 0.5 : 0.85) ? random.between(8, 17) : random.between(18, 23);
  date.setUTCHours(hourOfDay, random.between(0, 59), random.between(0, 59));
  return Math.min(date.getTime(), desk.end - 30 * minute);
}

function planTicket(desk: Desk, from: number, index: number, total: number): TicketPlan {
  const { random } = desk;
  const createdAt = creationTime(desk, from, index, total);
  const age = desk.end - createdAt;
  const scenario = random.pick(words.scenarios);
  const toneDraw = random.next();
  const tone: Tone = scenario.subject === 'Love the new collection' ? 'polite' : toneDraw < 0.16 ? 'angry' : toneDraw < 0.24 ? 'sarcastic' : 'polite';
  // Last week two agents were off sick: replies were slow and SLAs were missed.
  const shortStaffed = age > 5 * day && age < 10 * day;
  const lastDays = age < 3 * day;
  const stillOpen = age < 6 * day;
  const late = random.next() < (shortStaffed ? 0.45 : 0.07);
  const priority = random.next() < 0.05 ? 'urgent' : random.next() < 0.15 || tone === 'angry' ? 'high' : random.next() < 0.06 ? 'low' : 'normal';
  const firstReplyMinutes = lastDays && random.next() < 0.5 ? null : late ? random.between(260, 900) : priority === 'high' || priority === 'urgent' ? random.between(4, 55) : random.between(5, 200);
  const solveAfterMinutes = firstReplyMinutes === null || (stillOpen && random.next() < 0.6) ? null : random.between(30, late ? 2400 : 1200);
  const sentiment = tone === 'polite' ? 1 : tone === 'sarcastic' ? 0.5 : 0;
  const csatDraw = random.next() + sentiment * 0.25 - (late ? 0.35 : 0);
  const customer = desk.pickCustomer();
  return {
    index,
    createdAt,
    scenario,
    tone,
    customer,
    agent: random.next() < 0.08 ? desk.manager : random.pick(desk.agents),
    priority,
    channel: random.pick(['email', 'email', 'email', 'email', 'web', 'web', 'chat', 'phone'] as const),
    firstReplyMinutes,
    customerAnswers: scenario.answer !== undefined && random.next() < 0.6,
    solveAfterMinutes,
    reopens: solveAfterMinutes !== null && random.next() < 0.04,
    csat: random.next() < 0.45 ? (csatDraw > 0.95 ? 5 : csatDraw > 0.6 ? 4 : csatDraw > 0.35 ? 3 : csatDraw > 0.15 ? 2 : 1) : null,
    afterReply: routineRemedy(random, scenario, tone, customer),
  };
}

/** Answered after the first-response target of the "Everyone else" policy (4 business hours). */
function late(plan: TicketPlan): boolean {
  return (plan.firstReplyMinutes ?? 0) > 240;
}

function openingOf(plan: TicketPlan): string {
  return plan.tone === 'polite' ? plan.scenario.opening : words.tones[plan.scenario.subject]![plan.tone];
}

/** The rating is the survey's first question (q1) whatever its kind: the workspace's question lists start with it. */
function surveyAnswerFor(desk: Desk, plan: TicketPlan, recent: boolean): SurveyAnswer {
  const { random } = desk;
  const score = plan.csat!;
  const pool = score >= 5 ? words.surveyComments.delighted : score >= 3 ? words.surveyComments.fine : words.surveyComments.unhappy;
  // Checkout trouble keeps coming up lately: the theme the Three Times Rule catches. Other comments
  // are each written by two customers at most, so no theme is one voice repeating a stock phrase.
  const candidate = random.next() < 0.3 ? random.pick(pool) : undefined;
  const writers = candidate ? (desk.commentWriters.get(candidate) ?? new Set<string>()) : undefined;
  const fresh = candidate && writers!.size < 2 && !writers!.has(plan.customer.id) ? candidate : undefined;
  if (fresh) desk.commentWriters.set(fresh, writers!.add(plan.customer.id));
  const comment = recent && plan.scenario.tags.includes('checkout') ? random.pick(words.surveyComments.checkout) : fresh;
  const feelings = score >= 4 ? ['heard', 'cared for', ...(score === 5 ? ['grateful'] : [])] : score <= 2 ? ['ignored', 'frustrated'] : [];
  return { ratings: { q1: score }, comment, feelings };
}

/** The team a ticket of this kind goes to (the mailbox's or the web form's topic). */
function teamOf(desk: Desk, scenario: TicketPlan['scenario']): string | null {
  return desk.teams.get(scenario.tags.includes('returns') ? 'Returns' : scenario.tags.includes('billing') ? 'Billing' : 'Support') ?? null;
}

/**
 * The ticket as it reached the desk: the customer writes in (email, web form, chat; the topic they
 * chose or the mailbox files it with its team and tags) and an agent triages it a few minutes later
 * (takes it, sets the priority), or an agent logs a phone call.
 * One ticket in four waits in "Unassigned" until someone answers it.
 */
async function openTicket(desk: Desk, plan: TicketPlan, tags: string[] = plan.scenario.tags): Promise<string> {
  const { sim, random } = desk;
  const takenAtOnce = plan.index % 4 !== 0;
  if (plan.channel === 'phone') {
    const logged = await plan.agent.client.post('/api/v1/tickets', { subject: plan.scenario.subject, customer: { id: plan.customer.id }, message: { text: openingOf(plan), kind: 'inbound' }, priority: plan.priority, channel: 'phone', tags, teamId: teamOf(desk, plan.scenario), assigneeId: plan.agent.id });
    return logged.id;
  }
  const ticket = await plan.customer.writer.writes({ subject: plan.scenario.subject, text: openingOf(plan), channel: plan.channel, teamId: teamOf(desk, plan.scenario), tags });
  const path = `/api/v1/tickets/${ticket.id}`;
  await sim.until(sim.clock.now + random.between(2, 12) * minute);
  const triage = { ...(takenAtOnce ? { assigneeId: plan.agent.id } : {}), ...(plan.priority !== 'normal' ? { priority: plan.priority } : {}) };
  if (Object.keys(triage).length > 0) await plan.agent.client.patch(path, triage);
  return ticket.id;
}

/** One customer's request from first message to survey, as the assigned agent handled it. */
async function ticketStory(desk: Desk, plan: TicketPlan): Promise<void> {
  const { sim, random } = desk;
  await sim.until(plan.createdAt);
  const ticket = { id: await openTicket(desk, plan) };
  const path = `/api/v1/tickets/${ticket.id}`;
  if (plan.firstReplyMinutes === null) return;
  const repliedAt = addBusinessTime(plan.createdAt, plan.firstReplyMinutes, supportHours).getTime();
  await sim.until(repliedAt);
  const agent = plan.agent.client;
  if (plan.index % 4 === 0 && plan.channel !== 'phone') await agent.patch(path, { assigneeId: plan.agent.id });
  const acknowledgement = plan.tone === 'polite' ? '' : 'I am sorry, I can hear how frustrating this has been, and it is on me to put it right. ';
  await agent.post(`${path}/messages`, { kind: 'reply', text: acknowledgement + plan.scenario.reply, status: 'pending' });
  // Some customers are asked how easy it was to get help (CES runs 1, hard, to 7, easy).
  if (plan.index % 12 === 5) {
    await agent.post('/api/v1/surveys/send', { customerId: plan.customer.id, ticketId: ticket.id, kind: 'ces' });
    desk.answers.set(`ces:${ticket.id}`, { ratings: { q1: plan.tone === 'polite' && !late(plan) ? random.between(6, 7) : random.between(2, 5) } });
  }
  // Handle time recorded on some tickets (as agents using the timer would), for the cost to serve.
  if (plan.index % 3 === 0) await agent.post(`${path}/handle-time`, { seconds: random.between(180, plan.tone === 'polite' ? 600 : 1500) });
  const mayHaveMisery = plan.tone !== 'polite' || plan.firstReplyMinutes > 240 || plan.priority !== 'normal';
  if (mayHaveMisery) await workRecoveries(desk, plan, path, false);
  await plan.afterReply?.(plan.agent, path);
  let lastAt = repliedAt;
  if (plan.customerAnswers || plan.solveAfterMinutes === null) {
    lastAt = repliedAt + random.between(20, 600) * minute;
    await sim.until(lastAt);
    // Work still in hand: the customer came back with a question, and the ticket waits for us.
    if (plan.solveAfterMinutes === null) {
      if (plan.customerAnswers || plan.index % 2 === 0) await plan.customer.writer.answers(ticket.id, random.pick(words.followUpQuestions));
      return;
    }
    await plan.customer.writer.answers(ticket.id, plan.scenario.answer!);
  }
  // A thanked agent answers soon and solves; otherwise the ticket is solved once the fix is confirmed.
  const solvedAt = addBusinessTime(lastAt, plan.customerAnswers ? Math.min(90, plan.solveAfterMinutes) : plan.solveAfterMinutes, supportHours).getTime();
  await sim.until(solvedAt);
  if (plan.scenario.subject === 'Return a damaged item') await tickChecklist(agent, path);
  if (plan.customerAnswers) await agent.post(`${path}/messages`, { kind: 'reply', text: random.pick(words.closingReplies), status: 'solved' });
  else await agent.patch(path, { status: 'solved' });
  if (plan.csat !== null) desk.answers.set(ticket.id, { ...surveyAnswerFor(desk, plan, desk.end - solvedAt < 30 * day), ...(plan.surveyComment ? { comment: plan.surveyComment } : {}) });
  if (plan.reopens) {
    await sim.until(solvedAt + random.between(4, 40) * hour);
    await plan.customer.writer.answers(ticket.id, random.pick(words.reopenTexts));
    await sim.until(addBusinessTime(sim.clock.now, random.between(20, 120), supportHours).getTime());
    await agent.post(`${path}/messages`, { kind: 'reply', text: 'Thank you for telling us, and sorry it came back. I have fixed it properly this time and checked it myself.', status: 'solved' });
  }
  if (!mayHaveMisery && !plan.reopens && (plan.csat ?? 3) > 2) return;
  await sim.until(solvedAt + 2 * day);
  await workRecoveries(desk, plan, path, true);
}

const remedyFor: Record<string, { type: string; label: string; low: number; high: number }> = {
  'Charged twice for one order': { type: 'refund', label: 'Duplicate charge refunded', low: 20, high: 90 },
  'Order arrived late and incomplete': { type: 'refund', label: 'Missing items refunded', low: 15, high: 60 },
  'Return a damaged item': { type: 'replacement', label: 'Replacement shipped', low: 25, high: 95 },
  'Checkout times out': { type: 'discount', label: '10% off the basket', low: 5, high: 15 },
  'Where is my order?': { type: 'goodwill', label: 'Free express delivery next time', low: 5, high: 10 },
};

/**
 * Agents put right what went wrong without asking anyone: on some tickets of a kind that calls for it
 * (more often when the customer is upset), a remedy in proportion to what the customer buys from us.
 */
function routineRemedy(random: Random, scenario: TicketPlan['scenario'], tone: Tone, customer: Customer): TicketPlan['afterReply'] {
  const remedy = remedyFor[scenario.subject];
  if (!remedy || random.next() > (tone === 'polite' ? 0.15 : 0.4)) return undefined;
  const value = Math.max(5, Math.min(random.between(remedy.low, remedy.high), Math.round(customer.lifetimeValue * 0.15)));
  return async (agent, path) => {
    await agent.client.post(`${path}/remedies`, { type: remedy.type, label: remedy.label, value, note: 'Granted with the first reply.' });
  };
}

/** Ticks the steps of every checklist on the ticket, so the required ones do not block "solved". */
async function tickChecklist(agent: DemoClient, path: string): Promise<void> {
  const { items } = await agent.get(`${path}/playbooks`);
  for (const attachment of items as Array<{ id: string; steps: Array<{ id: string; done?: boolean }> }>) {
    for (const step of attachment.steps) await agent.post(`${path}/playbooks/${attachment.id}/steps/${step.id}`, { done: true });
  }
}

/**
 * The recovery playbook on a ticket whose customer had a moment of misery: acknowledge, own, fix,
 * tell; later, a recovery the customer's own evidence did not close is closed by the agent.
 */
async function workRecoveries(desk: Desk, plan: TicketPlan, path: string, closing: boolean): Promise<void> {
  const agent = plan.agent.client;
  const { items } = await agent.get(`${path}/recoveries`);
  for (const recovery of items as Array<{ id: string; status: string; steps: Array<{ key: string; done: boolean }> }>) {
    if (recovery.status !== 'open') continue;
    if (!closing) {
      for (const key of ['acknowledge', 'ownership', 'fix', 'tell']) {
        if (recovery.steps.some((step) => step.key === key && !step.done)) await agent.call('PATCH', `/api/v1/recoveries/${recovery.id}/steps/${key}`, { done: true });
      }
      continue;
    }
    // The last day's recoveries are still being worked.
    if (desk.end - desk.sim.clock.now < day) continue;
    const recovered = (plan.csat ?? 4) >= 3 && desk.random.next() < 0.8;
    await agent.post(`/api/v1/recoveries/${recovery.id}/close`, { outcome: recovered ? 'recovered' : 'not_recovered', reason: recovered ? 'Called the customer: all good now.' : 'Customer did not reply to the follow-up.' });
  }
}

/** Customers answer the surveys they were sent, the evening after; one NPS answer in three. */
async function answerSurveysDaily(desk: Desk): Promise<void> {
  const { sim, owner, random } = desk;
  for (let evening = desk.start + day + 19 * hour; evening < desk.end; evening += day) {
    await sim.until(evening);
    const { items } = await owner.get('/api/v1/surveys/invitations?status=pending&limit=200');
    // Only yesterday's invitations: customers answer while the question is fresh, or never.
    const fresh = (items as Array<{ ticketId: string | null; kind: string; link: string; createdAt: string }>).filter((invitation) => Date.parse(invitation.createdAt) > evening - day);
    for (const invitation of fresh) {
      const key = invitation.kind === 'ces' ? `ces:${invitation.ticketId}` : invitation.ticketId;
      const answer = key ? desk.answers.get(key) : undefined;
      if (key) desk.answers.delete(key);
      const page = new URL(invitation.link).pathname;
      if (answer) await owner.answerSurvey(page, answer);
      else if (invitation.kind === 'nps' && random.next() < 0.5) {
        const score = random.next() < 0.55 ? random.between(9, 10) : random.next() < 0.6 ? random.between(7, 8) : random.between(2, 6);
        await owner.answerSurvey(page, { ratings: { q1: score }, comment: random.next() < 0.35 ? random.pick(words.surveyComments.nps) : undefined });
      }
    }
  }
}

/** A handful of customers asked each week how likely they are to recommend the shop. */
async function npsStory(desk: Desk): Promise<void> {
  const { sim, random } = desk;
  // Walks the customer list with a stride, so nobody is asked twice before everyone was asked once.
  const offset = random.between(0, desk.customers.length - 1);
  let asked = 0;
  for (let week = desk.start + 3 * day + 10 * hour; week < desk.end; week += 7 * day) {
    await sim.until(week);
    for (const last = asked + 6; asked < last; asked++) await desk.owner.post('/api/v1/surveys/send', { customerId: desk.customers[(offset + asked * 7) % desk.customers.length]!.id, kind: 'nps' });
  }
}

/** Reviews from two sources, staff voice and a mystery shop spread over the weeks. */
async function listeningStory(desk: Desk): Promise<void> {
  const { sim, owner, random } = desk;
  const spacing = (desk.end - desk.start) / (words.reviews.length + 1);
  for (const [index, review] of words.reviews.entries()) {
    const at = desk.start + (index + 1) * spacing + random.between(0, 12) * hour;
    await sim.until(at);
    await owner.post('/api/v1/reviews', { source: review.source, sourceId: `demo-${index + 1}`, author: review.author, rating: review.rating, text: review.text, postedAt: new Date(at).toISOString() });
  }
}

/** The latest quarter hour at least `hours` of support hours before `end`, whatever the day of the week. */
function businessHoursAgo(end: number, hours: number): number {
  let at = end - hours * hour;
  while (businessMinutesBetween(at, end, supportHours) < hours * 60) at -= 15 * minute;
  return at;
}

/** `daysAgo` days before the end of the replay, at `hourOfDay` UTC (London time in winter). */
function daysAgo(desk: Desk, days: number, hourOfDay: number): number {
  const date = new Date(desk.end - days * day);
  date.setUTCHours(hourOfDay, 10 + ((days * 7) % 40), 0, 0);
  return Math.min(date.getTime(), desk.end - 20 * minute);
}

/**
 * The stories a newcomer should find: remedies within limits and above them (one exception approved,
 * one waiting for the manager), a promise kept early and one broken, escalations, a recovery that
 * won the customer back (follow-up CSAT 5) with its root cause and preventive action, mystery shops,
 * staff voice (one anonymous) and the answer to the recurring checkout theme.
 */
function spawnFeaturedStories(desk: Desk, featuredFrom: number): number {
  const byValue = [...desk.customers].sort((a, b) => b.lifetimeValue - a.lifetimeValue);
  const best = byValue[0]!;
  // Loyal customers just below the best tier: a 240 credit or a 310 refund is in proportion to what they buy.
  const standard = (rank: number) => byValue[Math.floor(byValue.length * 0.2) + rank]!;
  const scenario = (subject: string) => words.scenarios.find((candidate) => candidate.subject === subject)!;
  const [alex, morgan, riley] = desk.agents;
  const base = (overrides: Partial<TicketPlan> & Pick<TicketPlan, 'createdAt' | 'scenario' | 'customer' | 'agent'>): TicketPlan => ({
    index: -1,
    tone: 'polite',
    priority: 'normal',
    channel: 'email',
    firstReplyMinutes: 35,
    customerAnswers: false,
    solveAfterMinutes: 90,
    reopens: false,
    csat: null,
    ...overrides,
  });
  let tickets = 0;
  const spawn = (plan: TicketPlan) => {
    tickets++;
    desk.sim.spawn(() => ticketStory(desk, plan));
  };

  // Within the limit: refunded in one step, with a promise kept early (a moment of magic).
  spawn(
    base({
      createdAt: daysAgo(desk, 11, 9),
      scenario: scenario('Charged twice for one order'),
      tone: 'angry',
      customer: standard(3),
      agent: alex!,
      csat: 5,
      surveyComment: 'Refunded within the hour and Alex kept me posted. Thank you!',
      afterReply: async (agent, path) => {
        await agent.client.post(`${path}/remedies`, { type: 'refund', label: 'Duplicate charge refunded', value: 64.9, note: 'Second charge for order 4471.' });
        const promise = await agent.client.post(`${path}/commitments`, { description: 'The refund shows on your statement within 3 days', dueAt: new Date(desk.sim.clock.now + 3 * day).toISOString() });
        await desk.sim.until(desk.sim.clock.now + 20 * hour);
        await agent.client.post(`/api/v1/commitments/${promise.id}/keep`, {});
      },
    }),
  );
  // Above the limit for a standard customer: an exception the manager approved the next morning.
  spawn(
    base({
      createdAt: daysAgo(desk, 10, 10),
      scenario: scenario('Order arrived late and incomplete'),
      tone: 'sarcastic',
      customer: standard(5),
      agent: morgan!,
      solveAfterMinutes: 1300,
      csat: 4,
      afterReply: async (agent, path) => {
        const request = await agent.client.post(`${path}/remedies`, { type: 'credit', label: 'Store credit for the missing sofa cushions', value: 240, reason: 'Third late order this year; the customer buys every season.' });
        await desk.sim.until(daysAgo(desk, 9, 8));
        await desk.manager.client.post(`/api/v1/approvals/${request.remedy.approval.id}/decision`, { decision: 'approve', reason: 'Right call: a loyal customer we let down three times.' });
      },
    }),
  );
  // Waiting for the manager now: the approval queue is not empty.
  spawn(
    base({
      createdAt: daysAgo(desk, 0.3, 9),
      scenario: scenario('Return a damaged item'),
      tone: 'angry',
      customer: standard(7),
      agent: riley!,
      firstReplyMinutes: 25,
      solveAfterMinutes: null,
      afterReply: async (agent, path) => {
        await agent.client.post(`${path}/remedies`, { type: 'refund', label: 'Full refund for the designer lamp and shipping', value: 310, reason: 'Second broken lamp in a row; the customer will not accept a third replacement.' });
      },
    }),
  );
  // A best customer's credit: their tier doubles the agent's limit, so no approval is needed.
  spawn(
    base({
      createdAt: daysAgo(desk, 6, 14),
      scenario: scenario('Where is my order?'),
      customer: best,
      agent: alex!,
      priority: 'high',
      csat: 5,
      surveyComment: 'You always look after me. Lovely surprise with the credit!',
      afterReply: async (agent, path) => {
        await agent.client.post(`${path}/remedies`, { type: 'credit', label: 'Credit for the delay', value: 150, note: 'Best customer: limit doubled.' });
      },
    }),
  );
  // A promise nobody kept: broken at its due time (misery), which opens a recovery.
  spawn(
    base({
      createdAt: daysAgo(desk, 9, 11),
      scenario: scenario('Invoice needs our VAT number'),
      customer: standard(9),
      agent: morgan!,
      solveAfterMinutes: null,
      afterReply: async (agent, path) => {
        await agent.client.post(`${path}/commitments`, { description: 'Send the reissued invoice with your VAT number by Friday', dueAt: new Date(desk.sim.clock.now + 2 * day).toISOString() });
      },
    }),
  );
  // Escalations: a legal threat, a customer asking for the manager, a refund outside any policy.
  const escalations: Array<[number, string, string]> = [
    [11, 'Charged twice for one order', 'Customer mentions a chargeback and legal action.'],
    [8, 'Order arrived late and incomplete', 'Customer asked to speak to a manager.'],
    [3, 'Checkout times out', 'Needs a developer: payment provider error codes in the logs.'],
  ];
  for (const [index, [days, subject, reason]] of escalations.entries()) {
    spawn(
      base({
        createdAt: daysAgo(desk, days, 13),
        scenario: scenario(subject),
        tone: index === 2 ? 'sarcastic' : 'angry',
        customer: standard(11 + index),
        agent: desk.agents[index % desk.agents.length]!,
        solveAfterMinutes: index === 2 ? null : 600,
        afterReply: async (agent, path) => {
          await agent.client.post(`${path}/escalate`, { reason, managerId: desk.manager.id });
        },
      }),
    );
  }
  // Waiting right now, unanswered and past the first-response target: the inbox's most urgent.
  for (const [index, subject] of ['Charged twice for one order', 'Order arrived late and incomplete'].entries()) {
    spawn(base({ createdAt: businessHoursAgo(desk.end, 2 + index), scenario: scenario(subject), tone: 'angry', priority: 'high', customer: standard(20 + index), agent: desk.agents[index]!, firstReplyMinutes: null }));
  }
  // Index 0: nobody takes it until the late reply.
  desk.sim.spawn(() => recoveryStory(desk, base({ index: 0, createdAt: daysAgo(desk, 11.5, 10), scenario: scenario('Where is my order?'), tone: 'angry', priority: 'high', customer: standard(15), agent: riley!, firstReplyMinutes: 420 })));
  desk.sim.spawn(() => mysteryShopStory(desk, [daysAgo(desk, 60, 15), daysAgo(desk, 10, 15)]));
  desk.sim.spawn(() => staffVoiceStory(desk, featuredFrom));
  desk.sim.spawn(() => themeResponseStory(desk));
  return tickets + 1;
}

/**
 * The two customers the pest list should name: the least valuable ones, writing every week or two
 * for money back (granted often enough to cost what they are worth), the second abusing the staff.
 */
function spawnPestStories(desk: Desk): number {
  const byValue = [...desk.customers].sort((a, b) => a.lifetimeValue - b.lifetimeValue);
  let tickets = 0;
  for (const [rank, requests] of words.pestRequests.entries()) {
    for (const [index, request] of requests.entries()) {
      const plan: TicketPlan = {
        index: index + rank,
        createdAt: creationTime(desk, desk.start + day, index, requests.length),
        scenario: { ...request, subject: request.subject },
        tone: 'polite',
        customer: byValue[rank]!,
        agent: desk.agents[(index + rank) % desk.agents.length]!,
        priority: 'normal',
        channel: 'email',
        firstReplyMinutes: desk.random.between(20, 200),
        customerAnswers: false,
        solveAfterMinutes: desk.random.between(30, 240),
        reopens: false,
        csat: desk.random.next() < 0.5 ? 1 : null,
        afterReply: request.remedy ? (agent, path) => agent.client.post(`${path}/remedies`, { type: 'refund', label: request.subject, value: request.remedy, note: 'Asked for a refund again.' }) : undefined,
      };
      tickets++;
      desk.sim.spawn(() => ticketStory(desk, plan));
    }
  }
  return tickets;
}

/**
 * An angry customer, answered late (the SLA breached): the recovery is worked step by step, the
 * root cause recorded with a preventive action, and the customer's CSAT 5 closes it as recovered.
 */
async function recoveryStory(desk: Desk, plan: TicketPlan): Promise<void> {
  const { sim } = desk;
  const agent = plan.agent.client;
  await sim.until(plan.createdAt);
  const ticket = { id: await openTicket(desk, plan) };
  const path = `/api/v1/tickets/${ticket.id}`;
  await sim.until(addBusinessTime(plan.createdAt, plan.firstReplyMinutes!, supportHours).getTime());
  await agent.patch(path, { assigneeId: plan.agent.id });
  await agent.post(`${path}/messages`, { kind: 'reply', text: 'I am so sorry: you waited far too long for us, and your parcel sat at the depot. That is on us. I have had it released today by courier, refunded your delivery and added a credit for the trouble. It will be with you tomorrow before noon.', status: 'pending' });
  const { items } = await agent.get(`${path}/recoveries`);
  const recovery = (items as Array<{ id: string; status: string; suggestedRemedy: { type: string; value: number } }>).find((candidate) => candidate.status === 'open');
  if (!recovery) throw new Error('demo: the late, angry ticket should have opened a recovery');
  await agent.post(`${path}/remedies`, { type: 'credit', label: 'Credit for the wait (as the recovery suggests)', value: Math.min(100, Math.max(10, recovery.suggestedRemedy.value)), note: 'Recovery remedy in proportion to lifetime value.' });
  for (const key of ['acknowledge', 'ownership', 'fix', 'tell']) await agent.call('PATCH', `/api/v1/recoveries/${recovery.id}/steps/${key}`, { done: true });
  await agent.post(`/api/v1/recoveries/${recovery.id}/root-cause`, {
    category: 'carrier',
    whatFailed: 'The depot held parcels over the weekend and nobody told us.',
    preventiveAction: { description: 'Move Friday collections to the second carrier and alert us on parcels idle for 48 hours', ownerId: desk.manager.id, dueAt: new Date(desk.end + 10 * day).toISOString() },
  });
  await sim.until(sim.clock.now + 22 * hour);
  await plan.customer.writer.answers(ticket.id, 'It arrived this morning. Thank you for sorting it out so quickly, and for the credit.');
  await agent.patch(path, { status: 'solved' });
  desk.answers.set(ticket.id, { ratings: { q1: 5 }, comment: 'I was ready to leave, but you turned it around completely. Thank you Riley!', feelings: ['heard', 'cared for', 'grateful'] });
}

/** Two mystery shops against the default form: one before the coaching, one after. */
async function mysteryShopStory(desk: Desk, times: number[]): Promise<void> {
  const { sim } = desk;
  const manager = desk.manager.client;
  for (const [index, at] of times.entries()) {
    await sim.until(at);
    const evaluation = await manager.post('/api/v1/mystery-shop/evaluations', { shopperName: index === 0 ? 'Pat (agency shopper)' : 'Jo (agency shopper)', channel: 'email' });
    await sim.until(at + 2 * day);
    const scores = index === 0 ? { greeting: 4, feelings: 2, ownership: 3, speed: 3, benefit: 4, expectations: 2, aware: 2, follow_up: 1 } : { greeting: 5, feelings: 4, ownership: 4, speed: 4, benefit: 5, expectations: 4, aware: 3, follow_up: 4 };
    await manager.post(`/api/v1/mystery-shop/evaluations/${evaluation.evaluation?.id ?? evaluation.id}/submit`, {
      scores,
      note: index === 0 ? 'Polite, but nobody acknowledged that I was upset, and no follow-up came.' : 'Much warmer: my frustration was acknowledged first and I got a follow-up two days later.',
    });
  }
}

/** Notes to management from the agents, one anonymous, and the manager's answers. */
async function staffVoiceStory(desk: Desk, from: number): Promise<void> {
  const { sim } = desk;
  for (const [index, note] of words.staffVoiceNotes.entries()) {
    await sim.until(from + (index * 6 + 1) * day + 16 * hour);
    const author = desk.agents[index % desk.agents.length]!.client;
    const created = await author.post('/api/v1/staff-voice', { body: note.body, anonymous: note.anonymous });
    if (!note.response) continue;
    await sim.until(sim.clock.now + day);
    await desk.manager.client.patch(`/api/v1/staff-voice/${created.note?.id ?? created.id}`, { status: note.status, response: note.response });
  }
}

/** The manager answers the checkout theme once the Three Times Rule flags it. */
async function themeResponseStory(desk: Desk): Promise<void> {
  const { sim } = desk;
  await sim.until(daysAgo(desk, 2, 9));
  const { items } = await desk.manager.client.get('/api/v1/themes?limit=50');
  const theme = (items as Array<{ id: string; label: string; alertedAt?: string | null; status?: string }>).find((candidate) => /checkout/i.test(candidate.label));
  if (!theme) return;
  await desk.manager.client.post(`/api/v1/themes/${theme.id}/respond`, { action: { description: 'Ask the payment provider for longer card timeouts and add checkout monitoring', ownerId: desk.manager.id, dueAt: new Date(desk.end + 7 * day).toISOString() } });
}
