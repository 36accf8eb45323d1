import type { Db } from '../../db/database.js';
import { findServiceCosts, roundMoney } from '../customer-value/index.js';
import { loadEmpowermentSettings } from '../empowerment-settings/index.js';
import { isAbusive } from './abusive-language.js';
import { maximumPointsWithoutLanguage, scorePest } from './pest.score.js';

/**
 * Lists customers whose pest score reaches the threshold, with the reasons, for a manager to review.
 * Nothing happens to the customer: this is a read model, it writes nothing and emits nothing.
 */
export async function listPests(db: Db, workspaceId: string, options: { days: number; minScore?: number; limit: number; now?: Date }) {
  const settings = await loadEmpowermentSettings(db, workspaceId);
  const threshold = options.minScore ?? settings.pestThreshold;
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - options.days * 86_400_000).toISOString();

  const ticketRows = await db
    .selectFrom('tickets')
    .select(['id', 'customer_id'])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('merged_into_id', 'is', null)
    .execute();
  const remedyRows = await db.selectFrom('remedies').select(['customer_id']).where('workspace_id', '=', workspaceId).where('created_at', '>=', from).execute();
  const ticketsByCustomer = new Map<string, string[]>();
  for (const row of ticketRows) ticketsByCustomer.set(row.customer_id, [...(ticketsByCustomer.get(row.customer_id) ?? []), row.id]);
  const remediesByCustomer = new Map<string, number>();
  for (const row of remedyRows) remediesByCustomer.set(row.customer_id, (remediesByCustomer.get(row.customer_id) ?? 0) + 1);

  const customerIds = [...new Set([...ticketsByCustomer.keys(), ...remediesByCustomer.keys()])];
  const results = [];
  for (let start = 0; start < customerIds.length; start += 500) {
    const batch = customerIds.slice(start, start + 500);
    const customers = await db.selectFrom('customers').select(['id', 'name', 'email', 'tier', 'lifetime_value']).where('workspace_id', '=', workspaceId).where('id', 'in', batch).where('merged_into_id', 'is', null).execute();
    const costs = await findServiceCosts(db, workspaceId, batch);
    for (const customer of customers) {
      const cost = costs.get(customer.id)!;
      const costToServe = roundMoney((cost.handleSeconds / 3600) * settings.hourlyCost + cost.remediesGranted);
      const ticketIds = ticketsByCustomer.get(customer.id) ?? [];
      const signals = { costToServe, lifetimeValue: Number(customer.lifetime_value), tickets: ticketIds.length, remedies: remediesByCustomer.get(customer.id) ?? 0, abusiveMessages: 0, days: options.days };
      // Reading messages is the expensive part: only for customers that language could lift over the threshold.
      if (scorePest(signals).score + (100 - maximumPointsWithoutLanguage) >= threshold && ticketIds.length > 0) {
        const messages = await db
          .selectFrom('messages')
          .select('body_text')
          .where('workspace_id', '=', workspaceId)
          .where('ticket_id', 'in', ticketIds.slice(0, 200))
          .where('kind', '=', 'inbound')
          .where('created_at', '>=', from)
          .limit(500)
          .execute();
        signals.abusiveMessages = messages.filter((message) => isAbusive(message.body_text)).length;
      }
      const { score, reasons } = scorePest(signals);
      if (score < threshold) continue;
      results.push({
        customer: { id: customer.id, name: customer.name, email: customer.email, tier: customer.tier, lifetimeValue: Number(customer.lifetime_value) },
        score,
        reasons,
        costToServe,
        tickets: signals.tickets,
        remedies: signals.remedies,
        abusiveMessages: signals.abusiveMessages,
        ticketIds,
      });
    }
  }
  results.sort((a, b) => b.score - a.score || a.customer.id.localeCompare(b.customer.id));
  return { items: results.slice(0, options.limit), threshold, from, to: to.toISOString() };
}
