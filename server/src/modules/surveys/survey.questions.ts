import type { ListeningSettings, QuestionType, SurveyKind } from '../listening/index.js';

export interface SurveyQuestion {
  id: string;
  type: QuestionType;
  prompt: string;
}

export interface SurveySnapshot {
  questions: SurveyQuestion[];
  feelings: string[];
}

/** Rating scales: CSAT 1–5, NPS 0–10, effort (CES) 1–7 where 7 is "very easy". */
export const scales: Record<'csat' | 'nps' | 'ces', { min: number; max: number; low: string; high: string }> = {
  csat: { min: 1, max: 5, low: 'Very unsatisfied', high: 'Very satisfied' },
  nps: { min: 0, max: 10, low: 'Not at all likely', high: 'Extremely likely' },
  ces: { min: 1, max: 7, low: 'Very difficult', high: 'Very easy' },
};

const prompts: Record<QuestionType, string> = {
  csat: 'How satisfied are you with the help you received?',
  nps: 'How likely are you to recommend us to a friend or colleague?',
  ces: 'How easy was it to get your problem solved?',
  feelings: 'How did we make you feel?',
  comment: 'Anything you would like to tell us?',
};

export function isRatingType(type: QuestionType): type is 'csat' | 'nps' | 'ces' {
  return type === 'csat' || type === 'nps' || type === 'ces';
}

/** The questions are copied into each invitation, so changing settings never changes a survey already sent. */
export function snapshotSurvey(settings: ListeningSettings['surveys'], kind: SurveyKind): SurveySnapshot {
  const types = [...new Set([kind as QuestionType, ...settings.questions[kind]])];
  return { questions: types.map((type, index) => ({ id: `q${index + 1}`, type, prompt: prompts[type] })), feelings: settings.feelings };
}
