export { registerReviewRoutes } from './review.routes.js';
export { receiveReview, isNegativeReview } from './review.service.js';
