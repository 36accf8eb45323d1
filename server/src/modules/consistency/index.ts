export { registerConsistencyRoutes } from './consistency.routes.js';
export { percentile } from './consistency.report.js';
