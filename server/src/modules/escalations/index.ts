export { registerEscalationRoutes } from './escalation.routes.js';
export { countHandoffs, handoffsByTicket } from './handoffs.js';
