export { registerRecovery } from './recovery.routes.js';
export { defaultRecoverySettings, suggestRemedy } from './recovery.settings.js';
