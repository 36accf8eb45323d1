export { registerPestRoutes } from './pest.routes.js';
export { listPests } from './pest.service.js';
