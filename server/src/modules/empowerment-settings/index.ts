export { registerEmpowermentSettingsRoutes } from './settings.routes.js';
export { loadEmpowermentSettings, updateEmpowermentSettings } from './settings.service.js';
export { defaultEmpowermentSettings, type EmpowermentSettings } from './settings.schema.js';
