export { registerWorkspaceRoutes, type SetupDemo } from './workspace.routes.js';
export { countWorkspaces, defaultStatusFor, findStatus, findWorkspace, insertStaff, insertUser, listStatuses, statusCategories, type StatusCategory } from './workspace.repo.js';
export { createWorkspaceWithOwner, runFirstSetup, isValidTimeZone } from './workspace.service.js';
export { TimeZoneSchema } from './workspace.schema.js';
