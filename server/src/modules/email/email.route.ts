import type { Row } from '../../db/schema.js';
import { ticketNumberFromReplyAddress } from './email.address.js';
import type { ParsedEmail } from './email.parse.js';

type TicketLike = Pick<Row<'tickets'>, 'id' | 'number' | 'customer_id'>;

/** What routing may look up; the handler implements it over the database. */
export interface RoutingLookups {
  ticketByNumber(number: number): Promise<TicketLike | undefined>;
  ticketByEmailIds(messageIds: string[]): Promise<TicketLike | undefined>;
  outboundByEmailId(messageId: string): Promise<{ id: string; ticketId: string | null } | undefined>;
  isCustomerOf(ticket: TicketLike, address: string): Promise<boolean>;
}

export interface RoutingInput {
  email: ParsedEmail;
  mailbox: { address: string };
  envelopeTo: string[];
  secret: string;
}

export type Route =
  | { kind: 'bounce'; outboundEmailId: string | null; ticketId: string | null; rule: string }
  | { kind: 'append'; ticketId: string; asNote: string | null; rule: string }
  | { kind: 'new-ticket'; rule: string }
  | { kind: 'quarantine'; reason: string; rule: string };

interface RoutingRule {
  name: string;
  route(input: RoutingInput, lookups: RoutingLookups): Promise<Route | null>;
}

/**
 * A thread is only joined as the customer by its customer. Anyone else who knows a reply address or
 * a Message-ID (a forwarded mail leaks both) lands as a note the agent must look at.
 */
async function joinThread(rule: string, ticket: TicketLike, input: RoutingInput, lookups: RoutingLookups): Promise<Route> {
  const sender = input.email.from!.address;
  const isCustomer = await lookups.isCustomerOf(ticket, sender);
  return { kind: 'append', ticketId: ticket.id, asNote: isCustomer ? null : `sender ${sender} is not a participant of ticket #${ticket.number}`, rule };
}

/** Evaluated in order; the first rule that answers decides. */
export const routingRules: RoutingRule[] = [
  {
    name: 'delivery-status-report',
    async route({ email }, lookups) {
      if (!email.bounce) return null;
      const outbound = email.bounce.originalMessageId ? await lookups.outboundByEmailId(email.bounce.originalMessageId) : undefined;
      return { kind: 'bounce', outboundEmailId: outbound?.id ?? null, ticketId: outbound?.ticketId ?? null, rule: 'delivery-status-report' };
    },
  },
  {
    name: 'sender-required',
    async route({ email }) {
      return email.from ? null : { kind: 'quarantine', reason: 'no valid sender address in From', rule: 'sender-required' };
    },
  },
  {
    name: 'signed-reply-address',
    async route(input, lookups) {
      for (const address of [...input.envelopeTo, ...input.email.to, ...input.email.cc]) {
        const decoded = ticketNumberFromReplyAddress(input.secret, address);
        if (!decoded || decoded.mailboxAddress !== input.mailbox.address) continue;
        const ticket = await lookups.ticketByNumber(decoded.ticketNumber);
        if (ticket) return joinThread('signed-reply-address', ticket, input, lookups);
      }
      return null;
    },
  },
  {
    name: 'in-reply-to-and-references',
    async route(input, lookups) {
      const ids = [...input.email.inReplyTo, ...[...input.email.references].reverse()];
      if (ids.length === 0) return null;
      const ticket = await lookups.ticketByEmailIds(ids);
      return ticket ? joinThread('in-reply-to-and-references', ticket, input, lookups) : null;
    },
  },
  {
    name: 'subject-ticket-reference',
    async route(input, lookups) {
      const number = /\[#(\d{1,12})\]/.exec(input.email.subject)?.[1];
      if (!number) return null;
      const ticket = await lookups.ticketByNumber(Number(number));
      // A number in a subject is guessable: it only threads mail from the ticket's own customer.
      if (!ticket || !(await lookups.isCustomerOf(ticket, input.email.from!.address))) return null;
      return { kind: 'append', ticketId: ticket.id, asNote: null, rule: 'subject-ticket-reference' };
    },
  },
  { name: 'new-conversation', route: async () => ({ kind: 'new-ticket', rule: 'new-conversation' }) },
];

export async function routeEmail(input: RoutingInput, lookups: RoutingLookups): Promise<Route> {
  for (const rule of routingRules) {
    const route = await rule.route(input, lookups);
    if (route) return route;
  }
  return { kind: 'quarantine', reason: 'no routing rule matched', rule: 'none' };
}
