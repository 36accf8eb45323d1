import type { App, AppContext } from '../../context.js';
import { registerRoutingRoutes } from './routing.routes.js';
import { defineRoutingJobs } from './routing.service.js';

export { chooseAgent, type Candidate, type RoutingMethod } from './routing.service.js';

/** Assignment of new tickets by round robin, load or skills, to available agents only; every assignment says why. */
export function registerRouting(app: App, context: AppContext): void {
  defineRoutingJobs(context);
  registerRoutingRoutes(app, context);
}
