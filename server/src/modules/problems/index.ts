export { registerProblemRoutes, NewPreventiveActionSchema } from './problem.routes.js';
export { recordRootCause, type RootCauseInput } from './problem.service.js';
export { listProblems } from './problem.repo.js';
