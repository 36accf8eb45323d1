import type { Row } from '../../db/schema.js';
import { parseJson } from '../../lib/json.js';
import type { SurveySnapshot } from './survey.questions.js';
import type { Config } from '../../config.js';
import { surveyLinks } from './survey.links.js';

/**
 * The survey email, as plain text: one link per rating (each only opens the page with that rating
 * chosen) and the page link. sendSurvey queues it through the email module.
 */
export function composeSurveyEmail(services: { secret: string; config: Config }, invitation: Row<'survey_invitations'>, businessName: string) {
  const links = surveyLinks(services, invitation);
  const snapshot = parseJson<SurveySnapshot>(invitation.questions, { questions: [], feelings: [] });
  const prompt = snapshot.questions[0]?.prompt ?? 'How did we do?';
  const ratingLines = links.ratings.map((rating) => `  ${rating.score}: ${rating.url}`);
  const text = [
    `Hello,`,
    '',
    `${prompt}`,
    ...(ratingLines.length ? ['', 'Choose a rating (the page opens with it selected; nothing is sent until you press Send):', ...ratingLines] : ['', `Tell us here: ${links.url}`]),
    '',
    'It takes a few seconds and goes straight to the team that helped you.',
    `The link works until ${invitation.expires_at.slice(0, 10)}.`,
    '',
    businessName,
  ].join('\n');
  return { to: invitation.recipient_email, subject: `${businessName}: how did we do?`.slice(0, 200), text };
}
