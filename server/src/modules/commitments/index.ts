export { registerCommitmentRoutes } from './commitment.routes.js';
export { suggestCommitments, type SuggestedCommitment } from './promise-phrases.js';
export { isKeptEarly, earlyMargin } from './commitment.service.js';
