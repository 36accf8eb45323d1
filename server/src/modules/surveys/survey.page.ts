import type { FastifyInstance } from 'fastify';
import type { SurveySnapshot } from './survey.questions.js';
import { isRatingType, scales } from './survey.questions.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

/** No scripts, no remote resources: the page must work in any mail client's browser and leak nothing. */
export const surveyPageSecurityHeaders = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'cache-control': 'no-store',
};

const style = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
fieldset{border:1px solid #ccc;border-radius:.5rem;margin:0 0 1rem;padding:1rem}legend{font-weight:600}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{border:1px solid #999;border-radius:.25rem;padding:.35rem .6rem;cursor:pointer}
.hint{display:flex;justify-content:space-between;font-size:.85rem;color:#555}textarea{width:100%;min-height:6rem}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#2b59c3;color:#fff}.error{color:#a00}`;

export function renderPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>${body}</body></html>`;
}

export function renderMessagePage(title: string, message: string): string {
  return renderPage(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** The survey form with the rating from the email link preselected; submitting it is the only way to answer. */
export function renderSurveyForm(options: { businessName: string; action: string; snapshot: SurveySnapshot; preselected?: number; errors?: string[] }): string {
  const { snapshot, preselected } = options;
  const parts: string[] = [`<h1>${escapeHtml(options.businessName)}: your opinion</h1>`];
  if (options.errors?.length) parts.push(`<p class="error" role="alert">${options.errors.map(escapeHtml).join('<br>')}</p>`);
  parts.push(`<form method="post" action="${escapeHtml(options.action)}">`);
  snapshot.questions.forEach((question, index) => {
    if (isRatingType(question.type)) {
      const scale = scales[question.type];
      const options: string[] = [];
      for (let value = scale.min; value <= scale.max; value++) {
        const checked = index === 0 && preselected === value ? ' checked' : '';
        options.push(`<label><input type="radio" name="${question.id}" value="${value}"${checked}${index === 0 ? ' required' : ''}> ${value}</label>`);
      }
      parts.push(`<fieldset><legend>${escapeHtml(question.prompt)}</legend><div class="scale">${options.join('')}</div><div class="hint"><span>${escapeHtml(scale.low)}</span><span>${escapeHtml(scale.high)}</span></div></fieldset>`);
    } else if (question.type === 'feelings') {
      const boxes = snapshot.feelings.map((feeling) => `<label><input type="checkbox" name="feelings" value="${escapeHtml(feeling)}"> ${escapeHtml(feeling)}</label>`).join('<br>');
      parts.push(`<fieldset><legend>${escapeHtml(question.prompt)}</legend>${boxes}</fieldset>`);
    } else {
      parts.push(`<fieldset><legend><label for="comment">${escapeHtml(question.prompt)}</label></legend><textarea id="comment" name="comment" maxlength="5000"></textarea></fieldset>`);
    }
  });
  parts.push('<button type="submit">Send</button></form>');
  return renderPage('Your opinion', parts.join(''));
}

/** HTML forms post application/x-www-form-urlencoded; repeated names (checkboxes) become arrays. Register inside an encapsulated plugin. */
export function registerFormParser(instance: FastifyInstance | { addContentTypeParser: FastifyInstance['addContentTypeParser'] }): void {
  (instance as FastifyInstance).addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    const fields: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(body as string)) {
      const existing = fields[key];
      fields[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    done(null, fields);
  });
}
