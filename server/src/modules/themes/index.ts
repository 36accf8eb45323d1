export { registerThemeRoutes } from './theme.routes.js';
export { recordThemeMentions, recordThemeMentionsOfItems, type MentionSource } from './theme.service.js';
export { analyzeText, extractKeyPhrases, phraseSimilarity, sentimentOf, type KeyPhrase } from './theme.phrases.js';
export { regroupThemes, planThemes } from './theme.regroup.js';
