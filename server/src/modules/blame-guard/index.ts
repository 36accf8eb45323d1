export { registerBlameGuard, checkReply } from './blame.routes.js';
export { acknowledgesFeelingsFirst, findBlamePhrases, defaultBlamePhrases, type BlameFlag } from './blame.detect.js';
