export { registerMoments } from './moment.routes.js';
export { momentsOf, type MomentKind } from './moment.rules.js';
