import sanitizeHtml from 'sanitize-html';

/**
 * Customer HTML is hostile. What survives: text formatting, links (http, https, mailto only, opened
 * safely), tables and images whose source is our own or inline data. No scripts, event handlers,
 * forms, styles or remote resources; remote images keep their address in data-remote-src so the
 * agent can choose to load them.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'small', 'blockquote', 'pre', 'code', 'hr',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'img',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'font', 'center',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    '*': ['dir', 'lang', 'class'],
  },
  allowedClasses: { '*': ['raving-quote', 'raving-signature'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data', 'cid', 'https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object', 'embed', 'svg', 'math'],
  transformTags: {
    a: (tagName, attributes) => ({ tagName, attribs: { ...attributes, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
    img: (tagName, attributes) => {
      const source = attributes.src ?? '';
      if (/^https?:/i.test(source)) {
        const { src: _remote, ...rest } = attributes;
        return { tagName, attribs: { ...rest, 'data-remote-src': source, alt: attributes.alt ?? 'remote image (not loaded)' } };
      }
      if (/^data:/i.test(source) && !/^data:image\/(png|jpeg|gif|webp);/i.test(source)) return { tagName: 'span', attribs: {}, text: '' };
      return { tagName, attribs: attributes };
    },
  },
};

export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, options);
}

/** Plain text from HTML, for search and for the text part of a message. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)[^>]*>/gi, '\n'), { allowedTags: [], allowedAttributes: {}, nonTextTags: ['script', 'style', 'title', 'head', 'template'] })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
