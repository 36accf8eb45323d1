import type { Config } from '../../config.js';
import type { Row } from '../../db/schema.js';
import { parseJson } from '../../lib/json.js';
import { surveyLinks } from './survey.links.js';
import { escapeHtml } from './survey.page.js';
import { scales, type SurveySnapshot } from './survey.questions.js';

/**
 * The survey email: one link per rating (each only opens the page with that rating chosen), or the
 * page link for a feelings survey. Plain text for every client, and HTML where the ratings are a
 * row of buttons, inline-styled because mail clients drop style sheets. sendSurvey queues it.
 */
export function composeSurveyEmail(services: { secret: string; config: Config }, invitation: Row<'survey_invitations'>, businessName: string) {
  const links = surveyLinks(services, invitation);
  const snapshot = parseJson<SurveySnapshot>(invitation.questions, { questions: [], feelings: [] });
  const prompt = snapshot.questions[0]?.prompt ?? 'How did we do?';
  const until = invitation.expires_at.slice(0, 10);
  const choose = 'Choose a rating (the page opens with it selected; nothing is sent until you press Send):';
  const closing = 'It takes a few seconds and goes straight to the team that helped you.';
  const text = [
    `Hello,`,
    '',
    `${prompt}`,
    ...(links.ratings.length ? ['', choose, ...links.ratings.map((rating) => `  ${rating.score}: ${rating.url}`)] : ['', `Tell us here: ${links.url}`]),
    '',
    closing,
    `The link works until ${until}.`,
    '',
    businessName,
  ].join('\n');

  const scale = invitation.kind === 'feelings' ? undefined : scales[invitation.kind as 'csat' | 'nps' | 'ces'];
  const button = (href: string, label: string) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;min-width:1.6em;margin:0 4px 6px 0;padding:8px 10px;border:1px solid #2b59c3;border-radius:6px;color:#1d3f8f;font-weight:600;text-decoration:none;text-align:center">${escapeHtml(label)}</a>`;
  const choices = scale
    ? `<p style="margin:0 0 4px">${links.ratings.map((rating) => button(rating.url, String(rating.score))).join('')}</p><p style="margin:0;font-size:13px;color:#555">${escapeHtml(`${scale.min} = ${scale.low.toLowerCase()}, ${scale.max} = ${scale.high.toLowerCase()}`)}</p>`
    : `<p>${button(links.url, 'Tell us')}</p>`;
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5"><p>Hello,</p><p style="font-size:17px;font-weight:600">${escapeHtml(prompt)}</p>${choices}<p>${escapeHtml(closing)} The link works until ${escapeHtml(until)}.</p><p>${escapeHtml(businessName)}</p></body></html>`;
  return { to: invitation.recipient_email, subject: `${businessName}: how did we do?`.slice(0, 200), text, html };
}
