export { registerSurveyRoutes } from './survey.routes.js';
export { registerSurveyStages } from './survey.stages.js';
export { sendSurvey, type SendSurveyInput, type SendSurveyResult } from './survey.service.js';
export { createSurveyToken, surveyLinks, verifySurveyToken } from './survey.links.js';
export { escapeHtml, registerFormParser, renderMessagePage, renderPage, surveyPageSecurityHeaders as publicPageHeaders } from './survey.page.js';
export { composeSurveyEmail } from './survey.email.js';
