export { registerJobRoutes } from './jobs.routes.js';
