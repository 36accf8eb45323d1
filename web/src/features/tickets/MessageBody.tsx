import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@mantine/core';

/**
 * The page inside the frame may not run anything, fetch anything remote or submit anything: the
 * server sanitised the HTML already, and this is the second wall. Images only inline (data:) or from
 * this server's attachment downloads (MessageCard points cid: images there); remote images would
 * tell the sender when the message was read.
 */
const frameHead = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: ${window.location.origin}/api/v1/email/attachments/; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'">
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

export function HtmlBody({ html, dark }: { html: string; dark: boolean }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [folded, setFolded] = useState(true);
  const [height, setHeight] = useState(40);
  const quoted = hasQuote(html);

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
        srcDoc={`<!doctype html><html><head>${frameHead}</head><body class="${folded ? 'folded' : ''}${dark ? ' dark' : ''}">${html}</body></html>`}
        onLoad={measure}
        style={{ height }}
        referrerPolicy="no-referrer"
      />
      {quoted ? (
        <Button size="compact-xs" variant="subtle" onClick={() => setFolded((value) => !value)} aria-expanded={!folded}>
          {folded ? 'Show quoted text' : 'Hide quoted text'}
        </Button>
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
