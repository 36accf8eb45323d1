import type { App, AppContext } from '../../context.js';
import { registerStatusGuard } from '../tickets/index.js';
import { registerPlaybookRoutes } from './playbooks.routes.js';
import { requiredStepsGuard } from './playbooks.service.js';

export { attachPlaybook } from './playbooks.service.js';

/** Named checklists on tickets; required steps block "solved". */
export function registerPlaybooks(app: App, context: AppContext): void {
  registerStatusGuard(requiredStepsGuard);
  registerPlaybookRoutes(app, context);
}
