export { registerRecoveryReportRoutes } from './report.routes.js';
