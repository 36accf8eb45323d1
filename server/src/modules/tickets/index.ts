export { registerTicketRoutes } from './ticket.routes.js';
export { registerStatusGuard, type StatusGuard } from './ticket.service.js';
export { addMessage, createTicket, insertMessage, updateTicket, changeTags, type MessageInput, type TicketChanges, type TicketServices } from './ticket.service.js';
export { mergeTickets, splitMessage, linkTickets } from './ticket.relations.js';
export { allocateTicketNumbers, findTicket, findTicketByNumber, requireTicket, presentMessage, presentOneTicket, presentTickets, type Message, type MessageRow, type Ticket, type TicketRow } from './ticket.repo.js';
export { countTickets } from './ticket.list.js';
export { TicketSchema, MessageSchema, EventSchema, CountTicketsQuerySchema as TicketFiltersSchema, TicketTypeKeySchema, TicketSortSchema, type TicketFilters } from './ticket.schema.js';
