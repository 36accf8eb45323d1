export { registerSavedViewRoutes } from './saved-view.routes.js';
