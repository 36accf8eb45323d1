import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import type { NewRow } from '../../db/schema.js';
import { hashPassword } from '../auth/index.js';
import { allocateTicketNumbers } from '../tickets/index.js';
import { newId } from '../../lib/ids.js';
import * as words from './demo.data.js';

export interface DemoOptions {
  workspaceId: string;
  ownerStaffId: string;
  tickets: number;
  customers?: number;
  /** The same seed gives the same names, timings and conversations (ids stay unique). */
  seed?: number;
  weeks?: number;
  onProgress?(done: number, total: number): void;
}

export const demoStaffPassword = 'raving-demo-password';

export type Random = ReturnType<typeof randomFrom>;

/** mulberry32: tiny, fast and good enough for plausible fake data. */
export function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!, between: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)) };
}


/**
 * Fills a workspace with staff and teams, customers with lifetime values, and tickets with
 * conversations spread over the last weeks. Rows are written in batches straight through the
 * database (with their events and search documents), so it makes the benchmark's million; the demo
 * desk takes only its staff, teams and customers and lives its tickets (demo.story.ts).
 */
export async function generateDemoData(handle: DatabaseHandle, options: DemoOptions): Promise<{ tickets: number; customers: number }> {
  const { db, dialect } = handle;
  const random = randomFrom(options.seed ?? 42);
  const weeks = options.weeks ?? 12;
  const now = Date.now();
  const start = now - weeks * 7 * 24 * 3600 * 1000;
  const customerCount = options.customers ?? Math.max(20, Math.round(options.tickets / 3));
  const workspaceId = options.workspaceId;
  const passwordHash = await hashPassword(demoStaffPassword);
  const slug = (await db.selectFrom('workspaces').select('slug').where('id', '=', workspaceId).executeTakeFirstOrThrow()).slug;

  const staffIds: string[] = [options.ownerStaffId];
  const teamIds: string[] = [];
  const organizationIds: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (const [index, name] of words.staffNames.entries()) {
      const userId = newId();
      const staffId = newId();
      const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${slug}.demo`;
      await trx.insertInto('users').values({ id: userId, email, name, password_hash: passwordHash, is_instance_owner: 0, created_at: new Date(start).toISOString() }).execute();
      await trx.insertInto('staff').values({ id: staffId, workspace_id: workspaceId, user_id: userId, role: index === 0 ? 'manager' : 'agent', is_active: 1, created_at: new Date(start).toISOString() }).execute();
      staffIds.push(staffId);
    }
    for (const [index, name] of words.teamNames.entries()) {
      const teamId = newId();
      await trx.insertInto('teams').values({ id: teamId, workspace_id: workspaceId, name, created_at: new Date(start).toISOString() }).execute();
      teamIds.push(teamId);
      const members = staffIds.filter((_, staffIndex) => staffIndex % words.teamNames.length === index);
      if (members.length > 0) await trx.insertInto('team_members').values(members.map((staffId) => ({ workspace_id: workspaceId, team_id: teamId, staff_id: staffId }))).execute();
    }
    for (const [index, name] of words.companies.entries()) {
      const organizationId = newId();
      organizationIds.push(organizationId);
      await trx.insertInto('organizations').values({ id: organizationId, workspace_id: workspaceId, name, domain: `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`, created_at: new Date(start).toISOString() }).execute();
    }
  });

  const customers: Array<{ id: string; createdAt: number }> = [];
  const batchSize = dialect === 'sqlite' ? 2000 : 1000;
  for (let offset = 0; offset < customerCount; offset += batchSize) {
    const rows: NewRow<'customers'>[] = [];
    const values: NewRow<'customer_values'>[] = [];
    for (let index = offset; index < Math.min(customerCount, offset + batchSize); index++) {
      const first = random.pick(words.firstNames);
      const last = random.pick(words.lastNames);
      // Customers of the shop before the period begins, so none is younger than their first ticket.
      const createdAt = start - random.next() * 365 * 24 * 3600_000;
      // Lifetime values follow a long tail, so the top 10% are clearly the best customers; everyone who
      // writes to a shop has bought something (a first order of about 60 at least).
      const draw = random.next();
      const lifetimeValue = Math.round(60 + 500 * draw ** 2 + 4000 * draw ** 8);
      const organization = random.next() < 0.3 ? random.pick(organizationIds) : null;
      const id = newId();
      rows.push({
        id,
        workspace_id: workspaceId,
        name: `${first} ${last}`,
        email: `${first}.${last}.${index}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
        phone: null,
        organization_id: organization,
        lifetime_value: lifetimeValue,
        tier: lifetimeValue > 1500 ? 'best' : 'standard',
        custom_fields: '{}',
        merged_into_id: null,
        created_at: new Date(createdAt).toISOString(),
        updated_at: new Date(createdAt).toISOString(),
      });
      // What they spent so far and in how many orders (about 55 each), the rest expected; the two
      // add up to the lifetime value, as when the shop sends them (customer-value module).
      const revenueToDate = Math.round(lifetimeValue * (0.55 + 0.3 * random.next()));
      values.push({ workspace_id: workspaceId, customer_id: id, revenue_to_date: revenueToDate, orders: Math.max(1, Math.round(revenueToDate / 55)), expected_future_value: lifetimeValue - revenueToDate, source: 'import', updated_at: new Date(createdAt).toISOString() });
      customers.push({ id, createdAt });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('customers').values(rows).execute();
      await trx.insertInto('customer_values').values(values).execute();
      await trx.insertInto('search_documents').values(rows.map((row) => ({ workspace_id: workspaceId, kind: 'customer' as const, ref_id: row.id, ticket_id: null, body: `${row.name} ${row.email}` }))).execute();
    });
  }

  const ticketBatch = dialect === 'sqlite' ? 500 : 250;
  for (let offset = 0; offset < options.tickets; offset += ticketBatch) {
    const numbers = await allocateTicketNumbers(db, dialect, workspaceId, Math.min(ticketBatch, options.tickets - offset));
    const tickets: NewRow<'tickets'>[] = [];
    const messages: NewRow<'messages'>[] = [];
    const events: NewRow<'events'>[] = [];
    const tagRows: NewRow<'ticket_tags'>[] = [];
    const documents: NewRow<'search_documents'>[] = [];
    for (let index = offset; index < Math.min(options.tickets, offset + ticketBatch); index++) {
      const scenario = random.pick(words.scenarios);
      const customer = random.pick(customers);
      const createdAt = start + ((index + random.next()) / options.tickets) * (now - start - 3600_000);
      const age = now - createdAt;
      // A living desk answers everyone in the end: only the last week holds unassigned or unanswered tickets.
      const isPastWeek = age < 7 * 24 * 3600_000;
      const assignee = !isPastWeek || random.next() < 0.85 ? random.pick(staffIds) : null;
      const replied = assignee !== null && (!isPastWeek || random.next() < 0.9);
      const answered = replied && scenario.answer !== undefined && random.next() < 0.7;
      const category = !replied ? (age > 3 * 24 * 3600_000 && random.next() < 0.3 ? 'open' : 'new') : age > 5 * 24 * 3600_000 ? (random.next() < 0.85 ? 'solved' : 'closed') : random.pick(['open', 'pending', 'solved'] as const);
      const firstResponseAt = replied ? createdAt + random.between(10, 60 * 30) * 60_000 * (random.next() < 0.8 ? 0.1 : 1) : null;
      const answeredAt = answered && firstResponseAt ? firstResponseAt + random.between(30, 24 * 60) * 60_000 : null;
      const solvedAt = category === 'solved' || category === 'closed' ? (answeredAt ?? firstResponseAt ?? createdAt) + random.between(5, 600) * 60_000 : null;
      const updatedAt = Math.min(now, solvedAt ?? answeredAt ?? firstResponseAt ?? createdAt);
      const id = newId();
      const number = numbers[index - offset]!;
      const iso = (time: number) => new Date(Math.min(time, now)).toISOString();
      tickets.push({
        id,
        workspace_id: workspaceId,
        number,
        subject: scenario.subject,
        status: category,
        status_category: category,
        priority: random.next() < 0.1 ? 'urgent' : random.next() < 0.25 ? 'high' : random.next() < 0.1 ? 'low' : 'normal',
        channel: random.pick(['email', 'email', 'email', 'web', 'chat'] as const),
        customer_id: customer.id,
        assignee_id: assignee,
        team_id: random.pick(teamIds),
        custom_fields: '{}',
        merged_into_id: null,
        created_at: iso(createdAt),
        updated_at: iso(updatedAt),
        first_response_at: firstResponseAt ? iso(firstResponseAt) : null,
        solved_at: solvedAt ? iso(solvedAt) : null,
        // The customer waits from their first unanswered message: the opening one, or their answer to our reply.
        waiting_since: solvedAt ? null : answeredAt ? iso(answeredAt) : firstResponseAt ? null : iso(createdAt),
      });
      documents.push({ workspace_id: workspaceId, kind: 'ticket', ref_id: id, ticket_id: id, body: `#${number} ${scenario.subject}` });
      for (const tag of scenario.tags) tagRows.push({ workspace_id: workspaceId, ticket_id: id, tag });
      events.push({ workspace_id: workspaceId, actor_type: 'customer', actor_id: customer.id, type: 'ticket.created', subject_type: 'ticket', subject_id: id, ticket_id: id, payload: JSON.stringify({ number, subject: scenario.subject, demo: true }), created_at: iso(createdAt) });
      const conversation: Array<[number, 'inbound' | 'outbound', string]> = [[createdAt, 'inbound', scenario.opening]];
      if (firstResponseAt) conversation.push([firstResponseAt, 'outbound', scenario.reply]);
      if (answeredAt) conversation.push([answeredAt, 'inbound', scenario.answer!]);
      for (const [position, [time, kind, text]] of conversation.entries()) {
        const messageId = newId();
        messages.push({ id: messageId, workspace_id: workspaceId, ticket_id: id, kind, author_type: kind === 'inbound' ? 'customer' : 'staff', author_id: kind === 'inbound' ? customer.id : assignee, body_text: text, body_html: null, metadata: '{}', created_at: iso(time) });
        documents.push({ workspace_id: workspaceId, kind: 'message', ref_id: messageId, ticket_id: id, body: text });
        events.push({ workspace_id: workspaceId, actor_type: kind === 'inbound' ? 'customer' : 'staff', actor_id: kind === 'inbound' ? customer.id : assignee, type: 'message.created', subject_type: 'message', subject_id: messageId, ticket_id: id, payload: JSON.stringify({ kind, demo: true }), created_at: iso(time) });
      }
      if (solvedAt) {
        events.push({ workspace_id: workspaceId, actor_type: 'staff', actor_id: assignee, type: 'ticket.status_changed', subject_type: 'ticket', subject_id: id, ticket_id: id, payload: JSON.stringify({ from: 'open', to: category, fromCategory: 'open', toCategory: category, demo: true }), created_at: iso(solvedAt) });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('tickets').values(tickets).execute();
      for (let start = 0; start < messages.length; start += 500) await trx.insertInto('messages').values(messages.slice(start, start + 500)).execute();
      for (let start = 0; start < events.length; start += 500) await trx.insertInto('events').values(events.slice(start, start + 500)).execute();
      for (let start = 0; start < tagRows.length; start += 500) await trx.insertInto('ticket_tags').values(tagRows.slice(start, start + 500)).execute();
      for (let start = 0; start < documents.length; start += 500) await trx.insertInto('search_documents').values(documents.slice(start, start + 500)).execute();
    });
    options.onProgress?.(Math.min(options.tickets, offset + ticketBatch), options.tickets);
  }
  await sql`ANALYZE`.execute(db);
  return { tickets: options.tickets, customers: customerCount };
}
