export { registerFeedbackRoutes } from './feedback.routes.js';
export { registerComplaintListener } from './feedback.complaints.js';
export { recordFeedback, feedbackSources, type FeedbackInput, type FeedbackSource } from './feedback.service.js';
