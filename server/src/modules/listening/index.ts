export { registerListeningRoutes } from './listening.routes.js';
export { readListeningSettings, listeningSettingsText, listeningSettingsFrom, surveyKinds, surveyStages, questionTypes, type ListeningSettings, type SurveyKind, type SurveyStage, type QuestionType } from './listening.settings.js';
