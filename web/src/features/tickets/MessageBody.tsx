import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Group } from '@mantine/core';

/**
 * The page inside the frame may not run anything, fetch anything remote or submit anything: the
 * server sanitised the HTML already, and this is the second wall. Images only inline (data:) or from
 * this server's attachment downloads (MessageCard points cid: images there); remote images would
 * tell the sender when the message was read, so they load only when the agent asks, and then only
 * the exact addresses this message names. No referrer: the sender must not learn the ticket's URL.
 */
const frameHead = (remoteImages: string[]) => `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: ${window.location.origin}/api/v1/email/attachments/${remoteImages.map((source) => ` ${source}`).join('')}; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>
  /* The frame's scheme must match the page's, or Chromium paints it an opaque white behind dark text. */
  :root { color-scheme: light; }
  :root:has(body.dark) { color-scheme: dark; }
  html, body { margin: 0; padding: 0; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: transparent; overflow-wrap: anywhere; }
  body.dark { color: #d6d9dd; }
  body.dark a { color: #74c0fc; }
  img { max-width: 100%; height: auto; }
  table { max-width: 100%; }
  body.folded blockquote, body.folded .raving-quote { display: none; }
  blockquote { margin: 0 0 0 8px; padding-left: 8px; border-left: 3px solid #ccc; color: #666; }
</style>`;

function hasQuote(html: string): boolean {
  return /<blockquote|raving-quote/i.test(html);
}

/**
 * A remote image address as a CSP source for exactly that file: scheme, host, port and path (CSP
 * ignores the query). `;`, `,` and `'` are escaped so an address cannot end the directive or add a
 * keyword; anything that is not an http(s) URL is left out and stays unloaded.
 */
function cspSourceOf(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin + url.pathname.replace(/;/g, '%3B').replace(/,/g, '%2C').replace(/'/g, '%27');
}

/** The message with its remote images pointed at their addresses, and the CSP sources that allow them. */
function withRemoteImages(html: string): { html: string; sources: string[] } {
  // DOMParser's document is inert: parsing here loads no image.
  const document = new DOMParser().parseFromString(html, 'text/html');
  const sources = new Set<string>();
  for (const image of document.querySelectorAll<HTMLImageElement>('img[data-remote-src]')) {
    const address = image.getAttribute('data-remote-src')!;
    const source = cspSourceOf(address);
    if (!source) continue;
    sources.add(source);
    image.setAttribute('src', address);
    image.removeAttribute('data-remote-src');
  }
  return { html: document.body.innerHTML, sources: [...sources] };
}

export function HtmlBody({ html, dark }: { html: string; dark: boolean }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [folded, setFolded] = useState(true);
  const [height, setHeight] = useState(40);
  const [remoteLoaded, setRemoteLoaded] = useState(false);
  const quoted = hasQuote(html);
  const hasRemote = /data-remote-src=/i.test(html);
  const shown = useMemo(() => (remoteLoaded ? withRemoteImages(html) : { html, sources: [] }), [html, remoteLoaded]);

  const measure = useCallback(() => {
    const document = frame.current?.contentDocument;
    if (!document?.body) return;
    document.body.classList.toggle('folded', folded);
    document.body.classList.toggle('dark', dark);
    setHeight(Math.min(4000, document.documentElement.scrollHeight + 2));
  }, [folded, dark]);
  useEffect(measure, [measure]);

  return (
    <div>
      <iframe
        ref={frame}
        className="message-frame"
        title="Message content"
        // No allow-scripts: nothing in the message can run. allow-same-origin only lets this page
        // measure the content's height; without scripts the content cannot use it.
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        srcDoc={`<!doctype html><html><head>${frameHead(shown.sources)}</head><body class="${folded ? 'folded' : ''}${dark ? ' dark' : ''}">${shown.html}</body></html>`}
        onLoad={measure}
        style={{ height }}
        referrerPolicy="no-referrer"
      />
      {quoted || (hasRemote && !remoteLoaded) ? (
        <Group gap="xs">
          {quoted ? (
            <Button size="compact-xs" variant="subtle" onClick={() => setFolded((value) => !value)} aria-expanded={!folded}>
              {folded ? 'Show quoted text' : 'Hide quoted text'}
            </Button>
          ) : null}
          {hasRemote && !remoteLoaded ? (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setRemoteLoaded(true)} title="The sender can see when and where remote images are loaded">
              Load remote images
            </Button>
          ) : null}
        </Group>
      ) : null}
    </div>
  );
}

/** Splits plain text where the quoted history starts ("On … wrote:" or "> " lines). */
export function splitQuoted(text: string): [string, string] {
  const lines = text.split('\n');
  const index = lines.findIndex((line, position) => /^On .+wrote:\s*$/.test(line.trim()) || (line.startsWith('>') && lines.slice(position).every((rest) => rest.startsWith('>') || rest.trim() === '')));
  if (index <= 0) return [text, ''];
  return [lines.slice(0, index).join('\n').trimEnd(), lines.slice(index).join('\n')];
}

export function TextBody({ text }: { text: string }) {
  const [body, quoted] = splitQuoted(text);
  const [open, setOpen] = useState(false);
  return (
    <div>
      <pre className="message-text">{body}</pre>
      {quoted ? (
        <>
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((value) => !value)} aria-expanded={open}>
            {open ? 'Hide quoted text' : 'Show quoted text'}
          </Button>
          {open ? <pre className="message-text" style={{ opacity: 0.7 }}>{quoted}</pre> : null}
        </>
      ) : null}
    </div>
  );
}
