export { registerEmpowermentReportRoutes } from './report.routes.js';
export { buildEmpowermentReport, empowermentTarget } from './report.service.js';
