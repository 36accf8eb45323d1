export { registerCustomerValueRoutes } from './value.routes.js';
export { describeCustomerValue, roundMoney, setCustomerValue } from './value.service.js';
export { recomputeTiers, bestTier, standardTier } from './tiers.js';
export { findServiceCosts } from './value.repo.js';
export { csvCell, parseCsv, toCsv } from './csv.js';
