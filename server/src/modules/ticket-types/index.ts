import type { App, AppContext } from '../../context.js';
import { registerTicketTypeRoutes } from './ticket-types.routes.js';
import { attachPlaybooksOfTypes } from './ticket-types.service.js';

/** The workspace's list of ticket types; a type may carry the playbook its tickets are given. */
export function registerTicketTypes(app: App, context: AppContext): void {
  attachPlaybooksOfTypes(context.bus);
  registerTicketTypeRoutes(app, context);
}
