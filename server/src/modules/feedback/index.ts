export { registerFeedbackRoutes } from './feedback.routes.js';
export { registerComplaintListener } from './feedback.complaints.js';
export { recordFeedback, recordFeedbackItems, feedbackSources, type FeedbackInput, type FeedbackSource } from './feedback.service.js';
