export { registerRemedyRoutes } from './remedy.routes.js';
export { checkLimits, effectiveLimits, overLimitReasons, type LimitCheck, type OverLimitReason } from './limits.js';
export { remedyTypes } from './remedy.schema.js';
