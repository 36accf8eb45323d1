import type { App, AppContext } from '../../context.js';
import { registerAutomationRoutes } from './automations.routes.js';
import { defineAutomationJobs } from './automations.service.js';

export { conditionsMatch, maxDepth } from './automations.service.js';

/** Rules "when EVENT and CONDITIONS then ACTIONS", run by durable jobs after the triggering change commits. */
export function registerAutomations(app: App, context: AppContext): void {
  defineAutomationJobs(context);
  registerAutomationRoutes(app, context);
}
