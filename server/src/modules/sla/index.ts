import type { App, AppContext } from '../../context.js';
import { registerSlaRoutes } from './sla.routes.js';
import { defineSlaJobs } from './sla.service.js';

export { evaluateSla, type ClockState, type Metric, type TimelineEntry } from './sla.evaluate.js';
export { computeTicketSla } from './sla.service.js';

/** SLA policies, per-ticket clocks on durable timers, and GET /tickets/:id/sla. */
export function registerSla(app: App, context: AppContext): void {
  const services = defineSlaJobs(context);
  registerSlaRoutes(app, context, services);
}
