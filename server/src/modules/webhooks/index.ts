export { registerWebhookRoutes } from './webhook.routes.js';
export { refusalReason, postWebhook, checkDestination, DestinationRefused } from './webhook.destination.js';
export { signWebhook } from './webhook.signing.js';
