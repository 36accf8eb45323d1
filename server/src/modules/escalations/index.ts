export { registerEscalationRoutes } from './escalation.routes.js';
export { countHandoffs, handoffsByTicket, handoffsOfResolvedTickets } from './handoffs.js';
